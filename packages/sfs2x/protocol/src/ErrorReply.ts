import { SFSDataType, SFSObject } from "@sfs2x/core";
import type { ControllerId } from "./ControllerId.js";
import type { Message } from "./Message.js";
import { describeSFSError, type SFSErrorCode } from "./SFSErrorCode.js";

/**
 * The error reply of any request (spec §3): the same controller and action as the request with
 * `p = { ec: SHORT error code, ep: UTF_STRING_ARRAY parameters }`. Clients decide success by the
 * absence of `ec`.
 */
export interface ErrorReply {
  /** `ec`: an {@link SFSErrorCode} (or a custom code of an extension). */
  code: SFSErrorCode | number;
  /** `ep`: the values for the placeholders of the message (may be empty). */
  params: string[];
}

/** The params object of an error reply: `{ ec SHORT, ep UTF_STRING_ARRAY }`. */
export function createErrorParams(code: SFSErrorCode | number, params: readonly string[] = []): SFSObject {
  return new SFSObject().putShort("ec", code).putUtfStringArray("ep", params);
}

/** A whole error reply message for a request (`controller`/`action` of the request). */
export function createErrorReply(
  controller: ControllerId | number,
  action: number,
  code: SFSErrorCode | number,
  params: readonly string[] = [],
): Message {
  return { controller, action, params: createErrorParams(code, params) };
}

/** True when the params hold an `ec` key: the way the official clients detect an error reply. */
export function isErrorReply(params: SFSObject): boolean {
  return params.containsKey("ec");
}

/**
 * The error in a reply's params, or `undefined` when it is not an error reply. `ec` may be any
 * integer type (typed clients read a SHORT); a missing or non-string-array `ep` gives `[]`.
 */
export function parseErrorReply(params: SFSObject): ErrorReply | undefined {
  const ecType = params.getType("ec");
  if (ecType === undefined) return undefined;
  const ec = params.get("ec");
  const code =
    (ecType === SFSDataType.SHORT || ecType === SFSDataType.BYTE || ecType === SFSDataType.INT) && typeof ec === "number" ? ec : -1;
  const ep = params.getType("ep") === SFSDataType.UTF_STRING_ARRAY ? (params.get("ep") as string[]) : [];
  return { code, params: [...ep] };
}

/** A readable sentence for an error reply (see {@link describeSFSError}). */
export function describeErrorReply(reply: ErrorReply): string {
  return describeSFSError(reply.code, reply.params);
}

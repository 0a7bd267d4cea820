import { SFSDataType, SFSObject } from "@sfs2x/core";
import { ControllerId, SysAction, type Message } from "@sfs2x/protocol";
import { checked, findEntry, makeObject, typeAt, valueAt } from "../util/coreInternals.js";
import { SFSClientError, SFSClientErrorCode } from "../errors/SFSClientError.js";

/** Room id `r` of a zone-level extension request. */
export const ZONE_LEVEL = -1;

/** @internal The inner fields of an extension message `{ c cmd, r room?, p params }`. */
export interface ExtensionParts {
  command: string;
  /** `r`, or -1 when absent. */
  roomId: number;
  params: SFSObject;
}

/**
 * @internal Builds an extension message: c=1 a=13 `{ c UTF_STRING, r INT, p SFS_OBJECT }` (the
 * official request key order; a reply omits `r` when `roomId` is undefined).
 */
export function extensionMessage(command: string, params: SFSObject, roomId: number | undefined): Message {
  if (typeof command !== "string") {
    throw new SFSClientError(SFSClientErrorCode.BAD_ARGUMENT, `an extension command must be a string (got ${command === null ? "null" : typeof command})`);
  }
  const c = checked("c", SFSDataType.UTF_STRING, command);
  if (!(params instanceof SFSObject)) checked("p", SFSDataType.SFS_OBJECT, params);
  const p =
    roomId === undefined
      ? makeObject(["c", "p"], [SFSDataType.UTF_STRING, SFSDataType.SFS_OBJECT], [c, params])
      : makeObject(["c", "r", "p"], [SFSDataType.UTF_STRING, SFSDataType.INT, SFSDataType.SFS_OBJECT], [c, checked("r", SFSDataType.INT, roomId), params]);
  return { controller: ControllerId.Extension, action: SysAction.CallExtension, params: p };
}

/**
 * @internal Reads `{ c, r?, p? }`; `undefined` when `c` is not a UTF_STRING (nothing to answer
 * to). A missing `p` is an empty object; `r` must be an INT when present.
 */
export function readExtension(params: SFSObject): ExtensionParts | undefined {
  const out: ExtensionParts = { command: "", roomId: ZONE_LEVEL, params };
  return readExtensionInto(params, out) ? out : undefined;
}

/** @internal {@link readExtension} into a caller-owned object (no allocation on the hot path); false when invalid. */
export function readExtensionInto(params: SFSObject, out: ExtensionParts): boolean {
  const c = findEntry(params, "c");
  if (c < 0 || typeAt(params, c) !== SFSDataType.UTF_STRING) return false;
  const r = findEntry(params, "r");
  const p = findEntry(params, "p");
  if ((r >= 0 && typeAt(params, r) !== SFSDataType.INT) || (p >= 0 && typeAt(params, p) !== SFSDataType.SFS_OBJECT)) return false;
  out.command = valueAt(params, c) as string;
  out.roomId = r < 0 ? ZONE_LEVEL : (valueAt(params, r) as number);
  out.params = p < 0 ? new SFSObject() : (valueAt(params, p) as SFSObject);
  return true;
}

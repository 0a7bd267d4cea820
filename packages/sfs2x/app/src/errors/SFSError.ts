import { describeSFSError } from "@sfs2x/protocol";
import { SFSErrorResponse } from "../system/SFSErrorResponse.js";

/**
 * An SFS2X error code with its parameters: the `{ ec, ep }` of an error reply.
 *
 * - Server side, throw it from a handler to answer with an error reply:
 *   `throw new SFSError(SFSErrorCode.LoginBadPassword, [username])`.
 * - Client side, a request whose reply holds `ec` rejects with it; `response` is the parsed
 *   {@link SFSErrorResponse} and `action`/`command` say which request failed.
 */
export class SFSError extends Error {
  override readonly name: string = "SFSError";
  /** `ep`: the placeholder values. */
  readonly params: string[];
  /** The error reply as a model. */
  readonly response: SFSErrorResponse;

  constructor(
    /** `ec`: an `SFSErrorCode` or an application code (a SHORT). */
    readonly code: number,
    params: readonly string[] = [],
    message?: string,
    options?: { cause?: unknown; action?: number; command?: string },
  ) {
    super(message ?? describeSFSError(code, params), options?.cause === undefined ? undefined : { cause: options.cause });
    this.params = [...params];
    this.response = SFSErrorResponse.of(code, params);
    this.action = options?.action;
    this.command = options?.command;
  }

  /** The action of the failed request (client side). */
  readonly action: number | undefined;
  /** The extension command of the failed request (client side). */
  readonly command: string | undefined;

  /** Wraps a parsed error reply. */
  static fromResponse(response: SFSErrorResponse, where?: { action?: number; command?: string }): SFSError {
    const e = new SFSError(response.code, response.params, undefined, where);
    Object.defineProperty(e, "response", { value: response });
    return e;
  }
}

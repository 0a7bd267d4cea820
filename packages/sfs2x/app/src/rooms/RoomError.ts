import { SFSErrorCode } from "@sfs2x/protocol";
import { SFSError } from "../errors/SFSError.js";

/**
 * A refused room, user or variable operation, with the error code the official clients know
 * (`SFSErrorCode`: 22 room not found, 21 wrong password, 20 room full, 19 already joined, 12 name
 * taken, ...) and its `ep` parameters. It is an {@link SFSError}, so a server handler that throws
 * it answers the request with the `{ ec, ep }` error reply.
 */
export class RoomError extends SFSError {
  override readonly name = "RoomError";

  constructor(code: SFSErrorCode | number, params: readonly string[] = [], message?: string, options?: { cause?: unknown; action?: number }) {
    super(code, params, message, options);
  }

  /** A malformed or refused request that has no dedicated code: `GenericError` (28), whose `{0}` is the whole message. */
  static generic(message: string, action?: number): RoomError {
    return new RoomError(SFSErrorCode.GenericError, [message], message, { action });
  }
}

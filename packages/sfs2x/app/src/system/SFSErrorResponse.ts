import { describeSFSError } from "@sfs2x/protocol";
import { short, utfStringArray } from "../model/field.js";
import { SFSModel } from "../model/SFSModel.js";

/**
 * The error reply of any request (spec §3): the request's controller and action with
 * `{ ec: SHORT error code, ep: UTF_STRING_ARRAY parameters }`. Clients detect it by the presence
 * of `ec`. Use it (or a subclass such as {@link LoginErrorResponse}) in a response union to get
 * errors as values instead of rejections.
 */
export class SFSErrorResponse extends SFSModel {
  /** `ec`: an `SFSErrorCode` or an application code. */
  @short("ec") code = 0;
  /** `ep`: the placeholder values of the error message. */
  @utfStringArray("ep", { optional: true }) params: string[] = [];

  /** A readable sentence (see `describeSFSError`). */
  get message(): string {
    return describeSFSError(this.code, this.params);
  }

  /** Builds one. */
  static of<T extends SFSErrorResponse>(this: new () => T, code: number, params: readonly string[] = []): T {
    const r = new this();
    r.code = code;
    r.params = [...params];
    return r;
  }
}

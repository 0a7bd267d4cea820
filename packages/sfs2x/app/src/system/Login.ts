import { SFSArray, type SFSObject } from "@sfs2x/core";
import { SysAction } from "@sfs2x/protocol";
import { int, sfsArray, sfsObject, short, utfString } from "../model/field.js";
import { SFSModel } from "../model/SFSModel.js";
import { SFSErrorResponse } from "./SFSErrorResponse.js";

/** Login request (c=0 a=1): `{ zn, un, pw, p? }`. `pw` is "" or lowercase hex MD5(token + password). */
export class LoginRequest extends SFSModel {
  static readonly action = SysAction.Login;
  /** `zn` UTF_STRING. */
  @utfString("zn") zone = "";
  /** `un` UTF_STRING (empty: a guest name is assigned). */
  @utfString("un") username = "";
  /** `pw` UTF_STRING: the hashed password (see `hashPassword`), "" when empty. */
  @utfString("pw") password = "";
  /** `p` SFS_OBJECT: custom login data for the server's login handler. */
  @sfsObject("p", { optional: true }) params?: SFSObject;
}

/** Login response: `{ zn, un, id INT, pi SHORT, rl SFS_ARRAY, rs SHORT, p? }` (spec §3.2, §5). */
export class LoginResponse extends SFSModel {
  static readonly action = SysAction.Login;
  /** `zn`: the zone. */
  @utfString("zn") zone = "";
  /** `un`: the user name given by the server (may differ from the requested one). */
  @utfString("un") username = "";
  /** `id` INT: the user id. */
  @int("id") userId = 0;
  /** `pi` SHORT: privilege (0 guest, 1 standard, 2 moderator, 3 admin). */
  @short("pi") privilegeId = 0;
  /** `rl` SFS_ARRAY: room arrays (spec §3.3) of the default groups. */
  @sfsArray("rl") roomList = new SFSArray();
  /** `rs` SHORT: reconnection seconds (0: off). Optional when parsing. */
  @short("rs", { optional: true }) reconnectionSeconds = 0;
  /** `p` SFS_OBJECT: custom out-data of the login handler. */
  @sfsObject("p", { optional: true }) params?: SFSObject;
}

/** A refused login: `{ ec SHORT, ep UTF_STRING_ARRAY }` on a=1 (codes 1..11, see `SFSErrorCode`). */
export class LoginErrorResponse extends SFSErrorResponse {
  static readonly action = SysAction.Login;
}

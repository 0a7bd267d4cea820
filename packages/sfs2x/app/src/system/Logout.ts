import { SysAction } from "@sfs2x/protocol";
import { utfString } from "../model/field.js";
import { SFSModel } from "../model/SFSModel.js";

/** Logout request (c=0 a=2): `{}`. */
export class LogoutRequest extends SFSModel {
  static readonly action = SysAction.Logout;
}

/** Logout response: `{ zn UTF_STRING }`. The connection stays open (a new login may follow). */
export class LogoutResponse extends SFSModel {
  static readonly action = SysAction.Logout;
  /** `zn`: the zone left. */
  @utfString("zn") zone = "";
}

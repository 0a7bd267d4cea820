import { SysAction } from "@sfs2x/protocol";
import { SFSModel } from "../model/SFSModel.js";

/** PingPong request (c=0 a=29): `{}`. A real server answers at most about one per second. */
export class PingPongRequest extends SFSModel {
  static readonly action = SysAction.PingPong;
}

/** PingPong response: `{}` on the same action. */
export class PingPongResponse extends SFSModel {
  static readonly action = SysAction.PingPong;
}

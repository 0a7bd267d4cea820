import { ClientDisconnectionReason, SysAction } from "@sfs2x/protocol";
import { byte } from "../model/field.js";
import { SFSModel } from "../model/SFSModel.js";

/**
 * ClientDisconnection event (c=0 a=1005): `{ dr BYTE reason }` (0 idle, 1 kick, 2 ban, 3 manual,
 * 4 unknown). The server sends it before closing; the client then closes the socket and reports
 * the reason (the official JS client's CONNECTION_LOST `reason`).
 */
export class ClientDisconnection extends SFSModel {
  static readonly action = SysAction.ClientDisconnection;
  /** `dr` BYTE: a `ClientDisconnectionReason`. */
  @byte("dr") reason: ClientDisconnectionReason = ClientDisconnectionReason.Unknown;
}

/** The official JS client's names of the `dr` reasons (its `ClientDisconnectionReason` strings). */
export function disconnectionReasonName(reason: number): string {
  switch (reason) {
    case ClientDisconnectionReason.Idle:
      return "idle";
    case ClientDisconnectionReason.Kick:
      return "kick";
    case ClientDisconnectionReason.Ban:
      return "ban";
    case ClientDisconnectionReason.Manual:
      return "manual";
    default:
      return "unknown";
  }
}

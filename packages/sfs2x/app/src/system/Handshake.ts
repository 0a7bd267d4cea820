import { SysAction } from "@sfs2x/protocol";
import { bool, int, utfString } from "../model/field.js";
import { SFSModel } from "../model/SFSModel.js";

/** The API version our client announces (the official JS client's). */
export const CLIENT_API_VERSION = "1.8.6";

/** Handshake request (c=0 a=0): `{ api, cl, bin?, rt? }` (spec §3.2). */
export class HandshakeRequest extends SFSModel {
  static readonly action = SysAction.Handshake;
  /** `api` UTF_STRING: the client API version. */
  @utfString("api") api = CLIENT_API_VERSION;
  /** `cl` UTF_STRING: the client type ("JavaScript", or "<type>:<version>"). */
  @utfString("cl") clientType = "TypeScript";
  /** `bin` BOOL: sent `true` by the TCP clients. */
  @bool("bin", { optional: true }) binary?: boolean;
  /** `rt` UTF_STRING: the previous session token, when a TCP client reconnects. */
  @utfString("rt", { optional: true }) reconnectionToken?: string;
}

/**
 * Handshake response: `{ tk UTF_STRING, ct INT, ms INT, aph BOOL? }`. `ct` and `ms` are optional
 * when parsing because the official client tolerates their absence (no compression / no limit).
 */
export class HandshakeResponse extends SFSModel {
  static readonly action = SysAction.Handshake;
  /** `tk`: the session token (32 lowercase hex characters on a real server). */
  @utfString("tk") token = "";
  /** `ct` INT: compress payloads strictly larger than this. */
  @int("ct", { optional: true }) compressionThreshold?: number;
  /** `ms` INT: the largest message the server accepts. */
  @int("ms", { optional: true }) maxMessageSize?: number;
  /** `aph` BOOL: admin password hashed (JS 1.8.x). */
  @bool("aph", { optional: true }) adminPasswordHashed?: boolean;
}

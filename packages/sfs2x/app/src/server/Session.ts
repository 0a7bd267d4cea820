import { ClientDisconnectionReason, SysAction, type CipherKey, type CloseInfo, type Message, type TransportConnection } from "@sfs2x/protocol";
import { SFSObject } from "@sfs2x/core";
import { toMessage, type SendOptions } from "../dispatch/target.js";
import { extensionMessage } from "../dispatch/extension.js";
import { checkBody, failSend, toParams, type Body } from "../dispatch/toParams.js";
import { hashPassword } from "../util/hashPassword.js";

/** Where a session stands: connected → handshaken → logged-in (→ handshaken again after a logout) → closed. */
export type SessionState = "connected" | "handshaken" | "logged-in" | "closed";

/** @internal What a session needs from its server. */
export interface SessionHost {
  sessionClosed(session: Session, info: CloseInfo): void;
  reportError(error: Error, session?: Session): void;
}

/**
 * One client connection on an `SFSServer`: its state, its login identity, and ways to talk to it.
 * Handlers receive it in their context (`ctx.session`).
 */
export class Session {
  /** Handshake, then login, then (optionally) logout; `closed` once the connection is gone. */
  state: SessionState = "connected";
  /** The session token sent in the handshake reply (`tk`). */
  token: string | undefined = undefined;
  /** Zone of the logged-in user. */
  zone: string | undefined = undefined;
  /** Name of the logged-in user. */
  username: string | undefined = undefined;
  /** Id of the logged-in user (INT). */
  userId: number | undefined = undefined;
  /** Privilege of the logged-in user (0 guest, 1 standard, 2 moderator, 3 admin). */
  privilegeId = 0;
  /** True once packets are AES-encrypted (CryptoManager key served, or a fixed key). */
  encrypted = false;
  /** The handshake's `cl` (client type), once known. */
  clientType: string | undefined = undefined;
  /** Free storage for the application (per session). */
  readonly data = new Map<string, unknown>();
  /** Resolves once the connection has closed, with the reason. */
  readonly closed: Promise<CloseInfo>;
  /** @internal Last time (ms, Date.now) a message was seen by the idle sweep. */
  lastActivity = Date.now();
  /** @internal A message arrived since the last idle sweep. */
  active = false;
  /** @internal The last send promise given a failure handler. */
  lastSend: Promise<void> | undefined = undefined;
  /** @internal Reports a failed send of this session (one function per session, not per message). */
  onSendFailed: (e: unknown) => void = () => {};
  /** @internal Messages waiting while an async handler of this session runs (replies stay in order). */
  backlog: Message[] | undefined = undefined;

  private resolveClosed!: (info: CloseInfo) => void;

  constructor(
    /** Server-wide connection number (not the user id). */
    readonly id: number,
    /** The transport connection (send/close and codec options). */
    readonly connection: TransportConnection,
    /** URL scheme of the listener it came in on: `"tcp"`, `"ws"` or `"wss"`. */
    readonly scheme: string,
    private readonly host: SessionHost,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    connection.onClose((info) => {
      this.state = "closed";
      this.resolveClosed(info);
      host.sessionClosed(this, info);
    });
  }

  /** Peer address, e.g. `"127.0.0.1:50122"`. */
  get remoteAddress(): string | undefined {
    return this.connection.remoteAddress;
  }

  /** True once the user has logged in (and not logged out). */
  get loggedIn(): boolean {
    return this.state === "logged-in";
  }

  /**
   * Sends a message: a model bound to a command (extension push) or an action (system), a raw
   * `Message`, or a model/SFSObject with `{ command }` / `{ action }`. Rejects when it cannot be
   * sent (closed connection, send queue full, value that does not serialise).
   */
  send(body: Body | Message, options?: SendOptions): Promise<void> {
    let message: Message;
    try {
      message = toMessage(body, options);
    } catch (e) {
      return failSend(e);
    }
    return this.connection.send(message);
  }

  /** Pushes an extension message `{ c: command, p: params }` (zone level unless `roomId`). */
  sendExtension(command: string, body?: Body, options: { roomId?: number } = {}): Promise<void> {
    let message: Message;
    try {
      if (body !== undefined) checkBody(body, "sendExtension");
      message = extensionMessage(command, toParams(body), options.roomId);
    } catch (e) {
      return failSend(e);
    }
    return this.connection.send(message);
  }

  /**
   * Kicks the user: sends ClientDisconnection (1005) `{ dr: BYTE 1 }` then closes. The official
   * client reports CONNECTION_LOST with reason "kick".
   */
  kick(reason = "kick"): Promise<void> {
    return this.disconnect(reason, ClientDisconnectionReason.Kick);
  }

  /**
   * Closes the connection. With `dr`, sends ClientDisconnection (1005) `{ dr: BYTE dr }` first
   * (idle 0, kick 1, ban 2, ...) so the client knows why.
   */
  async disconnect(reason = "disconnected by the server", dr?: ClientDisconnectionReason): Promise<void> {
    if (dr !== undefined && !this.connection.closed) {
      const params = new SFSObject().putByte("dr", dr);
      try {
        await this.connection.send({ controller: 0, action: SysAction.ClientDisconnection, params });
      } catch (e) {
        // The close below still happens; say why the notice did not go out.
        this.host.reportError(e as Error, this);
      }
    }
    await this.connection.close(reason);
  }

  /**
   * Checks a login password: true when `hashedFromClient` (the request's `pw`) is the MD5 of this
   * session's token + `plain`, as the official clients compute it ("" for an empty password).
   */
  checkPassword(plain: string, hashedFromClient: string): boolean {
    if (this.token === undefined) return false;
    return hashPassword(this.token, plain) === hashedFromClient;
  }

  /** @internal Switches AES on for this connection (both directions, TCP only). */
  enableEncryption(key: CipherKey): void {
    this.connection.setCodecOptions({ cipher: key });
    this.encrypted = true;
  }
}

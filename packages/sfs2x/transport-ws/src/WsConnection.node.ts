import type { Socket } from "node:net";
import type { RawData, WebSocket } from "ws";
import { CloseReason, PacketError, PacketErrorCode, formatAddress } from "@sfs2x/protocol";
import { WsConnectionBase, type WsConnectionHooks } from "./WsConnectionBase.js";
import type { WsConnectionOptions } from "./WsOptions.js";

const OPEN = 1;
const CLOSED = 3;
const SEND_OPTIONS = { binary: true, compress: false } as const;

/**
 * The bytes of a binary message. A Buffer is decoded as it is: the decoder takes no subarray of
 * it on the usual path, and BYTE_ARRAY values come out as plain Uint8Array views anyway.
 */
function bytesOf(data: RawData): Uint8Array {
  const b = Array.isArray(data) ? Buffer.concat(data) : data;
  return b instanceof ArrayBuffer ? new Uint8Array(b) : b;
}

// Every socket corked this tick, uncorked by one process.nextTick for all of them (a broadcast to
// many connections would otherwise queue one tick callback each).
let toUncork: (() => void)[] = [];
const uncorkAll = (): void => {
  const list = toUncork;
  toUncork = [];
  for (let i = 0; i < list.length; i++) list[i]!();
};

function textOf(data: RawData): string {
  return (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer)).toString("utf8");
}

/**
 * One SFS2X connection over a Node `ws` WebSocket, client or server side: the
 * {@link TransportConnection} of `@sfs2x/transport-ws` in Node. Created by {@link connectWs} and
 * {@link WsServer}.
 *
 * - Exactly one SFS2X packet per binary message, both ways (`decodePacket` on each message). A text
 *   frame, a message that is not one whole packet, or one over `maxMessageSize` closes the
 *   connection (code 1000, as the real server does with garbage); a well-framed packet that does
 *   not decode (bad zlib, bad SFSObject) is reported through `onError` and skipped.
 * - Messages sent in the same tick leave in one socket write (the socket is corked until the end
 *   of the tick). Messages that arrive before the first `onMessage` listener are held for it
 *   (reading pauses past 1 MiB of them).
 * - Flow control: see {@link HighWaterMarkPolicy}.
 */
export class WsConnection extends WsConnectionBase {
  /** The `ws` WebSocket. Do not send on it directly. */
  readonly ws: WebSocket;
  /** The TCP (or TLS) socket under the WebSocket. */
  readonly socket: Socket;
  private corked = false;
  private drainHooked = false;
  private readonly uncorkBound = (): void => {
    this.corked = false;
    this.socket.uncork();
  };
  private readonly drainBound = (): void => {
    this.drainHooked = false;
    this.drainCheck();
  };

  /** Wraps an open `ws` WebSocket and its socket. Prefer {@link connectWs} / {@link WsServer}. */
  constructor(ws: WebSocket, socket: Socket, options: WsConnectionOptions = {}, role: "client" | "server" = "client", hooks: WsConnectionHooks = {}) {
    super(formatAddress(socket.remoteAddress, socket.remotePort), options, role, hooks);
    this.ws = ws;
    this.socket = socket;
    ws.on("message", (data: RawData, isBinary: boolean) => this.received(isBinary ? bytesOf(data) : textOf(data)));
    ws.on("error", (e: Error & { code?: string }) => this.wsError(e));
    ws.on("close", (code: number) => this.rawClosed(code));
    if (ws.readyState === CLOSED) queueMicrotask(() => this.rawClosed(1006));
  }

  protected rawSend(bytes: Uint8Array): boolean {
    if (this.ws.readyState !== OPEN) return false;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      if (toUncork.push(this.uncorkBound) === 1) process.nextTick(uncorkAll);
    }
    this.ws.send(bytes, SEND_OPTIONS);
    return true;
  }

  protected rawBuffered(): number {
    return this.ws.bufferedAmount;
  }

  protected rawClose(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  protected rawTerminate(): void {
    this.ws.terminate();
  }

  protected watchDrain(): void {
    if (this.drainHooked) return;
    this.drainHooked = true;
    // 'drain' comes only after a write the socket found over its own mark; otherwise poll.
    if (this.socket.writableNeedDrain) this.socket.once("drain", this.drainBound);
    else setTimeout(this.drainBound, 5);
  }

  protected pauseReading(): void {
    this.ws.pause();
  }

  protected resumeReading(): void {
    this.ws.resume();
  }

  private wsError(e: Error & { code?: string }): void {
    if (e.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") {
      this.drop(new PacketError(PacketErrorCode.TOO_LARGE, `a WebSocket message over the size limit: ${e.message}`, undefined, { cause: e }), CloseReason.BAD_PACKET, true);
    } else if (e.code !== undefined && e.code.startsWith("WS_ERR_")) {
      this.drop(e, CloseReason.BAD_PACKET, true); // a WebSocket protocol violation
    } else {
      this.socketError ??= e;
      this.logger.debug("socket error", { remoteAddress: this.remoteAddress, error: e });
    }
  }
}

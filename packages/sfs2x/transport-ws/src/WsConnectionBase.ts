import { CloseReason, ConnectionBase, PacketError, PacketErrorCode, type ConnectionHooks, type Message } from "@sfs2x/protocol";
import type { WsConnectionOptions } from "./WsOptions.js";

/** One settled promise shared by every send handed straight to the socket. */
const RESOLVED: Promise<void> = Promise.resolve();

/** Close code for a normal closure; the real server also uses it when it drops garbage. */
export const NORMAL_CLOSURE = 1000;

/** What a server wants to hear from its connections. */
export interface WsConnectionHooks extends ConnectionHooks {}

/** Per-packet decode errors after which the connection goes on (the bad message is skipped). */
const SKIPPABLE: ReadonlySet<string> = new Set([
  PacketErrorCode.BAD_ZLIB,
  PacketErrorCode.DECOMPRESSED_TOO_LARGE,
  PacketErrorCode.DECRYPT_FAILED,
  PacketErrorCode.NO_CIPHER,
  PacketErrorCode.BAD_PAYLOAD,
  PacketErrorCode.BAD_ROOT,
]);

const encoder = new TextEncoder();

/** A close-frame reason: at most 123 bytes of UTF-8. */
function closeFrameReason(reason: string): string {
  let r = reason;
  while (encoder.encode(r).length > 123) r = r.slice(0, -1);
  return r;
}

/**
 * The message-oriented half of every WebSocket connection (Node `ws` and browser `WebSocket`):
 * one SFS2X packet per binary message both ways, on the shared `ConnectionBase` of
 * `@sfs2x/protocol` (flow control, timers, closing). Browser-safe. Subclasses plug in the socket.
 */
export abstract class WsConnectionBase extends ConnectionBase {
  private code: number | undefined = undefined;

  protected constructor(remoteAddress: string | undefined, options: WsConnectionOptions, role: "client" | "server", hooks: WsConnectionHooks = {}) {
    // Encryption is TCP-only: a `cipher` option is refused with PacketError BAD_OPTIONS.
    super(remoteAddress, options, { role, cipher: false, hooks, debugNamespace: "sfs2x:transport-ws" });
  }

  // ------------------------------------------------------------------------------------------
  // What a subclass provides (besides watchDrain, pauseReading and resumeReading)

  /** Sends one binary message; false when the socket is no longer open (nothing sent). */
  protected abstract rawSend(bytes: Uint8Array): boolean;
  /** Bytes the socket holds that have not gone to the network yet. */
  protected abstract rawBuffered(): number;
  /** Starts the closing handshake. */
  protected abstract rawClose(code: number, reason: string): void;
  /** Drops the socket without a closing handshake; must end in {@link rawClosed} soon. */
  protected abstract rawTerminate(): void;

  /** The WebSocket close code received or sent (e.g. 1000, 1006 when the socket dropped), once closed. */
  get closeCode(): number | undefined {
    return this.code;
  }

  // ------------------------------------------------------------------------------------------
  // For subclasses

  /** The socket's buffer shrank: send what waits, then tell `onDrain` listeners if it is low enough. */
  protected drainCheck(): void {
    this.sinkDrained();
  }

  /** The socket is closed (close frame exchanged, or dropped). */
  protected rawClosed(code: number | undefined): void {
    if (this.isFinished) return;
    this.code = code;
    this.socketClosed();
  }

  // ------------------------------------------------------------------------------------------
  // ConnectionBase

  protected writeNow(packet: Uint8Array): Promise<void> {
    return this.rawSend(packet) ? RESOLVED : this.closedSend();
  }

  protected sinkWrite(packet: Uint8Array): boolean {
    return this.rawSend(packet);
  }

  protected sinkBuffered(): number {
    return this.rawBuffered();
  }

  /** One incoming WebSocket message: bytes (binary frame) or a string (text frame). */
  protected consume(data: Uint8Array | string): void {
    if (typeof data === "string") {
      this.drop(new PacketError(PacketErrorCode.NOT_BINARY, "a text frame: SFS2X sends binary messages only", 0), CloseReason.BAD_PACKET, true);
      return;
    }
    let message: Message;
    try {
      message = this.codec.decode(data);
    } catch (e) {
      // One bad packet in a well-framed message: report it and go on, as the real server does.
      if (e instanceof PacketError && SKIPPABLE.has(e.code)) this.skipped(e);
      else this.drop(e instanceof Error ? e : new Error(String(e)), CloseReason.BAD_PACKET, true);
      return;
    }
    this.deliver(message);
  }

  protected closeGracefully(reason: string): void {
    this.rawClose(NORMAL_CLOSURE, closeFrameReason(reason));
  }

  protected terminate(): void {
    this.rawTerminate();
  }
}

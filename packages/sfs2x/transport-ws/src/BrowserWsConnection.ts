import type { WsConnectionHooks } from "./WsConnectionBase.js";
import { WsConnectionBase } from "./WsConnectionBase.js";
import type { WsConnectionOptions } from "./WsOptions.js";

/** The part of the browser `WebSocket` API this transport uses (the `ws` package's client fits too). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Options of a browser WebSocket connection. */
export interface BrowserWsOptions extends WsConnectionOptions {
  /** How often the send buffer is checked while waiting for it to drain (ms; browsers have no drain event). Default 20. */
  drainPollMs?: number;
}

const OPEN = 1;
const CLOSED = 3;

/**
 * One SFS2X connection over a browser `WebSocket` (no Node built-ins): the
 * {@link TransportConnection} of `@sfs2x/transport-ws/browser`. Created by {@link connectBrowserWs}.
 * `binaryType` is `"arraybuffer"`; one SFS2X packet per binary message both ways. Browsers cannot
 * pause a WebSocket, so messages arriving before the first `onMessage` listener are held for it.
 */
export class BrowserWsConnection extends WsConnectionBase {
  /** The WebSocket. Do not send on it directly. */
  readonly ws: WebSocketLike;
  private readonly pollMs: number;
  private polling = false;

  /** Wraps an open WebSocket. `address` is shown as `remoteAddress` (the URL's host:port). */
  constructor(ws: WebSocketLike, address: string | undefined, options: BrowserWsOptions = {}, hooks: WsConnectionHooks = {}) {
    super(address, options, "client", hooks);
    this.ws = ws;
    this.pollMs = options.drainPollMs ?? 20;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (event) => {
      const d = event.data;
      if (typeof d === "string") this.received(d);
      else if (d instanceof ArrayBuffer) this.received(new Uint8Array(d));
      else if (ArrayBuffer.isView(d)) this.received(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
      else this.received(String(d));
    };
    ws.onclose = (event) => this.rawClosed(event.code);
    ws.onerror = () => {
      this.socketError ??= new Error("WebSocket error");
    };
    if (ws.readyState === CLOSED) queueMicrotask(() => this.rawClosed(1006));
  }

  protected rawSend(bytes: Uint8Array): boolean {
    if (this.ws.readyState !== OPEN) return false;
    this.ws.send(bytes);
    return true;
  }

  protected rawBuffered(): number {
    return this.ws.bufferedAmount;
  }

  protected rawClose(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  protected rawTerminate(): void {
    // Browsers cannot drop a socket without the closing handshake: close and stop waiting for it.
    try {
      this.ws.close();
    } catch {
      // already closed
    }
    this.rawClosed(1006);
  }

  protected watchDrain(): void {
    if (this.polling) return;
    this.polling = true;
    setTimeout(() => {
      this.polling = false;
      this.drainCheck();
    }, this.pollMs);
  }

  protected pauseReading(): void {
    // A browser WebSocket cannot pause: messages keep being held for the first listener.
  }

  protected resumeReading(): void {}
}

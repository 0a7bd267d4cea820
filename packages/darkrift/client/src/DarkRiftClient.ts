import type { Socket as UdpSocket } from "node:dgram";
import type { Socket } from "node:net";
import {
  BichannelConnection,
  CommandCode,
  ConnectionClosedError,
  FrameDecoder,
  parseConfigure,
  type ConnectionOptions,
  type ReceivedMessage,
} from "@darkrift/protocol";

/** An IP endpoint. */
export interface EndPoint {
  address: string;
  port: number;
}

/** @internal What `connect()` hands the client once the UDP ack has arrived. */
export interface DarkRiftClientInit {
  socket: Socket;
  udp: UdpSocket;
  protocolVersion: number;
  maxBodyLength: number;
  closeTimeoutMs: number;
  options: ConnectionOptions;
}

/**
 * A connected DarkRift 2 bichannel client (C#'s `DarkRiftClient`). Create it with {@link connect}.
 * Send with `send(message, { reliable })`, receive with `recv()` or `for await (const m of client)`
 * (`m.reliable` tells the channel); `ping()` measures round-trip time.
 */
export class DarkRiftClient extends BichannelConnection {
  /** The bichannel protocol version the server spoke (0 or 1). */
  readonly protocolVersion: number;
  /** Local TCP endpoint. */
  readonly localTcpEndPoint: EndPoint;
  /** Local UDP endpoint (bound to the same IP as the TCP socket). */
  readonly localUdpEndPoint: EndPoint;
  /** Server TCP endpoint. */
  readonly remoteTcpEndPoint: EndPoint;
  /** Server UDP endpoint. */
  readonly remoteUdpEndPoint: EndPoint;

  private clientId = -1;
  private readonly socket: Socket;
  private readonly udp: UdpSocket;
  private readonly closeTimeoutMs: number;
  private configuredResolve: (() => void) | undefined;
  private tcpDone = false;
  private udpDone = false;
  private readonly udpCallback = (error: Error | null): void => {
    if (error) this.shutdown(new ConnectionClosedError("SOCKET_ERROR", `UDP send failed: ${error.message}`, { cause: error }), false);
  };

  /** @internal */
  constructor(init: DarkRiftClientInit) {
    super(new FrameDecoder({ maxBodyLength: init.maxBodyLength }), init.options, process.nextTick);
    this.socket = init.socket;
    this.udp = init.udp;
    this.protocolVersion = init.protocolVersion;
    this.closeTimeoutMs = init.closeTimeoutMs;
    const s = init.socket;
    this.localTcpEndPoint = { address: s.localAddress ?? "", port: s.localPort ?? 0 };
    this.remoteTcpEndPoint = { address: s.remoteAddress ?? "", port: s.remotePort ?? 0 };
    const local = init.udp.address();
    const remote = init.udp.remoteAddress();
    this.localUdpEndPoint = { address: local.address, port: local.port };
    this.remoteUdpEndPoint = { address: remote.address, port: remote.port };

    s.on("data", (chunk: Uint8Array) => this.handleTcpData(chunk));
    s.on("drain", () => this.handleDrain());
    s.on("end", () => this.shutdown(new ConnectionClosedError("REMOTE_CLOSED", "the server closed the connection"), true));
    s.on("error", (e) => this.shutdown(new ConnectionClosedError("SOCKET_ERROR", `TCP error: ${e.message}`, { cause: e }), false));
    s.on("close", () => {
      this.shutdown(new ConnectionClosedError("REMOTE_CLOSED", "the TCP connection closed"), false);
      this.tcpDone = true;
      this.maybeTransportClosed();
    });
    init.udp.on("message", (msg: Uint8Array) => this.handleDatagram(msg));
    init.udp.on("error", (e) => {
      const at = `${this.remoteUdpEndPoint.address}:${this.remoteUdpEndPoint.port}`;
      const why = (e as NodeJS.ErrnoException).code === "ECONNREFUSED" ? ` (nothing listens on UDP ${at} any more)` : "";
      this.shutdown(new ConnectionClosedError("SOCKET_ERROR", `UDP error with the server's UDP ${at}: ${e.message}${why}`, { cause: e }), false);
    });
    init.udp.on("close", () => {
      this.udpDone = true;
      this.maybeTransportClosed();
    });
  }

  /** The client ID the server assigned (Configure command); -1 until then. */
  get id(): number {
    return this.clientId;
  }

  /** @internal Feeds TCP bytes that arrived with the hello, then resolves once Configure arrives. */
  configure(leftover: Uint8Array | undefined, datagrams: Uint8Array[] = []): Promise<void> {
    const configured = new Promise<void>((resolve) => (this.configuredResolve = resolve));
    for (const d of datagrams) this.handleDatagram(d);
    if (leftover && leftover.length > 0) this.handleTcpData(leftover);
    return configured;
  }

  protected handleCommand(message: ReceivedMessage): void {
    // Commands are internal: never surfaced to the application (as in C#).
    if (message.tag !== CommandCode.Configure) return;
    try {
      this.clientId = parseConfigure(message);
    } catch (e) {
      this.shutdown(new ConnectionClosedError("PROTOCOL_ERROR", "malformed Configure command", { cause: e }), false);
      return;
    }
    const resolve = this.configuredResolve;
    this.configuredResolve = undefined;
    resolve?.();
  }

  protected writeTcp(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  protected sendUdp(bytes: Uint8Array): void {
    this.udp.send(bytes, this.udpCallback);
  }

  protected tcpBufferedBytes(): number {
    return this.socket.writableLength;
  }

  protected pauseReading(): void {
    this.socket.pause();
  }

  protected resumeReading(): void {
    this.socket.resume();
  }

  protected closeTransport(graceful: boolean): void {
    try {
      this.udp.close();
    } catch {
      this.udpDone = true; // already closed
    }
    const socket = this.socket;
    if (socket.destroyed) {
      this.tcpDone = true;
      this.maybeTransportClosed();
      return;
    }
    if (!graceful) {
      socket.destroy();
      return;
    }
    socket.resume();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), this.closeTimeoutMs);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  }

  private maybeTransportClosed(): void {
    if (this.tcpDone && this.udpDone) this.transportClosed();
  }
}

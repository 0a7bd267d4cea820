import type { Socket } from "node:net";
import {
  BichannelConnection,
  ConnectionClosedError,
  FrameDecoder,
  makeConfigure,
  StrikeWeight,
  type ConnectionOptions,
  type FrameError,
  type ReceivedMessage,
} from "@darkrift/protocol";
import type { DarkRiftLogger } from "./Logger.js";

/** An IP endpoint. */
export interface EndPoint {
  address: string;
  port: number;
}

/** What the server hands a {@link ServerClient} (internal). */
export interface ServerClientInit {
  id: number;
  socket: Socket;
  udpEndPoint: EndPoint;
  sendDatagram: (bytes: Uint8Array, port: number, address: string, callback: (error: Error | null) => void) => void;
  maxStrikes: number;
  maxBodyLength: number;
  closeTimeoutMs: number;
  logger: DarkRiftLogger;
  options: ConnectionOptions;
}

/**
 * One connected client, seen from the server (C#'s `IClient`). Send with `send(message, { reliable })`,
 * receive with `recv()` or `for await (const message of client)`; `message.reliable` tells the
 * channel. Protocol violations add strikes (C# weights); reaching the server's `maxStrikes`
 * disconnects the client.
 */
export class ServerClient extends BichannelConnection {
  /** The client's ID (uint16), sent to it in the Configure command. */
  readonly id: number;
  /** The client's TCP endpoint. */
  readonly remoteTcpEndPoint: EndPoint;
  /** The client's UDP endpoint (learned from its UDP hello). */
  readonly remoteUdpEndPoint: EndPoint;
  /** When the handshake completed. */
  readonly connectionTime = new Date();

  private readonly socket: Socket;
  private readonly sendDatagram: ServerClientInit["sendDatagram"];
  private readonly maxStrikes: number;
  private readonly closeTimeoutMs: number;
  private readonly logger: DarkRiftLogger;
  private strikeTotal = 0;
  private readonly udpCallback = (error: Error | null): void => {
    // C#: a UDP send error disconnects the client.
    if (error) this.shutdown(new ConnectionClosedError("SOCKET_ERROR", `UDP send failed: ${error.message}`, { cause: error }), false);
  };

  /** @internal Created by the server once the handshake completes. */
  constructor(init: ServerClientInit) {
    let self: ServerClient | undefined;
    const decoder = new FrameDecoder({
      maxBodyLength: init.maxBodyLength,
      onStrike: (e) => self?.strike(e.strikeWeight, e.message),
    });
    super(decoder, init.options, process.nextTick);
    self = this;
    this.id = init.id;
    this.socket = init.socket;
    this.sendDatagram = init.sendDatagram;
    this.maxStrikes = init.maxStrikes;
    this.closeTimeoutMs = init.closeTimeoutMs;
    this.logger = init.logger;
    this.remoteTcpEndPoint = { address: init.socket.remoteAddress ?? "", port: init.socket.remotePort ?? 0 };
    this.remoteUdpEndPoint = { ...init.udpEndPoint };
    const socket = this.socket;
    socket.on("drain", () => this.handleDrain());
    socket.on("end", () => this.shutdown(new ConnectionClosedError("REMOTE_CLOSED", "the client closed the connection"), true));
    socket.on("error", (e) => this.shutdown(new ConnectionClosedError("SOCKET_ERROR", `TCP error: ${e.message}`, { cause: e }), false));
    socket.on("close", () => {
      this.shutdown(new ConnectionClosedError("REMOTE_CLOSED", "the TCP connection closed"), false);
      this.transportClosed();
    });
    if (socket.destroyed) {
      this.shutdown(new ConnectionClosedError("REMOTE_CLOSED", "the TCP connection closed"), false);
      this.transportClosed();
    }
  }

  /** The weight of the strikes this client has accumulated. */
  get strikes(): number {
    return this.strikeTotal;
  }

  /**
   * Adds a strike of `weight` (C# `Strike`). When the total reaches the server's `maxStrikes` the
   * client is disconnected, with the reason logged.
   */
  strike(weight = 1, reason = "strike requested"): void {
    if (this.isClosed) return;
    this.strikeTotal += weight;
    this.logger.debug?.(`client ${this.id} received a strike of weight ${weight}: ${reason}`);
    if (this.strikeTotal >= this.maxStrikes) {
      this.shutdown(
        new ConnectionClosedError(
          "STRIKES",
          `disconnected: accumulated strikes ${this.strikeTotal}/${this.maxStrikes} (last: ${reason})`,
        ),
        true,
      );
    }
  }

  /** @internal Sends Configure, then starts reading TCP (replaying bytes received during the handshake). */
  start(earlyChunks: Uint8Array[]): void {
    if (this.isClosed) return;
    this.sendNow(makeConfigure(this.id), true);
    for (const chunk of earlyChunks) this.handleTcpData(chunk);
    this.socket.on("data", (chunk: Uint8Array) => this.handleTcpData(chunk));
    this.socket.resume();
  }

  /** @internal A datagram from this client's UDP endpoint. */
  receiveDatagram(bytes: Uint8Array): void {
    this.handleDatagram(bytes);
  }

  /** @internal Closes with a reason (server shutdown, handler failure). */
  closeWith(reason: ConnectionClosedError, graceful = true): Promise<void> {
    this.shutdown(reason, graceful);
    return this.close();
  }

  protected writeTcp(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  protected sendUdp(bytes: Uint8Array): void {
    this.sendDatagram(bytes, this.remoteUdpEndPoint.port, this.remoteUdpEndPoint.address, this.udpCallback);
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
    const socket = this.socket;
    if (socket.destroyed) return;
    if (!graceful) {
      socket.destroy();
      return;
    }
    // Keep reading (and ignoring) so the peer's FIN is seen and the socket closes fully.
    socket.resume();
    socket.end();
    const timer = setTimeout(() => socket.destroy(), this.closeTimeoutMs);
    timer.unref();
    socket.once("close", () => clearTimeout(timer));
  }

  protected handleCommand(_message: ReceivedMessage): void {
    this.strike(StrikeWeight.CommandFromClient, "received a command message from the client; clients must not send commands");
  }

  protected override handleUnknownPingAcknowledgement(message: ReceivedMessage): void {
    this.strike(StrikeWeight.UnknownPingAcknowledgement, `ping acknowledgement for unknown ping code ${message.pingCode}`);
  }

  protected override handleBadDatagram(error: FrameError): void {
    this.strike(error.strikeWeight, error.message);
  }
}

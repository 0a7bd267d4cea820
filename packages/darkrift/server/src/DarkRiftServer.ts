import { createSocket, type RemoteInfo, type Socket as UdpSocket } from "node:dgram";
import { lookup } from "node:dns/promises";
import { createServer, isIP, type Server as TcpServer, type Socket } from "node:net";
import type { DarkRiftMessage } from "@darkrift/core";
import {
  ConnectionClosedError,
  encodeDatagram,
  encodeTcpFrame,
  encodeTcpHello,
  encodeUdpAck,
  generateToken,
  parseUdpHello,
  ProtocolVersion,
  tokenKey,
  type ConnectionOptions,
} from "@darkrift/protocol";
import { ClientIdAllocator } from "./ClientIdAllocator.js";
import { ListenError, listenError } from "./ListenError.js";
import { serverLogger, type DarkRiftLogger } from "./Logger.js";
import { ServerClient } from "./ServerClient.js";

/** Options of {@link serve}. */
export interface ServerOptions extends ConnectionOptions {
  /** Bichannel protocol version spoken: 1 (default, DarkRift ≥ 2.11) or 0 (legacy clients ≤ 2.10). */
  protocolVersion?: ProtocolVersion;
  /** Time a client has, after TCP accept, to complete the UDP hello. Default 5000 ms (C#). */
  handshakeTimeoutMs?: number;
  /**
   * Strike total at which a client is disconnected (C# `maxStrikes`: reaching it disconnects).
   * Default 3, the value of C#'s sample configuration (a programmatic C# config leaves it 0: the
   * first strike disconnects). Weights: command 5, short header 5, oversize TCP body 10,
   * unknown ping acknowledgement 1.
   */
  maxStrikes?: number;
  /** TCP body lengths at or above this are refused unread (strike 10). Default 65535 (C# `maxTcpBodyLength`). */
  maxBodyLength?: number;
  /** Disable Nagle's algorithm on client sockets. Default true (C# defaults to false). */
  noDelay?: boolean;
  /** Bytes a client may send over TCP before its handshake completes; beyond, it is dropped. Default 64 KiB. */
  maxEarlyBytes?: number;
  /** After a graceful close, a socket that has not closed within this is destroyed. Default 5000 ms. */
  closeTimeoutMs?: number;
  /**
   * Where handshakes, strikes, disconnections and their reasons are logged. Default {@link serverLogger}:
   * debug/info lines under the debug namespace `darkrift:server` (`DEBUG=darkrift:server`), warnings and errors to `console`.
   */
  logger?: DarkRiftLogger;
  /**
   * SO_RCVBUF of the shared UDP socket, in bytes (capped by the OS, e.g. `net.core.rmem_max`). All
   * clients' datagrams land in this one buffer: raise it for many clients. Default: the OS default.
   */
  udpReceiveBufferSize?: number;
  /** SO_SNDBUF of the shared UDP socket, in bytes. Default: the OS default. */
  udpSendBufferSize?: number;
}

/** Options of {@link DarkRiftServer.broadcast}. */
export interface BroadcastOptions {
  /** TCP (default) or UDP. */
  reliable?: boolean;
  /** Clients (or IDs) left out, e.g. the sender. */
  except?: ServerClient | number | Iterable<ServerClient | number>;
}

/** Called for each client once its handshake completes. */
export type ClientHandler = (client: ServerClient) => void | Promise<void>;

interface Pending {
  socket: Socket;
  token: Uint8Array;
  timer: ReturnType<typeof setTimeout>;
  chunks: Uint8Array[];
  onData: (chunk: Uint8Array) => void;
}

const endPointKey = (address: string, port: number): string => `${address}|${port}`;

/**
 * A DarkRift 2 bichannel server (C#'s `BichannelListener` + `ClientManager`): accepts TCP, runs the
 * handshake (raw 9-byte hello, UDP hello, UDP ack, Configure), then hands each client to the
 * handler. Create it with {@link serve}.
 */
export class DarkRiftServer {
  /** Connected clients by ID. */
  readonly clients: ReadonlyMap<number, ServerClient>;
  /** The bichannel protocol version this server speaks. */
  readonly protocolVersion: ProtocolVersion;

  private readonly clientTable = new Map<number, ServerClient>();
  private readonly udpClients = new Map<string, ServerClient>();
  private readonly pending = new Map<string, Pending>();
  private readonly ids = new ClientIdAllocator();
  private readonly handler: ClientHandler;
  private readonly options: ServerOptions;
  private readonly logger: DarkRiftLogger;
  private readonly handshakeTimeoutMs: number;
  private readonly connectListeners = new Set<(client: ServerClient) => void>();
  private readonly disconnectListeners = new Set<(client: ServerClient, reason: ConnectionClosedError) => void>();
  private tcp: TcpServer | undefined;
  private udp: UdpSocket | undefined;
  private closing: Promise<void> | undefined;
  private boundHost = "";
  private boundTcpPort = 0;
  private boundUdpPort = 0;
  private readonly sendDatagram = (bytes: Uint8Array, port: number, address: string, cb: (e: Error | null) => void): void => {
    if (!this.udp) return cb(new Error("the server is closed"));
    this.udp.send(bytes, port, address, cb);
  };

  /** @internal Use {@link serve}. */
  constructor(handler: ClientHandler, options: ServerOptions = {}) {
    this.handler = handler;
    this.options = options;
    this.logger = options.logger ?? serverLogger;
    this.protocolVersion = options.protocolVersion ?? ProtocolVersion.V1;
    if (this.protocolVersion !== 0 && this.protocolVersion !== 1) throw new RangeError(`protocolVersion must be 0 or 1`);
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5000;
    this.clients = this.clientTable;
  }

  /** The address the listeners are bound to. */
  get host(): string {
    return this.boundHost;
  }

  /** The TCP port (the actual one when 0 was asked). */
  get tcpPort(): number {
    return this.boundTcpPort;
  }

  /** The UDP port (the actual one when 0 was asked). */
  get udpPort(): number {
    return this.boundUdpPort;
  }

  /** Connections still in the handshake (TCP accepted, UDP hello not yet received). */
  get pendingHandshakes(): number {
    return this.pending.size;
  }

  /** Registers a listener called when a client completes its handshake; returns a function that removes it. */
  onConnect(listener: (client: ServerClient) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Registers a listener called when a client disconnects, with the reason; returns a function that removes it. */
  onDisconnect(listener: (client: ServerClient, reason: ConnectionClosedError) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /**
   * Sends a message to every connected client (but `except`), encoding it once. Returns how many
   * clients it was queued for. A client whose send fails is closed (and logged); the others still get it.
   */
  broadcast(message: DarkRiftMessage, options: BroadcastOptions = {}): number {
    const reliable = options.reliable ?? true;
    const bytes = reliable ? encodeTcpFrame(message) : encodeDatagram(message);
    const excluded = new Set<number>();
    const except = options.except;
    if (except !== undefined) {
      const list = typeof except === "number" || except instanceof ServerClient ? [except] : except;
      for (const e of list) excluded.add(typeof e === "number" ? e : e.id);
    }
    let sent = 0;
    for (const client of this.clientTable.values()) {
      if (client.isClosed || excluded.has(client.id)) continue;
      try {
        client.sendEncoded(bytes, reliable, message);
        sent++;
      } catch {
        // The client closed itself (its close reason is logged).
      }
    }
    return sent;
  }

  /**
   * Stops the server: no new connections, pending handshakes dropped, every client closed
   * gracefully (queued data is sent first), then the sockets are released.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** @internal Binds the listeners. */
  async listen(host: string, tcpPort: number, udpPort: number | undefined): Promise<void> {
    let address = host;
    let family = isIP(host);
    if (family === 0) {
      try {
        const r = await lookup(host);
        address = r.address;
        family = r.family;
      } catch (e) {
        throw new ListenError("BAD_ADDRESS", `cannot listen on "${host}": the host name does not resolve (${(e as Error).message})`, { address: host, port: tcpPort }, { cause: e });
      }
    }
    this.boundHost = address;
    // With no UDP port, use the TCP port's number; when the TCP port was ephemeral, retry if that UDP port is taken.
    for (let attempt = 0; ; attempt++) {
      const tcp = createServer({ noDelay: this.options.noDelay ?? true, pauseOnConnect: false }, (s) => this.accept(s));
      await new Promise<void>((resolve, reject) => {
        tcp.once("error", (e) => reject(listenError("tcp", address, tcpPort, e)));
        tcp.listen(tcpPort, address, () => {
          tcp.removeAllListeners("error");
          resolve();
        });
      });
      const actualTcpPort = (tcp.address() as { port: number }).port;
      const udp = createSocket({
        type: family === 6 ? "udp6" : "udp4",
        ...(this.options.udpReceiveBufferSize ? { recvBufferSize: this.options.udpReceiveBufferSize } : {}),
        ...(this.options.udpSendBufferSize ? { sendBufferSize: this.options.udpSendBufferSize } : {}),
      });
      const wantedUdpPort = udpPort ?? actualTcpPort;
      try {
        await new Promise<void>((resolve, reject) => {
          udp.once("error", reject);
          udp.bind({ port: wantedUdpPort, address, exclusive: true }, () => {
            udp.off("error", reject);
            resolve();
          });
        });
      } catch (e) {
        udp.close();
        await new Promise<void>((r) => tcp.close(() => r()));
        if (udpPort === undefined && tcpPort === 0 && attempt < 10 && (e as NodeJS.ErrnoException).code === "EADDRINUSE") continue;
        throw listenError("udp", address, wantedUdpPort, e);
      }
      tcp.on("error", (e) => this.logger.error("TCP listener error", e));
      udp.on("error", (e) => this.logger.error("UDP socket error", e));
      udp.on("message", (msg, rinfo) => this.datagram(msg, rinfo));
      this.tcp = tcp;
      this.udp = udp;
      this.boundTcpPort = actualTcpPort;
      this.boundUdpPort = udp.address().port;
      this.logger.debug?.(`listening on TCP ${address}:${actualTcpPort} and UDP ${address}:${this.boundUdpPort} (protocol v${this.protocolVersion})`);
      return;
    }
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    let token: Uint8Array;
    let key: string;
    do {
      token = generateToken();
      key = tokenKey(token);
    } while (this.pending.has(key));
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    const maxEarly = this.options.maxEarlyBytes ?? 64 * 1024;
    const entry: Pending = {
      socket,
      token,
      chunks: [],
      onData: () => {},
      timer: setTimeout(() => {
        if (this.pending.get(key) !== entry) return;
        this.pending.delete(key);
        this.logger.warn(`connection attempt from ${remote} timed out: no UDP hello within ${this.handshakeTimeoutMs} ms`);
        socket.destroy();
      }, this.handshakeTimeoutMs),
    };
    this.pending.set(key, entry);
    let early = 0;
    const onData = (chunk: Uint8Array): void => {
      early += chunk.length;
      if (early > maxEarly) {
        this.dropPending(key, entry);
        this.logger.warn(`connection attempt from ${remote} dropped: ${early} bytes sent before the handshake completed`);
        socket.destroy();
        return;
      }
      entry.chunks.push(chunk);
    };
    socket.on("data", onData);
    socket.on("error", () => {}); // reported through 'close'; the ServerClient installs its own
    socket.once("close", () => this.dropPending(key, entry));
    entry.onData = onData;
    // The raw 9-byte hello in ONE write: the C# client reads it with a single Receive.
    socket.write(encodeTcpHello(this.protocolVersion, token));
    this.logger.debug?.(`TCP connection from ${remote}: sent the v${this.protocolVersion} hello, waiting for its UDP hello`);
  }

  private dropPending(key: string, entry: Pending): void {
    if (this.pending.get(key) !== entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  private datagram(msg: Uint8Array, rinfo: RemoteInfo): void {
    const epKey = endPointKey(rinfo.address, rinfo.port);
    const known = this.udpClients.get(epKey);
    if (known) {
      known.receiveDatagram(msg);
      return;
    }
    const hello = parseUdpHello(msg);
    if (!hello) {
      this.logger.debug?.(`dropped a ${msg.length}-byte datagram from unknown endpoint ${rinfo.address}:${rinfo.port}`);
      return;
    }
    const key = tokenKey(hello.token);
    const entry = this.pending.get(key);
    if (!entry) {
      this.logger.debug?.(`UDP hello from ${rinfo.address}:${rinfo.port} had no associated TCP connection`);
      return;
    }
    this.dropPending(key, entry);
    const socket = entry.socket;
    if (socket.destroyed || this.closing) return;
    let id: number;
    try {
      id = this.ids.reserve();
    } catch (e) {
      this.logger.warn(`client from ${rinfo.address}:${rinfo.port} refused: no ID free to allocate`, e);
      socket.destroy();
      return;
    }
    this.logger.debug?.(`UDP hello from ${rinfo.address}:${rinfo.port} matches TCP ${socket.remoteAddress}:${socket.remotePort}: acknowledged, client ${id}`);
    this.udp!.send(encodeUdpAck(this.protocolVersion, entry.token), rinfo.port, rinfo.address);
    socket.off("data", entry.onData);
    socket.removeAllListeners("error");
    const client = new ServerClient({
      id,
      socket,
      udpEndPoint: { address: rinfo.address, port: rinfo.port },
      sendDatagram: this.sendDatagram,
      maxStrikes: this.options.maxStrikes ?? 3,
      maxBodyLength: this.options.maxBodyLength ?? 65535,
      closeTimeoutMs: this.options.closeTimeoutMs ?? 5000,
      logger: this.logger,
      options: this.options,
    });
    this.clientTable.set(id, client);
    this.udpClients.set(epKey, client);
    client.onClose((reason) => this.clientClosed(client, epKey, reason));
    if (client.isClosed) return;
    this.logger.info(`client ${id} connected (tcp ${client.remoteTcpEndPoint.address}:${client.remoteTcpEndPoint.port}, udp ${rinfo.address}:${rinfo.port})`);
    // As C#: ClientConnected handlers run first, so what they send goes out before Configure.
    for (const listener of this.connectListeners) {
      try {
        listener(client);
      } catch (e) {
        this.logger.error(`an onConnect listener failed for client ${id}`, e);
      }
    }
    try {
      const r = this.handler(client);
      if (r && typeof (r as Promise<void>).then === "function") {
        (r as Promise<void>).then(undefined, (e: unknown) => this.handlerFailed(client, e));
      }
    } catch (e) {
      this.handlerFailed(client, e);
    }
    client.start(entry.chunks);
  }

  private handlerFailed(client: ServerClient, error: unknown): void {
    if (error instanceof ConnectionClosedError && client.isClosed) {
      // The handler was waiting on a client that disconnected: a normal end.
      return;
    }
    this.logger.error(`the handler of client ${client.id} failed; disconnecting it`, error);
    void client.closeWith(new ConnectionClosedError("HANDLER_ERROR", "the connection handler failed", { cause: error }));
  }

  private clientClosed(client: ServerClient, epKey: string, reason: ConnectionClosedError): void {
    if (this.clientTable.get(client.id) === client) {
      this.clientTable.delete(client.id);
      this.ids.release(client.id);
    }
    if (this.udpClients.get(epKey) === client) this.udpClients.delete(epKey);
    const normal = reason.code === "CLOSED" || reason.code === "REMOTE_CLOSED" || reason.code === "SERVER_CLOSED";
    if (normal) this.logger.info(`client ${client.id} disconnected (${reason.message})`);
    else this.logger.warn(`client ${client.id} disconnected: ${reason.code}: ${reason.message}`, reason.cause);
    for (const listener of this.disconnectListeners) {
      try {
        listener(client, reason);
      } catch (e) {
        this.logger.error(`an onDisconnect listener failed for client ${client.id}`, e);
      }
    }
  }

  private async shutdown(): Promise<void> {
    const tcp = this.tcp;
    const tcpClosed = tcp ? new Promise<void>((r) => tcp.close(() => r())) : Promise.resolve();
    for (const [key, entry] of [...this.pending]) {
      this.dropPending(key, entry);
      entry.socket.destroy();
    }
    await Promise.all(
      [...this.clientTable.values()].map((c) =>
        c.closeWith(new ConnectionClosedError("SERVER_CLOSED", "the server is shutting down")),
      ),
    );
    const udp = this.udp;
    this.udp = undefined;
    if (udp) await new Promise<void>((r) => udp.close(() => r()));
    await tcpClosed;
  }
}

/**
 * Starts a DarkRift 2 bichannel server on `host`, TCP `tcpPort` and UDP `udpPort` (default: the same
 * port number as TCP; pass 0 for ephemeral ports and read `server.tcpPort` / `server.udpPort`).
 * `handler` is called with each client once its handshake completes; what it sends before its first
 * `await` goes out before the Configure command, as with C# `ClientConnected` plugins.
 *
 * Rejects with {@link ListenError} when a socket cannot be bound: `transport` says whether the TCP or
 * the UDP port (and `address` / `port` which) is taken or refused.
 *
 * ```ts
 * const server = await serve(async (client) => {
 *   for await (const message of client) await client.send(message, { reliable: message.reliable });
 * }, "127.0.0.1", 4296);
 * ```
 */
export async function serve(
  handler: ClientHandler,
  host: string,
  tcpPort: number,
  udpPort?: number,
  options: ServerOptions = {},
): Promise<DarkRiftServer> {
  const server = new DarkRiftServer(handler, options);
  await server.listen(host, tcpPort, udpPort);
  return server;
}

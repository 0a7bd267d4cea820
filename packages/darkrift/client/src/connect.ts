import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as tcpConnect, isIPv6, type Socket } from "node:net";
import { type DarkRiftLogger } from "@darkrift/core";
import {
  encodeUdpHello,
  HandshakeError,
  HELLO_LENGTH,
  helloPrefixError,
  isUdpAck,
  parseTcpHello,
  TimeoutError,
  type ConnectionOptions,
  type TimeoutPhase,
} from "@darkrift/protocol";
import { clientLogger } from "./clientLogger.js";
import { DarkRiftClient } from "./DarkRiftClient.js";

/** Options of {@link connect}. */
export interface ClientOptions extends ConnectionOptions {
  /** Time to establish the TCP connection. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Time to receive the server's 9-byte TCP hello. Default 5000 ms (C#). */
  tokenTimeoutMs?: number;
  /** Time to receive the server's UDP acknowledgement. Default 5000 ms (C#). */
  ackTimeoutMs?: number;
  /** Time to receive the Configure command after the UDP acknowledgement. Default 10 000 ms (C#). */
  configureTimeoutMs?: number;
  /**
   * Largest TCP body accepted from the server, exclusive (C# clients have no limit). Bodies are only
   * buffered as they arrive, never preallocated. Default 16 MiB.
   */
  maxBodyLength?: number;
  /** Disable Nagle's algorithm. Default true. */
  noDelay?: boolean;
  /** After a graceful close, sockets not closed within this are destroyed. Default 5000 ms. */
  closeTimeoutMs?: number;
  /**
   * Where the handshake steps and the close reason are logged. Default {@link clientLogger}: the
   * debug namespace `darkrift:client`, printed when `DEBUG=darkrift:client` (or `darkrift:*`) is set.
   */
  logger?: DarkRiftLogger;
}

/** Resolves/rejects with a phase timeout; `clear()` must be called when done. */
function deadline(phase: TimeoutPhase, ms: number, fail: (e: Error) => void, explain?: () => string): () => void {
  const t = setTimeout(() => fail(new TimeoutError(phase, ms, explain?.())), ms);
  return () => clearTimeout(t);
}

const endpoint = (address: string, port: number): string => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

const UDP_HINT = "DarkRift needs both TCP and UDP: check connect()'s udpPort argument (default: the TCP port number) and that nothing blocks UDP";

/**
 * Connects to a DarkRift 2 bichannel server (C# ≥ 2.11 speaking protocol 1, or a legacy / v0 server)
 * and completes the handshake: TCP connect, the server's raw 9-byte hello, the same 9 bytes back
 * over UDP (from a socket bound to the TCP socket's local IP), the UDP acknowledgement, then the
 * Configure command with the client ID. `udpPort` defaults to `tcpPort`.
 *
 * Rejects with {@link TimeoutError} (`phase` says which wait) or {@link HandshakeError}.
 *
 * ```ts
 * const client = await connect("127.0.0.1", 4296);
 * await client.send(new DarkRiftMessage(1, writer));            // TCP
 * await client.send(new DarkRiftMessage(1, writer), { reliable: false }); // UDP
 * const reply = await client.recv();
 * ```
 */
export async function connect(host: string, tcpPort: number, udpPort: number = tcpPort, options: ClientOptions = {}): Promise<DarkRiftClient> {
  const log = options.logger ?? clientLogger;
  const tcpAt = endpoint(host, tcpPort);
  let socket: Socket | undefined;
  let udp: UdpSocket | undefined;
  let client: DarkRiftClient | undefined;
  let failHandshake: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (failHandshake = reject));
  failed.catch(() => {});
  const race = <T>(p: Promise<T>): Promise<T> => Promise.race([p, failed]);
  let clear = (): void => {};

  try {
    // 1. TCP.
    log.debug?.(`connecting to TCP ${tcpAt} (UDP port ${udpPort})`);
    const s = tcpConnect({ host, port: tcpPort, noDelay: options.noDelay ?? true });
    socket = s;
    const chunks: Uint8Array[] = [];
    let received = 0;
    let onBytes: (() => void) | undefined;
    let helloDone = false;
    const onData = (chunk: Uint8Array): void => {
      // A server that is not DarkRift is refused on its first byte, not after a 9-byte wait.
      if (received === 0 && !helloDone) {
        const refused = helloPrefixError(chunk);
        if (refused) failHandshake(refused);
      }
      chunks.push(chunk);
      received += chunk.length;
      onBytes?.();
    };
    s.on("data", onData);
    const onError = (e: Error): void =>
      failHandshake(new HandshakeError("SOCKET_ERROR", `TCP error during the handshake with ${tcpAt}: ${e.message}`, { cause: e }));
    const onClose = (): void => {
      if (helloDone) {
        failHandshake(new HandshakeError("CLOSED_DURING_HANDSHAKE", `the server ${tcpAt} closed the connection during the handshake`));
      } else if (received === 0) {
        failHandshake(
          new HandshakeError(
            "CLOSED_DURING_HANDSHAKE",
            `the server ${tcpAt} closed the connection without sending the DarkRift handshake (${HELLO_LENGTH} bytes): ` +
              "is it a DarkRift server (and not full or refusing connections)?",
          ),
        );
      } else {
        const got = concat(chunks, received);
        failHandshake(
          helloPrefixError(got) ??
            new HandshakeError(
              "CLOSED_DURING_HANDSHAKE",
              `the server ${tcpAt} closed the connection after ${received} of the ${HELLO_LENGTH} handshake bytes (${hexOf(got)}): is it a DarkRift server?`,
            ),
        );
      }
    };
    s.on("error", onError);
    s.on("close", onClose);

    clear = deadline("connect", options.connectTimeoutMs ?? 10_000, failHandshake, () => `no TCP connection to ${tcpAt} within ${options.connectTimeoutMs ?? 10_000} ms`);
    await race(new Promise<void>((resolve) => s.once("connect", () => resolve())));
    clear();
    log.debug?.(`TCP connected ${s.localAddress}:${s.localPort} -> ${tcpAt}`);

    // 2. UDP socket on the same local IP, connected to the server's UDP port.
    const localAddress = s.localAddress!;
    const u = createSocket({ type: isIPv6(localAddress) ? "udp6" : "udp4" });
    udp = u;
    const datagrams: Uint8Array[] = [];
    let onDatagram: (() => void) | undefined;
    const onMessage = (msg: Uint8Array): void => {
      if (msg.length === 0) return; // hole punching
      datagrams.push(msg);
      onDatagram?.();
    };
    u.on("message", onMessage);
    const udpAt = endpoint(s.remoteAddress!, udpPort);
    const onUdpError = (e: Error): void => {
      const refused = (e as NodeJS.ErrnoException).code === "ECONNREFUSED";
      const what = refused
        ? `no DarkRift server answered on UDP ${udpAt} (${e.message}: nothing listens on that UDP port)`
        : `UDP error during the handshake with ${udpAt}: ${e.message}`;
      failHandshake(new HandshakeError("SOCKET_ERROR", `${what}. ${UDP_HINT}`, { cause: e }));
    };
    u.on("error", onUdpError);
    await race(new Promise<void>((resolve) => u.bind({ address: localAddress, port: 0 }, () => resolve())));
    await race(new Promise<void>((resolve) => u.connect(udpPort, s.remoteAddress!, () => resolve())));

    // 3. The server's raw 9-byte hello (accumulated: TCP may split it).
    const tokenTimeoutMs = options.tokenTimeoutMs ?? 5000;
    clear = deadline(
      "token",
      tokenTimeoutMs,
      failHandshake,
      () =>
        `no DarkRift handshake from ${tcpAt} within ${tokenTimeoutMs} ms (${received} of ${HELLO_LENGTH} bytes received): ` +
        "a DarkRift server speaks first; a server that waits for the client (HTTP, WebSocket) is not a DarkRift server",
    );
    await race(
      new Promise<void>((resolve) => {
        onBytes = () => {
          if (received >= HELLO_LENGTH) resolve();
        };
        onBytes();
      }),
    );
    clear();
    onBytes = undefined;
    helloDone = true;
    s.off("data", onData);
    const all = chunks.length === 1 ? chunks[0]! : concat(chunks, received);
    const hello = parseTcpHello(all.subarray(0, HELLO_LENGTH));
    log.debug?.(`received the v${hello.version} hello; sending it back over UDP to ${udpAt}`);
    const leftover = all.subarray(HELLO_LENGTH);
    // Nothing is read until the connection takes over the socket.
    s.pause();

    // 4. The same 9 bytes back over UDP, once (as C#: no retry), then the acknowledgement.
    const ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    clear = deadline("ack", ackTimeoutMs, failHandshake, () => `no UDP acknowledgement from ${udpAt} within ${ackTimeoutMs} ms. ${UDP_HINT}`);
    await race(
      new Promise<void>((resolve, reject) => {
        u.send(encodeUdpHello(hello.version, hello.token), (e) => {
          if (e) reject(new HandshakeError("SOCKET_ERROR", `could not send the UDP hello to ${udpAt}: ${e.message}. ${UDP_HINT}`, { cause: e }));
        });
        let settled = false;
        onDatagram = () => {
          if (settled) return; // later datagrams stay queued for the connection
          settled = true;
          const first = datagrams.shift()!;
          if (isUdpAck(hello.version, hello.token, first)) resolve();
          else reject(new HandshakeError("BAD_ACK", `the UDP acknowledgement from ${udpAt} (${first.length} bytes) does not match the token`));
        };
        if (datagrams.length > 0) onDatagram();
      }),
    );
    clear();
    log.debug?.(`UDP acknowledged by ${udpAt}; waiting for Configure`);
    u.off("message", onMessage);
    u.off("error", onUdpError);
    s.off("error", onError);
    s.off("close", onClose);

    // 5. The connection takes over; Configure carries the ID.
    const c = new DarkRiftClient({
      socket: s,
      udp: u,
      protocolVersion: hello.version,
      maxBodyLength: options.maxBodyLength ?? 16 * 1024 * 1024,
      closeTimeoutMs: options.closeTimeoutMs ?? 5000,
      options,
    });
    client = c;
    const configureTimeoutMs = options.configureTimeoutMs ?? 10_000;
    clear = deadline("configure", configureTimeoutMs, failHandshake, () => `no Configure command from ${tcpAt} within ${configureTimeoutMs} ms after the UDP acknowledgement`);
    const closedEarly = c.closed.then((reason) => {
      throw new HandshakeError("CLOSED_DURING_HANDSHAKE", `the connection closed before Configure: ${reason.message}`, { cause: reason });
    });
    const configured = c.configure(leftover, datagrams);
    s.resume();
    await race(Promise.race([configured, closedEarly]));
    clear();
    log.info(`connected to ${tcpAt} as client ${c.id} (protocol v${hello.version})`);
    c.onClose((reason) => log.info(`client ${c.id} disconnected: ${reason.code}: ${reason.message}`));
    return c;
  } catch (e) {
    clear();
    log.debug?.(`connecting to ${tcpAt} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (client) {
      void client.close();
    } else {
      socket?.destroy();
      try {
        udp?.close();
      } catch {
        // not bound yet or already closed
      }
    }
    throw e;
  }
}

function hexOf(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += (b < 16 ? "0" : "") + b.toString(16);
  return s;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

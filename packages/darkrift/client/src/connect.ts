import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { connect as tcpConnect, isIPv6, type Socket } from "node:net";
import {
  encodeUdpHello,
  HandshakeError,
  HELLO_LENGTH,
  isUdpAck,
  parseTcpHello,
  TimeoutError,
  type ConnectionOptions,
  type TimeoutPhase,
} from "@darkrift/protocol";
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
}

/** Resolves/rejects with a phase timeout; `clear()` must be called when done. */
function deadline(phase: TimeoutPhase, ms: number, fail: (e: Error) => void): () => void {
  const t = setTimeout(() => fail(new TimeoutError(phase, ms)), ms);
  return () => clearTimeout(t);
}

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
    const s = tcpConnect({ host, port: tcpPort, noDelay: options.noDelay ?? true });
    socket = s;
    const chunks: Uint8Array[] = [];
    let received = 0;
    let onBytes: (() => void) | undefined;
    const onData = (chunk: Uint8Array): void => {
      chunks.push(chunk);
      received += chunk.length;
      onBytes?.();
    };
    s.on("data", onData);
    const onError = (e: Error): void => failHandshake(new HandshakeError("SOCKET_ERROR", `TCP error during the handshake: ${e.message}`, { cause: e }));
    const onClose = (): void => failHandshake(new HandshakeError("CLOSED_DURING_HANDSHAKE", "the server closed the connection during the handshake"));
    s.on("error", onError);
    s.on("close", onClose);

    clear = deadline("connect", options.connectTimeoutMs ?? 10_000, failHandshake);
    await race(new Promise<void>((resolve) => s.once("connect", () => resolve())));
    clear();

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
    const onUdpError = (e: Error): void => failHandshake(new HandshakeError("SOCKET_ERROR", `UDP error during the handshake: ${e.message}`, { cause: e }));
    u.on("error", onUdpError);
    await race(new Promise<void>((resolve) => u.bind({ address: localAddress, port: 0 }, () => resolve())));
    await race(new Promise<void>((resolve) => u.connect(udpPort, s.remoteAddress!, () => resolve())));

    // 3. The server's raw 9-byte hello (accumulated: TCP may split it).
    clear = deadline("token", options.tokenTimeoutMs ?? 5000, failHandshake);
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
    s.off("data", onData);
    const all = chunks.length === 1 ? chunks[0]! : concat(chunks, received);
    const hello = parseTcpHello(all.subarray(0, HELLO_LENGTH));
    const leftover = all.subarray(HELLO_LENGTH);
    // Nothing is read until the connection takes over the socket.
    s.pause();

    // 4. The same 9 bytes back over UDP, once (as C#: no retry), then the acknowledgement.
    clear = deadline("ack", options.ackTimeoutMs ?? 5000, failHandshake);
    await race(
      new Promise<void>((resolve, reject) => {
        u.send(encodeUdpHello(hello.version, hello.token), (e) => {
          if (e) reject(new HandshakeError("SOCKET_ERROR", `could not send the UDP hello: ${e.message}`, { cause: e }));
        });
        let settled = false;
        onDatagram = () => {
          if (settled) return; // later datagrams stay queued for the connection
          settled = true;
          const first = datagrams.shift()!;
          if (isUdpAck(hello.version, hello.token, first)) resolve();
          else reject(new HandshakeError("BAD_ACK", `the server's UDP acknowledgement (${first.length} bytes) does not match the token`));
        };
        if (datagrams.length > 0) onDatagram();
      }),
    );
    clear();
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
    clear = deadline("configure", configureTimeoutMs, failHandshake);
    const closedEarly = c.closed.then((reason) => {
      throw new HandshakeError("CLOSED_DURING_HANDSHAKE", `the connection closed before Configure: ${reason.message}`, { cause: reason });
    });
    const configured = c.configure(leftover, datagrams);
    s.resume();
    await race(Promise.race([configured, closedEarly]));
    clear();
    return c;
  } catch (e) {
    clear();
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

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

// How RoomService delivers what room operations cause, over real loopback sockets: a message for
// many recipients is encoded once per codec-option set (PreparedMessage + sendPrepared), transports
// without sendPrepared still get it, a full send queue drops only that connection (reported), and
// connections already closed are skipped without errors.
import { SFSObject } from "@sfs2x/core";
import {
  PreparedMessage,
  SysAction,
  TransportError,
  TransportErrorCode,
  silentLogger,
  type Message,
  type TransportConnection,
} from "@sfs2x/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { SFSClient, SFSServer, ServerError, ServerErrorCode, type SFSServerOptions, type ServerTransportFactory } from "../src/index.js";
import { RoomService } from "../src/rooms/index.js";
import { serverFromUrl } from "../src/transportFromUrl.js";
import { until } from "./helpers.js";

/** What the spy saw on the server's connections. */
interface Seen {
  conn: TransportConnection;
  prepared: PreparedMessage[];
  sends: Message[];
  /** Sends attempted while the connection was already closed. */
  afterClose: number;
}

interface SpyOptions {
  /** Hide sendPrepared (a transport that does not offer it). */
  noPrepared?: boolean;
  /** Replace a send: return a promise to use instead of sending. */
  intercept?: (seen: Seen, message: Message) => Promise<void> | undefined;
}

/** The real transports, with every server-side connection wrapped by a spy. */
function spyTransport(all: Seen[], options: SpyOptions = {}): ServerTransportFactory {
  const wrap = (conn: TransportConnection): TransportConnection => {
    const seen: Seen = { conn, prepared: [], sends: [], afterClose: 0 };
    all.push(seen);
    return new Proxy(conn, {
      get(target, key) {
        if (key === "sendPrepared") {
          if (options.noPrepared) return undefined;
          return (p: PreparedMessage) => {
            if (target.closed) seen.afterClose++;
            seen.prepared.push(p);
            return options.intercept?.(seen, p.message) ?? target.sendPrepared!(p);
          };
        }
        if (key === "send") {
          return (m: Message) => {
            if (target.closed) seen.afterClose++;
            seen.sends.push(m);
            return options.intercept?.(seen, m) ?? target.send(m);
          };
        }
        const v = Reflect.get(target, key, target) as unknown;
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  return (url, opts) => {
    const inner = serverFromUrl(url, opts);
    return {
      listen: () => inner.listen(),
      get address() {
        return inner.address;
      },
      get connections() {
        return inner.connections;
      },
      onConnection: (listener) => inner.onConnection((c) => listener(wrap(c))),
      onError: (listener) => inner.onError(listener),
      close: () => inner.close(),
    };
  };
}

const KEY = { key: new Uint8Array(16).fill(3), iv: new Uint8Array(16).fill(5) };
const closers: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function scene(urls: string[], spy: SpyOptions, options: SFSServerOptions = {}) {
  const seen: Seen[] = [];
  const errors: Error[] = [];
  const service = new RoomService({ zones: [{ name: "Z", rooms: [{ name: "Lobby", maxUsers: 100 }] }], logger: silentLogger });
  const server = new SFSServer(urls, { roomListFor: service.roomListFor, logger: silentLogger, transport: spyTransport(seen, spy), ...options });
  service.attach(server);
  server.onError((e) => void errors.push(e));
  await server.listen();
  closers.push(() => server.close());
  const join = async (url: string, name: string, key?: typeof KEY): Promise<SFSClient> => {
    const c = new SFSClient(url, { zone: "Z", logger: silentLogger, requestTimeoutMs: 5000, ...(key ? { encryption: { key } } : {}) });
    closers.push(() => c.close());
    await c.connect();
    await c.login({ username: name });
    await c.rooms.joinRoom("Lobby");
    return c;
  };
  return { service, server, seen, errors, join };
}

/** Resolves with the public messages a client's room mirror reports. */
function chatLog(clients: SFSClient[]): string[] {
  const out: string[] = [];
  for (const c of clients) c.rooms.on("publicMessage", (e) => out.push(`${c.username}<${e.sender.name}:${e.message}`));
  return out;
}

const isChat = (m: Message): boolean => m.controller === 0 && m.action === SysAction.GenericMessage;

describe("RoomService delivery", () => {
  it("encodes a room message once per codec-option set and sends the same packet to every occupant", async () => {
    const s = await scene(["ws://127.0.0.1:0", "tcp://127.0.0.1:0"], {}, { encryption: { key: KEY } });
    const [ws, tcp] = s.server.addresses;
    const clients = [
      await s.join(ws!.url, "w1"),
      await s.join(ws!.url, "w2"),
      await s.join(ws!.url, "w3"),
      await s.join(tcp!.url, "t1", KEY), // TCP sessions are AES-encrypted: a packet of their own
      await s.join(tcp!.url, "t2", KEY),
    ];
    const heard = chatLog(clients);
    await clients[0]!.rooms.sendPublicMessage("to all é日");
    await until(() => heard.length === 5);
    expect(heard.sort()).toEqual(["t1", "t2", "w1", "w2", "w3"].map((n) => `${n}<w1:to all é日`));

    const chats = s.seen.flatMap((x) => x.prepared.filter((p) => isChat(p.message)));
    expect(chats).toHaveLength(5);
    expect(new Set(chats).size).toBe(1); // one PreparedMessage for the room
    expect(chats[0]!.encodings).toBe(2); // plain for the WebSocket sessions, AES for the TCP ones
    expect(s.seen.flatMap((x) => x.sends.filter(isChat))).toEqual([]);
    expect(s.errors).toEqual([]);
  });

  it("falls back to send() on a transport without sendPrepared", async () => {
    const s = await scene(["ws://127.0.0.1:0"], { noPrepared: true });
    const url = s.server.addresses[0]!.url;
    const clients = [await s.join(url, "a"), await s.join(url, "b"), await s.join(url, "c")];
    const heard = chatLog(clients);
    await clients[2]!.rooms.sendPublicMessage("plain");
    await until(() => heard.length === 3);
    expect(heard.sort()).toEqual(["a<c:plain", "b<c:plain", "c<c:plain"]);
    expect(s.seen.flatMap((x) => x.sends.filter(isChat))).toHaveLength(3);
    expect(s.errors).toEqual([]);
  });

  it("a full send queue drops only that connection, with a SEND_FAILED report; the others get the message", async () => {
    let slow: Seen | undefined;
    const s = await scene(["tcp://127.0.0.1:0"], {
      intercept: (seen, m) =>
        seen === slow && isChat(m) ? Promise.reject(new TransportError(TransportErrorCode.QUEUE_FULL, "send queue full (test)")) : undefined,
    });
    const url = s.server.addresses[0]!.url;
    const a = await s.join(url, "a");
    const b = await s.join(url, "b");
    const c = await s.join(url, "c");
    slow = s.seen.find((x) => s.server.sessionByName("Z", "b")?.connection.remoteAddress === x.conn.remoteAddress);
    expect(slow).toBeDefined();
    const heard = chatLog([a, c]);
    const bLost = new Promise<string>((resolve) => a.rooms.once("userExitRoom", (e) => resolve(e.user.name)));
    await a.rooms.sendPublicMessage("hello");
    await until(() => heard.length === 2);
    expect(heard.sort()).toEqual(["a<a:hello", "c<a:hello"]);
    expect((await b.closed).reason).toBeTruthy(); // the server closed b's connection
    expect(await bLost).toBe("b"); // and b left the room for the others
    const failure = s.errors.find((e) => e instanceof ServerError && e.code === ServerErrorCode.SEND_FAILED);
    expect(failure?.message).toMatch(/room message to session \d+ not sent: send queue full/);
    expect((failure as ServerError).cause).toBeInstanceOf(TransportError);
  });

  it("skips recipients whose connection is closed: users leaving at once, or a server shutdown, cause no send and no error", async () => {
    const s = await scene(["ws://127.0.0.1:0"], {});
    const url = s.server.addresses[0]!.url;
    const stay = await s.join(url, "stay");
    const leavers: SFSClient[] = [];
    for (let i = 0; i < 8; i++) leavers.push(await s.join(url, `l${i}`));
    const lobby = s.service.getZone("Z")!.getRoomByName("Lobby")!;
    expect(lobby.userCount).toBe(9);
    await Promise.all(leavers.map((c) => c.close()));
    await until(() => lobby.userCount === 1);
    await until(() => stay.rooms.getRoomByName("Lobby")!.getUserList().length === 1);
    expect(s.seen.reduce((n, x) => n + x.afterClose, 0)).toBe(0);
    expect(s.errors).toEqual([]);

    // The room still works for who is left.
    const heard = chatLog([stay]);
    await stay.rooms.sendPublicMessage("alone", undefined, new SFSObject().putInt("n", 1));
    await until(() => heard.length === 1);

    // A server shutdown closes every connection at once: each user's departure would go to the
    // others, all closing already; none of it is sent, nothing is reported.
    const more: SFSClient[] = [];
    for (let i = 0; i < 8; i++) more.push(await s.join(url, `m${i}`));
    expect(lobby.userCount).toBe(9);
    await s.server.close();
    await Promise.all([stay, ...more].map((c) => c.closed));
    await until(() => lobby.userCount === 0);
    expect(s.seen.reduce((n, x) => n + x.afterClose, 0)).toBe(0);
    expect(s.errors).toEqual([]);
  });
});

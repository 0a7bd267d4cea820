/**
 * @sfs2x/app: extension request → response round trips per second through `SFSClient` /
 * `SFSServer`, 50 logged-in clients with a window of 32 requests in flight, beside the bare
 * transport echo of the same run: the transport package's server sending each message straight
 * back and its clients counting replies (same packets on the wire, no app layer). Typed models
 * both ways (`PingRequest` in, `PongResponse` out). Two client styles:
 * - `request()`: one promise per request, FIFO correlation, reply parsed into the model;
 * - `callExtension()` + an `onExtension` handler: the official clients' event style.
 * TCP and WebSocket. Everything runs on loopback in this process.
 */
import { SFSObject } from "@sfs2x/core";
import { silentLogger, type Message, type TransportConnection, type TransportServer } from "@sfs2x/protocol";
import { ExtensionRequest, ExtensionResponse, SFSClient, SFSServer, bool, clientFromUrl, command, int, serverFromUrl, utfString } from "@sfs2x/app";
import { compare } from "../harness.js";

const CLIENTS = 50;
const WINDOW = 32;

@command("ping")
class PingRequest extends ExtensionRequest {
  @int("n") n = 0;
  @utfString("msg") msg = "hello world";
}

class PongResponse extends ExtensionResponse {
  @int("n") n = 0;
  @bool("pong") pong = true;
  @utfString("msg") msg = "";
}

// ---------------------------------------------------------------------------------------------
// Ours: SFSServer + SFSClient

interface Ours {
  server: SFSServer;
  clients: SFSClient[];
}

async function startOurs(scheme: string): Promise<Ours> {
  const server = new SFSServer(`${scheme}://127.0.0.1:0`, { logger: silentLogger });
  server.onExtension(PingRequest, (req) => {
    const pong = new PongResponse();
    pong.n = req.n;
    pong.msg = req.msg;
    return pong;
  });
  await server.listen();
  const url = server.addresses[0]!.url;
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const c = new SFSClient(url, { zone: "Bench", logger: silentLogger });
      await c.connect();
      await c.login({ username: `u${i}` });
      return c;
    }),
  );
  return { server, clients };
}

const request = new PingRequest();

interface Evented {
  client: SFSClient;
  received: number;
  wake: (() => void) | undefined;
}

function evented(client: SFSClient): Evented {
  const e: Evented = { client, received: 0, wake: undefined };
  client.onExtension("ping", PongResponse, () => {
    if (++e.received >= WINDOW) e.wake?.();
  });
  return e;
}

async function eventWindow(e: Evented): Promise<void> {
  e.received = 0;
  for (let i = 0; i < WINDOW; i++) {
    request.n = i;
    void e.client.callExtension(request);
  }
  if (e.received < WINDOW) await new Promise<void>((r) => (e.wake = r));
  e.wake = undefined;
}

async function ourWindow(c: SFSClient): Promise<void> {
  const pending: Promise<PongResponse>[] = new Array(WINDOW);
  for (let i = 0; i < WINDOW; i++) {
    request.n = i;
    pending[i] = c.request(request, PongResponse);
  }
  await Promise.all(pending);
}

// ---------------------------------------------------------------------------------------------
// Peer: the transport's own server echoing each message, clients counting replies

interface Bare {
  server: TransportServer;
  clients: Counted[];
}

interface Counted {
  conn: TransportConnection;
  received: number;
  wake: (() => void) | undefined;
}

/** The same extension packet our client sends (c=1 a=13 {c, r, p}). */
function bareMessage(): Message {
  const inner = new SFSObject().putInt("n", 1).putUtfString("msg", "hello world");
  const params = new SFSObject().putUtfString("c", "ping").putInt("r", -1).putSFSObject("p", inner);
  return { controller: 1, action: 13, params };
}

async function startBare(scheme: string): Promise<Bare> {
  const server = serverFromUrl(`${scheme}://127.0.0.1:0`, { logger: silentLogger });
  server.onConnection((conn) => {
    conn.onMessage((m) => {
      void conn.send(m);
    });
  });
  await server.listen();
  const a = server.address!;
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const conn = await clientFromUrl(`${scheme}://127.0.0.1:${a.port}`, { logger: silentLogger });
      const c: Counted = { conn, received: 0, wake: undefined };
      conn.onMessage(() => {
        c.received++;
        if (c.received >= WINDOW) c.wake?.();
      });
      return c;
    }),
  );
  return { server, clients };
}

const BARE = bareMessage();

async function bareWindow(c: Counted): Promise<void> {
  c.received = 0;
  for (let i = 0; i < WINDOW; i++) void c.conn.send(BARE);
  if (c.received < WINDOW) await new Promise<void>((r) => (c.wake = r));
  c.wake = undefined;
}

// ---------------------------------------------------------------------------------------------

export default async function suite(): Promise<void> {
  for (const scheme of ["tcp", "ws"]) {
    const bareContender = (): { name: string; ops: number; setup: () => Promise<void>; run: () => Promise<unknown>; teardown: () => Promise<void> } => {
      let bare: Bare | undefined;
      return {
        name: `bare ${scheme} transport echo`,
        ops: CLIENTS * WINDOW,
        setup: async () => {
          bare = await startBare(scheme);
        },
        run: () => Promise.all(bare!.clients.map(bareWindow)),
        teardown: async () => {
          await Promise.all(bare!.clients.map((c) => c.conn.close()));
          await bare!.server.close();
        },
      };
    };
    let ours: Ours | undefined;
    await compare(
      `sfs2x-app: extension request → response over ${scheme}:// (${CLIENTS} clients, window ${WINDOW}), request() round trips/s`,
      {
        name: "SFSClient.request() ↔ SFSServer (typed models)",
        ops: CLIENTS * WINDOW,
        setup: async () => {
          ours = await startOurs(scheme);
        },
        run: () => Promise.all(ours!.clients.map(ourWindow)),
        teardown: async () => {
          await Promise.all(ours!.clients.map((c) => c.close()));
          await ours!.server.close();
        },
      },
      [bareContender()],
    );
    let events: { ours: Ours; clients: Evented[] } | undefined;
    await compare(
      `sfs2x-app: extension request → response over ${scheme}:// (${CLIENTS} clients, window ${WINDOW}), callExtension() + onExtension handler round trips/s`,
      {
        name: "SFSClient.callExtension() + handler ↔ SFSServer (typed models)",
        ops: CLIENTS * WINDOW,
        setup: async () => {
          const o = await startOurs(scheme);
          events = { ours: o, clients: o.clients.map(evented) };
        },
        run: () => Promise.all(events!.clients.map(eventWindow)),
        teardown: async () => {
          await Promise.all(events!.ours.clients.map((c) => c.close()));
          await events!.ours.server.close();
        },
      },
      [bareContender()],
    );
  }
}

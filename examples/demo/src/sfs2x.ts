import {
  command,
  ExtensionRequest,
  ExtensionResponse,
  int,
  long,
  RoomClient,
  RoomService,
  SFSClient,
  SFSError,
  SFSServer,
  utfString,
  type Logger,
} from "@sfs2x/app";
import { SFSErrorCode } from "@sfs2x/protocol";
import type { Log } from "./log.js";

/** The extension request: the client sends a number and the time it sent it. */
@command("ping")
export class PingRequest extends ExtensionRequest {
  @int("n") n = 0;
  @long("sentAt") sentAt = 0;
}

/** The reply: the number plus one, and who answered. */
@command("ping")
export class PongResponse extends ExtensionResponse {
  @int("n") n = 0;
  @utfString("by") by = "";
}

/** What one client of the SFS2X part exchanged, for callers that check it (the demo's test). */
export interface Sfs2xTranscript {
  url: string;
  username: string;
  userId: number;
  /** The ec of the login refused on purpose (wrong password). */
  refusedWith: number | undefined;
  /** The room joined and who was in it on joining. */
  room: string;
  usersOnJoin: string[];
  /** Public messages received in the room, as `sender: text` (own ones included: the server echoes them). */
  heard: string[];
  pong: number;
  zoneAfterLogout: string;
}

export const ZONE = "Demo";
export const ROOM = "The Lobby";
const PASSWORDS = new Map([
  ["ada", "lovelace"],
  ["grace", "hopper"],
]);

/** One chatter of the demo: a client with its room mirror. */
interface Chatter {
  name: string;
  url: string;
  client: SFSClient;
  rooms: RoomClient;
  transcript: Sfs2xTranscript;
}

/**
 * Starts an SFS2X server on 127.0.0.1 (WebSocket, the official JS client's transport, and TCP)
 * with a zone `Demo` holding the room `The Lobby`, a login that checks passwords, and an extension
 * `ping`. Then two clients, ada over WebSocket and grace over TCP: each gets a login refused (wrong
 * password), logs in and joins The Lobby; they chat (public messages, each sees both), call `ping`,
 * log out and close.
 */
export async function runSfs2xDemo(log: Log): Promise<Sfs2xTranscript[]> {
  const logger: Logger = {
    debug: () => {},
    info: (m) => log("server", m),
    warn: (m) => log("server", `warning: ${m}`),
    error: (m) => log("server", `error: ${m}`),
  };
  const rooms = new RoomService({ zones: [{ name: ZONE, rooms: [{ name: ROOM, maxUsers: 50 }] }], logger });
  const server = new SFSServer(["ws://127.0.0.1:0", "tcp://127.0.0.1:0"], { zones: [ZONE], roomListFor: rooms.roomListFor, logger });
  rooms.attach(server); // serves JoinRoom, public messages... and follows logouts and disconnections

  server.onLogin((request, ctx) => {
    const expected = PASSWORDS.get(request.username);
    // The client sends md5(session token + password); the session checks it against the plain one.
    if (expected === undefined || !ctx.session.checkPassword(expected, request.password)) {
      log("server", `login refused for "${request.username}"`);
      throw new SFSError(SFSErrorCode.LoginBadPassword, [request.username]);
    }
    log("server", `login of "${request.username}" in zone ${request.zone} over ${ctx.session.scheme}`);
  });
  server.onExtension(PingRequest, (request, ctx) => {
    log("server", `← ping n=${request.n} from ${ctx.session.username}; → pong n=${request.n + 1}`);
    return Object.assign(new PongResponse(), { n: request.n + 1, by: "the demo server" });
  });

  await server.listen();
  const [wsUrl, tcpUrl] = server.addresses.map((a) => a.url) as [string, string];
  log("server", `listening on ${wsUrl} and ${tcpUrl}; zone ${ZONE}, room ${ROOM}`);

  const chatters: Chatter[] = [];
  try {
    // 1. Connect, a refused login, a login, join the room.
    for (const [name, url] of [
      ["ada", wsUrl],
      ["grace", tcpUrl],
    ] as const) {
      const client = new SFSClient(url, { zone: ZONE, requestTimeoutMs: 3000 });
      const roomClient = new RoomClient(client, { timeoutMs: 3000 }); // before login: it reads the login reply
      const transcript: Sfs2xTranscript = { url, username: "", userId: -1, refusedWith: undefined, room: "", usersOnJoin: [], heard: [], pong: 0, zoneAfterLogout: "" };
      chatters.push({ name, url, client, rooms: roomClient, transcript });
      roomClient.on("publicMessage", (e) => {
        transcript.heard.push(`${e.sender.name}: ${e.message}`);
        log(name, `← [${e.room.name}] ${e.sender.name}: ${e.message}`);
      });
      roomClient.on("userEnterRoom", (e) => log(name, `← ${e.user.name} entered ${e.room.name}`));
      roomClient.on("userExitRoom", (e) => e.user.isItMe || log(name, `← ${e.user.name} left ${e.room.name}`));

      await client.connect(); // opens the socket; the first login() runs the handshake
      log(name, `connected to ${url}`);
      try {
        await client.login({ username: name, password: "wrong" });
      } catch (error) {
        if (!(error instanceof SFSError)) throw error;
        transcript.refusedWith = error.code;
        log(name, `login refused as expected: error ${error.code} (${error.message})`);
      }
      const login = await client.login({ username: name, password: PASSWORDS.get(name)! });
      transcript.username = login.username;
      transcript.userId = login.userId;
      log(name, `logged in as ${login.username}, user id ${login.userId}; rooms: ${roomClient.getRoomList().map((r) => r.name).join(", ")}`);

      const room = await roomClient.joinRoom(ROOM);
      transcript.room = room.name;
      transcript.usersOnJoin = room.getUserList().map((u) => u.name).sort();
      log(name, `joined ${room.name} (${transcript.usersOnJoin.join(", ")})`);
    }
    const [ada, grace] = chatters as [Chatter, Chatter];
    await until("ada seeing grace enter", () => ada.rooms.lastJoinedRoom?.getUserByName("grace") !== undefined);

    // 2. Chat: every occupant gets a public message, the sender included.
    const say = async (from: Chatter, text: string): Promise<void> => {
      log(from.name, `→ [${ROOM}] ${text}`);
      const line = `${from.name}: ${text}`;
      const everyone = chatters.map((c) => until(`${c.name} hearing "${text}"`, () => c.transcript.heard.includes(line)));
      await from.rooms.sendPublicMessage(text);
      await Promise.all(everyone);
    };
    await say(ada, "Hello over WebSocket!");
    await say(grace, "Hi Ada, TCP here.");

    // 3. The zone extension `ping`, typed request and response.
    for (const c of chatters) {
      const pong = await c.client.request(Object.assign(new PingRequest(), { n: 41, sentAt: Date.now() }), PongResponse);
      c.transcript.pong = pong.n;
      log(c.name, `← pong n=${pong.n} from ${pong.by}`);
    }

    // 4. Grace logs out (ada sees her leave), then ada; both close.
    for (const c of [grace, ada]) {
      const logout = await c.client.logout();
      c.transcript.zoneAfterLogout = logout.zone;
      log(c.name, `logged out of ${logout.zone}`);
      if (c === grace) await until("ada seeing grace leave", () => ada.rooms.lastJoinedRoom?.getUserByName("grace") === undefined);
    }
  } finally {
    for (const c of chatters) {
      await c.client.close();
      log(c.name, "closed");
    }
    await server.close();
    log("server", "closed");
  }
  return chatters.map((c) => c.transcript);
}

/** Resolves once `predicate` holds (checked every few ms); rejects after `ms`: a demo never hangs. */
async function until(what: string, predicate: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

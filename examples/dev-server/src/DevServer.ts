import { RoomService, SFSServer, type ServerAddress, type Session, type SFSObject } from "@sfs2x/app";
import { silentLogger } from "@sfs2x/protocol";

/** The zone of the default SmartFoxServer 2X install, with guests allowed. */
export const DEV_ZONE = "BasicExamples";
/** Its room: group `default`, 150 users, as on the live install we recorded. */
export const DEV_ROOM = "The Lobby";
/** The zone-level extension command that answers with its own params. */
export const PING_COMMAND = "ping";

/** Default ports of a SmartFoxServer 2X install. */
export const DEFAULT_WS_PORT = 8080;
export const DEFAULT_TCP_PORT = 9933;
/** Loopback only by default: a dev server accepts anyone who can reach it (guests, any password). */
export const DEFAULT_HOST = "127.0.0.1";

/** Options of {@link createDevServer}. */
export interface DevServerOptions {
  /** Interface to bind (default `127.0.0.1`; `0.0.0.0` to accept other machines). */
  host?: string;
  /** WebSocket port, the official JS client's transport (default 8080; 0: any free port). */
  wsPort?: number;
  /** TCP port, the Java/C#/C++ clients' transport (default 9933; 0: any free port). */
  tcpPort?: number;
  /** Receives one line per connection, login, join, logout, disconnection and error (default `console.log`). */
  log?: (line: string) => void;
  /**
   * How long user count changes (1001) are batched, ms. Default 1000, the live server's
   * `userCountChangeUpdateInterval`; 0 sends each change at once.
   */
  userCountUpdateIntervalMs?: number;
}

/**
 * A ready SFS2X server like SmartFoxServer 2X's default install: WebSocket and TCP listeners,
 * the zone `BasicExamples` (guests allowed, any password accepted, as a zone without custom
 * login) with the room `The Lobby`, the zone extension command `ping` that answers with its
 * own params (`c=1 a=13 { c: "ping", p }`, no `r`, as the live server's zone extension did),
 * and one log line per connection, login, join and disconnection with the remote address.
 *
 * ```ts
 * const dev = await createDevServer({ wsPort: 0, tcpPort: 0 }).listen();
 * console.log(dev.wsUrl, dev.tcpUrl); // ws://127.0.0.1:41234 tcp://127.0.0.1:41235
 * await dev.close();
 * ```
 */
export class DevServer {
  /** The SFS2X server (add handlers to it freely). */
  readonly server: SFSServer;
  /** Its zones and rooms. */
  readonly rooms: RoomService;
  private readonly log: (line: string) => void;
  private listening = false;

  constructor(options: DevServerOptions = {}) {
    const host = options.host ?? DEFAULT_HOST;
    const wsPort = port("wsPort", options.wsPort, DEFAULT_WS_PORT);
    const tcpPort = port("tcpPort", options.tcpPort, DEFAULT_TCP_PORT);
    const where = host.includes(":") ? `[${host}]` : host;
    this.log = options.log ?? ((line) => console.log(line));
    this.rooms = new RoomService({
      zones: [{ name: DEV_ZONE, allowGuests: true, rooms: [{ name: DEV_ROOM, groupId: "default", maxUsers: 150 }] }],
      userCountUpdateIntervalMs: options.userCountUpdateIntervalMs ?? 1000,
      logger: { debug() {}, info() {}, warn: (m) => this.log(`warning    ${m}`), error: (m) => this.log(`error      ${m}`) },
    });
    // Errors reach onError below; the server's own logger would only repeat them.
    this.server = new SFSServer([`ws://${where}:${wsPort}`, `tcp://${where}:${tcpPort}`], {
      zones: [DEV_ZONE],
      logger: silentLogger,
      roomListFor: (session) => {
        const list = this.rooms.roomListFor(session);
        this.log(`login      ${who(session)} "${session.username}" (user ${session.userId}) → ${session.zone}`);
        return list;
      },
    });
    this.rooms.attach(this.server);
    this.wire();
  }

  private wire(): void {
    const { server, rooms, log } = this;
    // Like a zone without custom login: every name and password is welcome ("" gives Guest#<id>).
    server.onLogin(() => undefined);
    server.onExtension(PING_COMMAND, (params: SFSObject) => params);
    server.onConnect((session) => log(`connect    ${who(session)}`));
    server.onLogout((_request, { session }) => log(`logout     ${who(session)} "${session.username}"`));
    server.onDisconnect((session, info) => {
      const user = session.username === undefined ? "" : ` "${session.username}"`;
      log(`disconnect ${who(session)}${user}: ${info.reason}${info.error ? ` (${info.error.message})` : ""}`);
    });
    server.onError((error, session) => log(`error      ${session ? `${who(session)} ` : ""}${error.message}`));
    rooms.world.on("userJoinRoom", (user, room) => {
      const session = rooms.sessionOf(user);
      log(`join       ${session ? who(session) : "-"} "${user.name}" → ${room.name} (${room.userCount}/${room.maxUsers})`);
    });
  }

  /** Binds both listeners; resolves with this server. Rejects when a port is taken (nothing stays bound). */
  async listen(): Promise<this> {
    await this.server.listen();
    this.listening = true;
    return this;
  }

  /** Closes every session and both listeners. Idempotent. */
  async close(): Promise<void> {
    await this.server.close();
    this.rooms.world.dispose();
    this.listening = false;
  }

  /** The bound WebSocket listener (port 0 resolved), once listening. */
  get ws(): ServerAddress {
    return this.address("ws");
  }

  /** The bound TCP listener, once listening. */
  get tcp(): ServerAddress {
    return this.address("tcp");
  }

  /** `ws://host:port` for `SFSClient` (the official JS client takes `{ host, port }` and adds `/BlueBox/websocket`). */
  get wsUrl(): string {
    return this.ws.url;
  }

  /** `tcp://host:port` for `SFSClient`. */
  get tcpUrl(): string {
    return this.tcp.url;
  }

  private address(scheme: string): ServerAddress {
    const a = this.listening ? this.server.addresses.find((x) => x.scheme === scheme) : undefined;
    if (a === undefined) throw new Error("the dev server is not listening (await listen() first)");
    return a;
  }
}

/** Builds the dev server (not listening yet: `await createDevServer(options).listen()`). */
export function createDevServer(options: DevServerOptions = {}): DevServer {
  return new DevServer(options);
}

function port(name: string, value: number | undefined, fallback: number): number {
  const p = value ?? fallback;
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`${name} must be an integer 0..65535, got ${String(value)}`);
  return p;
}

/** `ws  127.0.0.1:50122  #3`: transport, remote address, session number. */
function who(session: Session): string {
  return `${session.scheme.padEnd(3)} ${session.remoteAddress ?? "?"} #${session.id}`;
}

// The dev server end to end, over real loopback sockets: two official sfs2x-api 1.8.6 clients
// (WebSocket) and one of our SFSClients (TCP) log in to BasicExamples, find The Lobby in the
// room list, join it, chat, and call the `ping` extension; then the CLI as a process.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { SFSClient, SFSDataType, SFSError, SFSErrorCode, SFSObject } from "@sfs2x/app";
import { WebSocket } from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_ROOM, DEV_ZONE, PING_COMMAND, createDevServer, type DevServer } from "../src/index.js";

// --- the official client in Node (its bundle expects a browser: window and WebSocket) ---------

/* eslint-disable @typescript-eslint/no-explicit-any */
type Official = any;
const g = globalThis as any;
g.window ??= globalThis;
g.WebSocket ??= WebSocket;
const SFS2X: any = createRequire(import.meta.url)("sfs2x-api");
const EV = SFS2X.SFSEvent;
const T = SFS2X.SFSDataType;

/** The next `event` of an official client whose params satisfy `accept` (the test timeout bounds the wait). */
function next(sfs: Official, event: string, accept: (p: any) => boolean = () => true): Promise<any> {
  return new Promise((resolve) => {
    const fn = (p: any): void => {
      if (!accept(p)) return;
      sfs.removeEventListener(event, fn);
      resolve(p);
    };
    sfs.addEventListener(event, fn);
  });
}

/** Connects an official client to the dev server's WebSocket port and logs in (name "" = guest). */
async function official(port: number, name: string, password = ""): Promise<Official> {
  const sfs = new SFS2X.SmartFox({ host: "127.0.0.1", port, useSSL: false, zone: DEV_ZONE, debug: false });
  sfs.logger.level = SFS2X.LogLevel.ERROR;
  const connected = next(sfs, EV.CONNECTION);
  sfs.connect();
  expect((await connected).success).toBe(true);
  const login = next(sfs, EV.LOGIN);
  sfs.send(new SFS2X.LoginRequest(name, password));
  await login;
  return sfs;
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

// --- in process ------------------------------------------------------------------------------

describe("the dev server (in process, createDevServer)", () => {
  let dev: DevServer;
  const lines: string[] = [];
  const cleanup: (() => unknown)[] = [];

  beforeAll(async () => {
    dev = await createDevServer({ wsPort: 0, tcpPort: 0, log: (line) => lines.push(line) }).listen();
  });

  afterAll(async () => {
    for (const c of cleanup.splice(0)) await c();
    await dev.close();
  });

  it("two official clients (WS) and our SFSClient (TCP): login, The Lobby, join, chat, ping", async () => {
    expect(dev.ws.port).toBeGreaterThan(0);
    expect(dev.tcpUrl).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);

    // Logins: a guest (empty name) and a name with any password, as a zone without custom login.
    const guest = await official(dev.ws.port, "");
    cleanup.push(() => guest.disconnect());
    expect(guest.mySelf.name).toBe(`Guest#${guest.mySelf.id}`);
    const ann = await official(dev.ws.port, "ann", "whatever");
    cleanup.push(() => ann.disconnect());
    const ours = new SFSClient(dev.tcpUrl, { zone: DEV_ZONE, requestTimeoutMs: 5000 });
    cleanup.push(() => ours.close());
    await ours.connect();
    const login = await ours.login({ username: "ours" });
    expect(login.zone).toBe(DEV_ZONE);

    // The room list of the login reply: The Lobby, group default, 150 users.
    const lobbyOfGuest = guest.roomManager.getRoomByName(DEV_ROOM);
    expect(guest.roomManager.getRoomList().map((r: any) => r.name)).toEqual([DEV_ROOM]);
    expect([lobbyOfGuest.groupId, lobbyOfGuest.maxUsers, lobbyOfGuest.isGame]).toEqual(["default", 150, false]);
    expect(ours.rooms.getRoomList().map((r) => [r.name, r.groupId, r.maxUsers])).toEqual([[DEV_ROOM, "default", 150]]);

    // Joins: the official clients by name, ours through client.rooms.
    for (const sfs of [guest, ann]) {
      const joined = next(sfs, EV.ROOM_JOIN);
      sfs.send(new SFS2X.JoinRoomRequest(DEV_ROOM));
      expect((await joined).room.name).toBe(DEV_ROOM);
    }
    const annSeesOurs = next(ann, EV.USER_ENTER_ROOM, (e) => e.user.name === "ours");
    const lobby = await ours.rooms.joinRoom(DEV_ROOM);
    expect(lobby.getUserList().map((u) => u.name).sort()).toEqual(["Guest#" + guest.mySelf.id, "ann", "ours"].sort());
    await annSeesOurs;

    // A public message from ours reaches both official clients, and ours gets its echo.
    const chat = (sfs: Official) => next(sfs, EV.PUBLIC_MESSAGE, (e) => e.sender.name === "ours");
    const atGuest = chat(guest);
    const atAnn = chat(ann);
    const echo = new Promise<string>((resolve) => ours.rooms.once("publicMessage", (e) => resolve(`${e.sender.name}:${e.message}@${e.room.name}`)));
    await ours.rooms.sendPublicMessage("hello é日😀");
    expect((await atGuest).message).toBe("hello é日😀");
    expect((await atAnn).room.name).toBe(DEV_ROOM);
    expect(await echo).toBe(`ours:hello é日😀@${DEV_ROOM}`);

    // A public message from an official client reaches ours and the other official client.
    const oursGets = new Promise<string>((resolve) => ours.rooms.on("publicMessage", (e) => e.sender.name === "ann" && resolve(e.message)));
    const guestGets = next(guest, EV.PUBLIC_MESSAGE, (e) => e.sender.name === "ann");
    ann.send(new SFS2X.PublicMessageRequest("hi all"));
    expect(await oursGets).toBe("hi all");
    expect((await guestGets).message).toBe("hi all");

    // ping from the official client: the same params back, with their types, on command "ping".
    const params = new SFS2X.SFSObject();
    params.putInt("n", 42);
    params.putUtfString("s", "héllo");
    params.putLong("big", 5_000_000_000);
    params.putDouble("d", 2.5);
    params.putBool("b", true);
    params.putIntArray("ia", [1, -2, 3]);
    const pong = next(guest, EV.EXTENSION_RESPONSE, (e) => e.cmd === PING_COMMAND);
    guest.send(new SFS2X.ExtensionRequest(PING_COMMAND, params));
    const back = (await pong).params;
    const types: Record<string, number> = { n: T.INT, s: T.UTF_STRING, big: T.LONG, d: T.DOUBLE, b: T.BOOL, ia: T.INT_ARRAY };
    for (const [k, t] of Object.entries(types)) expect(back.getWrappedItem(k).type, k).toBe(t);
    expect([back.getInt("n"), back.getUtfString("s"), back.getLong("big"), back.getDouble("d"), back.getBool("b"), back.getIntArray("ia")]).toEqual([
      42,
      "héllo",
      5_000_000_000,
      2.5,
      true,
      [1, -2, 3],
    ]);

    // ping from ours over TCP: a LONG beyond 2^53 stays exact; the reply is zone level (no r).
    let replyHadRoom: boolean | undefined;
    ours.onExtension(PING_COMMAND, (_p, ctx) => void (replyHadRoom = ctx.message.params.containsKey("r")));
    const sent = new SFSObject().putLong("big", 2n ** 60n + 1n).putShort("sh", -7).putUtfStringArray("names", ["a", "b"]);
    const reply = await ours.request(sent, { command: PING_COMMAND });
    expect(reply.getType("big")).toBe(SFSDataType.LONG);
    expect(reply.get("big")).toBe(2n ** 60n + 1n);
    expect([reply.getType("sh"), reply.get("sh")]).toEqual([SFSDataType.SHORT, -7]);
    expect(reply.getUtfStringArray("names")).toEqual(["a", "b"]);
    expect(replyHadRoom).toBe(false);

    // An official client leaves: ours sees it go; the log has its disconnection.
    const gone = new Promise<string>((resolve) => ours.rooms.once("userExitRoom", (e) => resolve(e.user.name)));
    ann.disconnect();
    expect(await gone).toBe("ann");
    await until(() => lines.some((l) => l.startsWith("disconnect") && l.includes('"ann"')));

    // One log line per connection, login and join, each with the remote address.
    const of = (kind: string) => lines.filter((l) => l.startsWith(kind));
    expect(of("connect").length).toBe(3);
    expect(of("login").length).toBe(3);
    expect(of("join").length).toBe(3);
    for (const l of [...of("connect"), ...of("login"), ...of("join"), ...of("disconnect")]) expect(l).toMatch(/ (ws|tcp) +127\.0\.0\.1:\d+ #\d+/);
    expect(of("login").some((l) => l.includes('"ours"') && l.startsWith("login      tcp"))).toBe(true);
    expect(of("join").some((l) => l.includes(`"ann" → ${DEV_ROOM}`))).toBe(true);
  });

  it("refuses other zones (ec 1) and logs extension commands it does not know", async () => {
    const client = new SFSClient(dev.wsUrl, { zone: "NoSuchZone", requestTimeoutMs: 5000 });
    await client.connect();
    const refused = await client.login({ username: "x" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SFSError);
    expect((refused as SFSError).code).toBe(SFSErrorCode.LoginBadZoneName);
    await client.login({ zone: DEV_ZONE, username: "x" });
    await client.callExtension("nope", new SFSObject());
    await until(() => lines.some((l) => l.startsWith("error") && l.includes("nope")));
    await client.close();
  });

  it("listen() fails cleanly when a port is taken, and frees the other one", async () => {
    const bind = async (port: number) => {
      const s = createServer();
      await new Promise<void>((resolve, reject) => s.once("error", reject).listen(port, "127.0.0.1", resolve));
      return { port: (s.address() as { port: number }).port, close: () => new Promise((r) => s.close(r)) };
    };
    const blocker = await bind(0);
    const probe = await bind(0); // a free port for the WebSocket listener, released at once
    await probe.close();
    try {
      const other = createDevServer({ wsPort: probe.port, tcpPort: blocker.port, log: () => {} });
      await expect(other.listen()).rejects.toThrow(/EADDRINUSE/);
      expect(() => other.wsUrl).toThrow(/not listening/);
      // The WebSocket listener it had bound is closed again: the port can be bound.
      await (await bind(probe.port)).close();
      expect(() => createDevServer({ wsPort: 70000 })).toThrow(RangeError);
    } finally {
      await blocker.close();
    }
  });
});

// --- the CLI (what `pnpm dev-server` runs) -----------------------------------------------------

const pkgDir = fileURLToPath(new URL("..", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

function cli(args: string[]): { child: ChildProcessWithoutNullStreams; out: string[]; err: string[]; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [tsxCli, "--tsconfig", "tsconfig.run.json", "--conditions=@source", "src/main.ts", ...args], { cwd: pkgDir });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.setEncoding("utf8").on("data", (d: string) => out.push(...d.split("\n").filter(Boolean)));
  child.stderr.setEncoding("utf8").on("data", (d: string) => err.push(d));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out, err, exit };
}

describe("the dev-server command", () => {
  it("--ws-port 0 --tcp-port 0 prints the bound ports, serves, and stops cleanly on SIGTERM", async () => {
    const run = cli(["--ws-port", "0", "--tcp-port", "0"]);
    try {
      await until(() => run.out.filter((l) => l.startsWith("listening ")).length === 2 || run.child.exitCode !== null);
      const urls = run.out.filter((l) => l.startsWith("listening ")).map((l) => l.slice("listening ".length));
      expect(urls).toHaveLength(2);
      const ws = urls.find((u) => u.startsWith("ws://"))!;
      const tcp = urls.find((u) => u.startsWith("tcp://"))!;
      expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      expect(tcp).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);

      const client = new SFSClient(ws, { zone: DEV_ZONE, requestTimeoutMs: 5000 });
      await client.connect();
      await client.login({ username: "cli" });
      await client.rooms.joinRoom(DEV_ROOM);
      const pong = await client.request(new SFSObject().putInt("n", 1), { command: PING_COMMAND });
      expect(pong.getInt("n")).toBe(1);
      await until(() => run.out.some((l) => l.includes(`join       ws  127.0.0.1:`) && l.includes(`"cli" → ${DEV_ROOM}`)));

      const closed = client.closed;
      run.child.kill("SIGTERM");
      expect(await run.exit).toBe(0);
      expect((await closed).reason).toBeTruthy(); // the server closed our connection on the way out
      expect(run.out.some((l) => l.endsWith("SIGTERM: closing 1 session(s) and the listeners"))).toBe(true);
      expect(run.out.at(-1)).toMatch(/ stopped$/);
      expect(run.err.join("")).toBe("");
    } finally {
      if (run.child.exitCode === null) run.child.kill("SIGKILL");
    }
  }, 60_000);

  it("refuses a bad flag with the usage and exit code 2", async () => {
    const run = cli(["--ws-port", "http"]);
    expect(await run.exit).toBe(2);
    expect(run.err.join("")).toMatch(/--ws-port must be a port number[\s\S]*usage: pnpm dev-server/);
  }, 60_000);
});

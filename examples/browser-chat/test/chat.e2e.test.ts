// End to end in headless Chromium: the bundled chat page (our SFSClient over the browser's WebSocket)
// against the dev server (zone BasicExamples, room The Lobby), with a second client in Node (our
// SFSClient) in the same room; then the official sfs2x-api browser build in the same harness.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomClient, SFSClient, type ChatMessageEvent } from "@sfs2x/app";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevServer } from "@toolkit/example-dev-server";
import { serveChat, type ChatSite } from "../src/node/serveChat.js";
import { startStaticServer, type StaticServer } from "../src/node/StaticServer.js";
import { haveChromium, inCI, launchChromium, missingChromium } from "./chromium.js";

describe("Chromium", () => {
  // In CI a missing browser is a failure with a clear message; locally the browser tests are skipped.
  it.skipIf(!inCI && !haveChromium)("is installed", () => {
    expect(haveChromium, missingChromium).toBe(true);
  });
});

describe.skipIf(!haveChromium)("the chat page in headless Chromium", () => {
  let tmp: string;
  let chat: ChatSite;
  let dev: DevServer;
  const devLog: string[] = [];
  let site: StaticServer;
  let browser: Browser;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "browser-chat-e2e-"));
    // What `pnpm example:browser-chat` runs: bundle, dev server, static server; every port free.
    chat = await serveChat({ httpPort: 0, wsPort: 0, tcpPort: 0, outDir: join(tmp, "dist"), log: (line) => devLog.push(line) });
    ({ sfs: dev, site } = chat);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close().catch(() => {});
    await browser?.close();
    await chat?.close();
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  /** Opens the chat page; browser-side errors fail the test. */
  async function openChat(path = "/"): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
    closers.push(() => page.close());
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(new URL(path, site.url).href);
    return { page, errors };
  }

  async function joinAs(page: Page, name: string): Promise<void> {
    await page.fill("#url", dev.wsUrl);
    await page.fill("#name", name);
    await page.click("#connect");
    await page.waitForSelector("body[data-state=joined]");
  }

  const logLines = (page: Page): Promise<string[]> => page.$$eval("#log li", (items) => items.map((li) => li.textContent ?? ""));
  const userNames = (page: Page): Promise<string[]> => page.$$eval("#users li", (items) => items.map((li) => li.textContent ?? ""));
  const waitForLog = (page: Page, text: string): Promise<unknown> =>
    page.waitForFunction((t) => [...document.querySelectorAll("#log li")].some((li) => li.textContent === t), text);

  /** Our Node client, logged in to BasicExamples and in The Lobby. */
  async function nodeClient(name: string): Promise<{ client: SFSClient; rooms: RoomClient; heard: ChatMessageEvent[] }> {
    const client = new SFSClient(dev.wsUrl, { zone: "BasicExamples", requestTimeoutMs: 5000 });
    closers.push(() => client.close());
    const rooms = new RoomClient(client, { timeoutMs: 5000 });
    const heard: ChatMessageEvent[] = [];
    rooms.on("publicMessage", (e) => heard.push(e));
    await client.connect();
    await client.login({ username: name });
    await rooms.joinRoom("The Lobby");
    return { client, rooms, heard };
  }

  it("logs in, joins The Lobby, chats with a Node client both ways, and shows enter/exit", async () => {
    const { page, errors } = await openChat();
    expect(await page.inputValue("#url")).toBe("ws://127.0.0.1:8080"); // the default
    await joinAs(page, "alice");

    expect(await userNames(page)).toEqual(["alice"]);
    expect(await page.textContent("#room-title")).toBe("The Lobby (1)");
    const lines = await logLines(page);
    expect(lines[0]).toMatch(/^Logged in to BasicExamples as alice \(user id \d+\)$/);
    expect(lines[1]).toBe("Joined The Lobby: 1 user(s) here");
    // The dev server saw a WebSocket login and a join (its log: one line each, with the remote address).
    expect(devLog.some((l) => /^login +ws +127\.0\.0\.1:\d+ .*"alice"/.test(l))).toBe(true);
    expect(devLog.some((l) => /^join +ws .*"alice" → The Lobby/.test(l))).toBe(true);

    // The page's own message comes back from the server (a room message goes to every occupant).
    await page.fill("#message", "hello from the browser");
    await page.click("#send");
    await waitForLog(page, "alice:hello from the browser");

    // A second client, in Node, joins the same room: the page lists it.
    const bob = await nodeClient("bob");
    await waitForLog(page, "bob entered The Lobby");
    expect(await userNames(page)).toEqual(["alice", "bob"]);
    expect(bob.rooms.lastJoinedRoom?.getUserByName("alice")).toBeDefined();

    // Node → page.
    await bob.rooms.sendPublicMessage("hi from Node, é ✓");
    await waitForLog(page, "bob:hi from Node, é ✓");

    // Page → Node.
    await page.fill("#message", "and back to Node 👋");
    await page.press("#message", "Enter");
    await expect.poll(() => bob.heard.map((e) => `${e.sender.name}: ${e.message}`)).toContain("alice: and back to Node 👋");
    expect(await page.inputValue("#message")).toBe(""); // cleared after sending

    await page.screenshot({ path: join(tmp, "chat.png"), fullPage: true });
    console.log(`screenshot: ${join(tmp, "chat.png")}`);
    if (process.env.KEEP_SCREENSHOT) await page.screenshot({ path: process.env.KEEP_SCREENSHOT, fullPage: true });

    // Bob leaves: the page says so and drops him from the list.
    await bob.client.close();
    await waitForLog(page, "bob left The Lobby");
    expect(await userNames(page)).toEqual(["alice"]);

    // Disconnect from the page.
    await page.click("#disconnect");
    await page.waitForSelector("body[data-state=closed]");
    expect(await userNames(page)).toEqual([]);
    expect(await page.isDisabled("#send")).toBe(true);
    expect(errors).toEqual([]);
  });

  it("shows a message, not a crash, when no server answers", async () => {
    const { page } = await openChat();
    // A port that was just free: nothing listens there.
    const spare = await startStaticServer({ root: tmp });
    const deadUrl = `ws://127.0.0.1:${spare.port}`;
    await spare.close();
    await page.fill("#url", deadUrl);
    await page.click("#connect");
    await page.waitForSelector("body[data-state=closed]");
    const lines = await logLines(page);
    expect(lines.at(-1)).toMatch(/^Could not join: /);
    expect(await page.isEnabled("#connect")).toBe(true); // can try again
  });

  it("the official sfs2x-api browser build in the same harness chats with our page through our server", async () => {
    // Our page, as "dana", opened at the address `serve` prints: ?url= fills the server field.
    const ours = await openChat(chat.pageUrl);
    expect(await ours.page.inputValue("#url")).toBe(dev.wsUrl);
    await joinAs(ours.page, "dana");

    // The official client's browser bundle (it puts SFS2X on window), in a page of the same site.
    const official = await browser.newPage();
    closers.push(() => official.close());
    const officialErrors: string[] = [];
    official.on("pageerror", (e) => officialErrors.push(e.message));
    await official.goto(`${site.url}/`); // same origin; the chat page just sits idle
    await official.addScriptTag({ url: "/vendor/sfs2x-api.js" });
    const joined = await official.evaluate(
      ({ host, port }) =>
        new Promise<{ user: string; room: string; users: string[] }>((resolve, reject) => {
          // The official API is untyped browser JavaScript.
          const api = (window as unknown as { SFS2X: Record<string, any> }).SFS2X; // eslint-disable-line @typescript-eslint/no-explicit-any
          const EV = api.SFSEvent;
          const sfs = new api.SmartFox({ host, port, useSSL: false, zone: "BasicExamples", debug: false });
          sfs.logger.level = api.LogLevel.ERROR;
          const heard: string[] = [];
          (window as unknown as { official: unknown }).official = { sfs, heard };
          sfs.addEventListener(EV.PUBLIC_MESSAGE, (e: { sender: { name: string }; message: string }) => heard.push(`${e.sender.name}: ${e.message}`));
          sfs.addEventListener(EV.CONNECTION, (e: { success: boolean }) => (e.success ? sfs.send(new api.LoginRequest("erin")) : reject(new Error("no connection"))));
          sfs.addEventListener(EV.LOGIN_ERROR, (e: { errorMessage: string }) => reject(new Error(e.errorMessage)));
          sfs.addEventListener(EV.LOGIN, () => sfs.send(new api.JoinRoomRequest("The Lobby")));
          sfs.addEventListener(EV.ROOM_JOIN_ERROR, (e: { errorMessage: string }) => reject(new Error(e.errorMessage)));
          sfs.addEventListener(EV.ROOM_JOIN, (e: { room: { name: string; getUserList(): { name: string }[] } }) =>
            resolve({ user: sfs.mySelf.name, room: e.room.name, users: e.room.getUserList().map((u) => u.name).sort() }),
          );
          sfs.connect();
        }),
      { host: dev.ws.host, port: dev.ws.port },
    );
    expect(joined).toEqual({ user: "erin", room: "The Lobby", users: ["dana", "erin"] });
    await waitForLog(ours.page, "erin entered The Lobby");

    // Official → ours.
    await official.evaluate(() => {
      const w = window as unknown as { SFS2X: { PublicMessageRequest: new (m: string) => unknown }; official: { sfs: { send(r: unknown): void } } };
      w.official.sfs.send(new w.SFS2X.PublicMessageRequest("from the official client"));
    });
    await waitForLog(ours.page, "erin:from the official client");

    // Ours → official (and the official one heard its own message too).
    await ours.page.fill("#message", "from our client");
    await ours.page.click("#send");
    await official.waitForFunction(() => (window as unknown as { official: { heard: string[] } }).official.heard.includes("dana: from our client"));
    const heard = await official.evaluate(() => (window as unknown as { official: { heard: string[] } }).official.heard);
    expect(heard).toEqual(["erin: from the official client", "dana: from our client"]);

    await official.evaluate(() => (window as unknown as { official: { sfs: { disconnect(): void } } }).official.sfs.disconnect());
    await waitForLog(ours.page, "erin left The Lobby");
    expect(officialErrors).toEqual([]);
    expect(ours.errors).toEqual([]);
  });
});

/**
 * The chat page: our SFS2X client (`@sfs2x/app`'s browser entry, SFSClient over the browser's
 * WebSocket) logs in to BasicExamples, joins The Lobby, lists its users, and sends and shows public
 * messages. Plain DOM; bundled by src/node/build.ts into dist/chat.js.
 *
 * `<body data-state>` tells where the page stands (idle, connecting, joined, closed) so scripts and
 * tests can wait on it; `?url=ws://…` pre-fills the server field.
 */
import { RoomClient, SFSClient, type SFSRoom, type SFSUser } from "@sfs2x/app/client";

const ZONE = "BasicExamples";
const ROOM = "The Lobby";

type PageState = "idle" | "connecting" | "joined" | "closed";
type LogKind = "message" | "system" | "error";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

const ui = {
  connectForm: byId<HTMLFormElement>("connect-form"),
  url: byId<HTMLInputElement>("url"),
  name: byId<HTMLInputElement>("name"),
  connect: byId<HTMLButtonElement>("connect"),
  disconnect: byId<HTMLButtonElement>("disconnect"),
  status: byId<HTMLDivElement>("status"),
  roomTitle: byId<HTMLHeadingElement>("room-title"),
  users: byId<HTMLUListElement>("users"),
  log: byId<HTMLOListElement>("log"),
  messageForm: byId<HTMLFormElement>("message-form"),
  message: byId<HTMLInputElement>("message"),
  send: byId<HTMLButtonElement>("send"),
};

const preset = new URLSearchParams(location.search).get("url");
if (preset !== null) ui.url.value = preset;

let client: SFSClient | undefined;
let rooms: RoomClient | undefined;

function setState(state: PageState, status: string): void {
  document.body.dataset.state = state;
  ui.status.textContent = status;
  const busy = state === "connecting" || state === "joined";
  ui.connect.disabled = ui.url.disabled = ui.name.disabled = busy;
  ui.disconnect.disabled = !busy;
  ui.message.disabled = ui.send.disabled = state !== "joined";
}

/** Appends a log line. Names and messages come from other users: always text, never HTML. */
function log(kind: LogKind, text: string, sender?: string): void {
  const li = document.createElement("li");
  li.className = kind;
  if (sender !== undefined) {
    const who = document.createElement("span");
    who.className = "sender";
    who.textContent = `${sender}:`;
    li.append(who);
  }
  li.append(text);
  ui.log.append(li);
  ui.log.scrollTop = ui.log.scrollHeight;
}

function renderUsers(room: SFSRoom | undefined): void {
  ui.roomTitle.textContent = room === undefined ? "Users" : `${room.name} (${room.userCount})`;
  const items = (room?.getUserList() ?? [])
    .slice()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((user: SFSUser) => {
      const li = document.createElement("li");
      li.textContent = user.name;
      li.dataset.userId = String(user.id);
      if (user.isItMe) li.className = "me";
      return li;
    });
  ui.users.replaceChildren(...items);
}

async function connect(): Promise<void> {
  const url = ui.url.value.trim();
  setState("connecting", `Connecting to ${url}…`);
  const c = new SFSClient(url, { zone: ZONE, requestTimeoutMs: 10_000 });
  // Before login, so the room state sees the login reply (own user, room list).
  const r = new RoomClient(c);
  client = c;
  rooms = r;

  r.on("userEnterRoom", ({ user, room }) => {
    log("system", `${user.name} entered ${room.name}`);
    renderUsers(room);
  });
  r.on("userExitRoom", ({ user, room }) => {
    if (!user.isItMe) log("system", `${user.name} left ${room.name}`);
    renderUsers(r.lastJoinedRoom);
  });
  r.on("publicMessage", ({ sender, message }) => log("message", message, sender.name));
  r.on("requestError", ({ errorMessage }) => log("error", errorMessage));
  c.onError((error) => log("error", error.message));
  c.onDisconnect((info) => {
    if (client !== c) return; // an older connection
    const why = info.disconnectionReason ?? info.reason;
    log("system", `Disconnected (${why})`);
    setState("closed", `Disconnected from ${url}: ${why}.`);
    renderUsers(undefined);
    client = rooms = undefined;
  });

  try {
    await c.connect();
    const login = await c.login({ username: ui.name.value.trim() });
    log("system", `Logged in to ${login.zone} as ${login.username} (user id ${login.userId})`);
    const lobby = await r.joinRoom(ROOM);
    log("system", `Joined ${lobby.name}: ${lobby.userCount} user(s) here`);
    renderUsers(lobby);
    setState("joined", `Connected to ${url} as ${login.username}, in ${lobby.name}.`);
    ui.message.focus();
  } catch (error) {
    log("error", `Could not join: ${(error as Error).message}`);
    if (client === c) client = rooms = undefined;
    setState("closed", `Not connected: ${(error as Error).message}`);
    await c.close();
  }
}

ui.connectForm.addEventListener("submit", (event) => {
  event.preventDefault();
  void connect();
});

ui.disconnect.addEventListener("click", () => {
  void client?.close("closed by the user");
});

ui.messageForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.message.value.trim();
  if (text === "" || rooms === undefined) return;
  ui.message.value = "";
  // The server sends the message back to every occupant, the sender included: it shows up then.
  rooms.sendPublicMessage(text).catch((error: Error) => log("error", `Not sent: ${error.message}`));
});

setState("idle", ui.status.textContent ?? "");

import { SysAction } from "@sfs2x/protocol";
import { describe, expect, it } from "vitest";
import { SFSClient, SFSServer, onExtension, onLogin, onMessage, onSystem } from "../src/index.js";
import { HandlerTable } from "../src/dispatch/HandlerTable.js";
import { PingRequest } from "./game-models.js";

// Registration only: no listener is bound and no connection is made.
const url = "tcp://127.0.0.1:1";

describe("register() and the registration overloads (shared by client and server)", () => {
  it("server: a failing declaration undoes the ones registered before it", () => {
    class Handlers {
      @onExtension("a") a(): void {}
      @onExtension("a") again(): void {}
    }
    const server = new SFSServer(url);
    expect(() => server.register(new Handlers())).toThrow(/extension command "a" is already registered/);
    // Rolled back: "a" is free again.
    expect(() => server.onExtension("a", () => undefined)).not.toThrow();
  });

  it("server: the unregister function removes every declared handler", () => {
    class Handlers {
      @onExtension("a") a(): void {}
      @onSystem(SysAction.JoinRoom) join(): void {}
      @onMessage() any(): void {}
    }
    const server = new SFSServer(url);
    const off = server.register(new Handlers());
    expect(() => server.onExtension("a", () => undefined)).toThrow();
    expect(() => server.on(SysAction.JoinRoom, () => undefined)).toThrow();
    off();
    expect(() => server.onExtension("a", () => undefined)).not.toThrow();
    expect(() => server.on(SysAction.JoinRoom, () => undefined)).not.toThrow();
  });

  it("client: a server-side decorator is refused by name", () => {
    class Handlers {
      @onLogin() login(): void {}
    }
    const client = new SFSClient(url);
    expect(() => client.register(new Handlers())).toThrow(new TypeError("@onLogin() is a server-side handler"));
  });

  it("client side too: a failing declaration leaves nothing registered", () => {
    class Handlers {
      @onExtension("a") a(): void {}
      @onLogin() login(): void {}
    }
    const table = new HandlerTable(false); // the client's table: several handlers per command
    expect(() => table.register(new Handlers(), {})).toThrow(new TypeError("@onLogin() is a server-side handler"));
    expect(table.extension.get("a") ?? []).toHaveLength(0);
  });

  it("client: several handlers may share a command; onExtension with an unbound class throws", () => {
    const client = new SFSClient(url);
    const offs = [client.onExtension("news", () => undefined), client.onExtension("news", PingRequest, () => undefined)];
    expect(offs.every((f) => typeof f === "function")).toBe(true);
    expect(() => client.onExtension(class Unbound {} as never, () => undefined)).toThrow(/is not bound to a command/);
  });
});

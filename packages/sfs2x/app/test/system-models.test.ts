import { SFSDataType, SFSObject, fromHex, toHex, toTypedJson } from "@sfs2x/core";
import { decodePacket, encodePacket, SysAction, type Message } from "@sfs2x/protocol";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ClientDisconnection,
  HandshakeRequest,
  HandshakeResponse,
  LoginErrorResponse,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  LogoutResponse,
  PingPongRequest,
  PingPongResponse,
  SFSErrorResponse,
  hashPassword,
  parseModel,
  type ModelClass,
} from "../src/index.js";

interface Vector {
  name: string;
  controller: number;
  action: number;
  hex: string;
  codec?: { compressionThreshold?: number; maxMessageSize?: number };
}
const load = (file: string): Map<string, Vector> =>
  new Map((JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as { vectors: Vector[] }).vectors.map((v) => [v.name, v]));
const client = load("packets.json");
const server = load("server-packets.json");

const decode = (v: Vector): Message => decodePacket(fromHex(v.hex), { maxMessageSize: 1e7 });

/** Typed JSON with keys sorted: a real server's key order differs, the content must not. */
function canonical(obj: SFSObject): unknown {
  const sort = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(sort);
    if (n !== null && typeof n === "object") {
      return Object.fromEntries(Object.entries(n as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]));
    }
    return n;
  };
  return sort(toTypedJson(obj));
}

describe("system models against the official client's bytes", () => {
  // Requests the official JS client sends: our models parse them and re-encode byte for byte.
  const requests: [string, ModelClass, SysAction][] = [
    ["handshake", HandshakeRequest, SysAction.Handshake],
    ["handshake_client_details", HandshakeRequest, SysAction.Handshake],
    ["login_no_password", LoginRequest, SysAction.Login],
    ["login_password", LoginRequest, SysAction.Login],
    ["login_with_params", LoginRequest, SysAction.Login],
    ["logout", LogoutRequest, SysAction.Logout],
    ["pingpong", PingPongRequest, SysAction.PingPong],
  ];
  it.each(requests)("%s re-encodes to the same bytes", (name, cls, action) => {
    const v = client.get(name)!;
    const m = decode(v);
    expect(m.action).toBe(action);
    expect((cls as unknown as { action: number }).action).toBe(action);
    const model = parseModel(cls, m.params);
    const again = encodePacket({ controller: 0, action, params: (model as { toSFSObject(): SFSObject }).toSFSObject() }, v.codec);
    expect(toHex(again)).toBe(v.hex);
  });

  it("hash the password as the official client (MD5 of token + password, lowercase hex)", () => {
    const m = decode(client.get("login_password")!);
    expect(hashPassword("abc123", "secret")).toBe(m.params.getUtfString("pw"));
    expect(hashPassword("abc123", "")).toBe("");
    expect(hashPassword("tok", "pässwörd 😀")).toMatch(/^[0-9a-f]{32}$/);
  });

  // Responses a server sends: our models parse them with the spec's types and re-serialise the same content.
  const responses: [string, ModelClass, SysAction][] = [
    ["handshake_response", HandshakeResponse, SysAction.Handshake],
    ["login_response", LoginResponse, SysAction.Login],
    ["login_error", LoginErrorResponse, SysAction.Login],
    ["handshake_error", SFSErrorResponse, SysAction.Handshake],
    ["logout_response", LogoutResponse, SysAction.Logout],
    ["pingpong_response", PingPongResponse, SysAction.PingPong],
    ["client_disconnection_idle", ClientDisconnection, SysAction.ClientDisconnection],
  ];
  it.each(responses)("%s parses and re-serialises the same typed content", (name, cls, action) => {
    const m = decode(server.get(name)!);
    expect(m.action).toBe(action);
    const model = parseModel(cls, m.params) as { toSFSObject(): SFSObject };
    expect(canonical(model.toSFSObject())).toEqual(canonical(m.params));
  });

  it("read the keys with the spec's types", () => {
    const hs = parseModel(HandshakeResponse, decode(server.get("handshake_response")!).params);
    expect(hs).toMatchObject({ token: "7f3a9c1e2b4d5f60718293a4b5c6d7e8", compressionThreshold: 1024, maxMessageSize: 500000 });
    const login = parseModel(LoginResponse, decode(server.get("login_response")!).params);
    expect(login).toMatchObject({ zone: "BasicExamples", username: "alice", userId: 1, privilegeId: 0, reconnectionSeconds: 0 });
    expect(login.roomList.size()).toBe(1);
    const err = parseModel(LoginErrorResponse, decode(server.get("login_error")!).params);
    expect(err.code).toBe(2);
    expect(err.params).toEqual(["alice"]);
    expect(err.message).toContain("alice");
    expect(parseModel(ClientDisconnection, decode(server.get("client_disconnection_idle")!).params).reason).toBe(0);
  });

  it("write the error reply as ec SHORT, ep UTF_STRING_ARRAY and the 1005 reason as a BYTE", () => {
    const e = SFSErrorResponse.of(6, ["ada", "Zone"]).toSFSObject();
    expect(e.getType("ec")).toBe(SFSDataType.SHORT);
    expect(e.getType("ep")).toBe(SFSDataType.UTF_STRING_ARRAY);
    const kick = Object.assign(new ClientDisconnection(), { reason: 1 }).toSFSObject();
    expect(kick.getType("dr")).toBe(SFSDataType.BYTE);
    expect(kick.getByte("dr")).toBe(1);
    const login = new LoginResponse().toSFSObject();
    expect(Object.fromEntries(login.getKeys().map((k) => [k, login.getType(k)]))).toEqual({
      zn: SFSDataType.UTF_STRING,
      un: SFSDataType.UTF_STRING,
      id: SFSDataType.INT,
      pi: SFSDataType.SHORT,
      rl: SFSDataType.SFS_ARRAY,
      rs: SFSDataType.SHORT,
    });
  });

  it("tolerate a handshake reply without ct/ms (the official client does)", () => {
    const hs = parseModel(HandshakeResponse, new SFSObject().putUtfString("tk", "x"));
    expect(hs.compressionThreshold).toBeUndefined();
    expect(hs.maxMessageSize).toBeUndefined();
  });
});

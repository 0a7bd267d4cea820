// The static server of the example: what it serves, and that it never serves anything else.
import { request } from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startStaticServer, type StaticServer } from "../src/node/StaticServer.js";

let tmp: string;
let server: StaticServer;
const lines: string[] = [];

/** A raw request (no URL normalisation by a client library): status, content type, body. */
function get(path: string, method = "GET"): Promise<{ status: number; type: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    // A fresh connection per request: a reused keep-alive socket can race the server closing it
    // (ECONNRESET under load), which says nothing about the server under test.
    const req = request({ host: "127.0.0.1", port: server.port, path, method, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"], body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "static-server-"));
  await mkdir(join(tmp, "site", "sub"), { recursive: true });
  await writeFile(join(tmp, "site", "index.html"), "<p>index</p>");
  await writeFile(join(tmp, "site", "chat.js"), "export {};");
  await writeFile(join(tmp, "site", "sub", "index.html"), "<p>sub</p>");
  await writeFile(join(tmp, "secret.txt"), "outside the root");
  await writeFile(join(tmp, "vendor.js"), "window.X = 1;");
  server = await startStaticServer({ root: join(tmp, "site"), files: { "/vendor/x.js": join(tmp, "vendor.js") }, onRequest: (l) => lines.push(l) });
});

afterAll(async () => {
  await server?.close();
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("StaticServer", () => {
  it("serves the root's files with their content types, / as index.html", async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await get("/")).toEqual({ status: 200, type: "text/html; charset=utf-8", body: "<p>index</p>" });
    expect(await get("/?url=ws%3A%2F%2Fx")).toMatchObject({ status: 200, body: "<p>index</p>" });
    expect(await get("/chat.js")).toEqual({ status: 200, type: "text/javascript; charset=utf-8", body: "export {};" });
    expect(await get("/sub/")).toMatchObject({ status: 200, body: "<p>sub</p>" });
    expect(await get("/chat.js", "HEAD")).toMatchObject({ status: 200, body: "" });
    // The line is written when the server finishes streaming, which may be after the client has the body.
    await vi.waitFor(() => expect(lines).toContain("GET /chat.js 200"));
  });

  it("serves the extra files at their paths", async () => {
    expect(await get("/vendor/x.js")).toEqual({ status: 200, type: "text/javascript; charset=utf-8", body: "window.X = 1;" });
  });

  it("404 for missing files and folders, 405 for other methods", async () => {
    expect((await get("/nope.js")).status).toBe(404);
    expect((await get("/sub")).status).toBe(404); // a folder without the slash
    expect((await get("/chat.js", "POST")).status).toBe(405);
  });

  it("never serves a file outside the root", async () => {
    for (const path of ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/sub/..%2F..%2Fsecret.txt", "/..%5csecret.txt", "/%00", "/%E0%A4%A"]) {
      const r = await get(path);
      expect(r.body, path).not.toContain("outside the root");
      expect([400, 404], path).toContain(r.status);
    }
  });

  it("answers any request path with a status, never a crash (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom("..", ".", "%2e", "%2f", "%5c", "%00", "%", "sub", "index.html", "/", "//"), fc.webSegment()), { maxLength: 6 }), async (parts) => {
        const r = await get(`/${parts.join("/")}`);
        expect([200, 400, 404]).toContain(r.status);
        expect(r.body).not.toContain("outside the root");
      }),
      { numRuns: 60 },
    );
    expect((await get("/")).status).toBe(200); // still serving
  });
});

/**
 * A small static file server for the chat page (node:http): GET and HEAD of the files under one
 * folder, plus a few extra files at fixed paths (the official client's browser build). Never serves
 * anything outside them: `..`, encoded or not, gets 404; a malformed path 400.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

/** Options of {@link startStaticServer}. */
export interface StaticServerOptions {
  /** The folder served at `/` (`/` itself is its index.html). */
  root: string;
  /** Extra files by URL path, e.g. `{ "/vendor/sfs2x-api.js": "/…/node_modules/sfs2x-api/sfs2x-api.js" }`. */
  files?: Record<string, string>;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** Called once per request with its method, path and status. */
  onRequest?: (line: string) => void;
}

/** A running static server. */
export interface StaticServer {
  /** `http://host:port` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

/** Starts the static server; resolves once it listens. */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = resolve(options.root);
  const extra = new Map(Object.entries(options.files ?? {}));

  /** The file a request target names; 400 when it is malformed, 404 when it names none we serve. */
  function fileFor(target: string): string | 400 | 404 {
    // The raw target, not a parsed URL: `//x` or `/%zz` must get an answer, not an exception.
    const rawPath = target.split(/[?#]/, 1)[0] ?? "";
    if (!rawPath.startsWith("/")) return 400;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return 400; // a malformed %-escape
    }
    if (path.includes("\0")) return 400;
    const fixed = extra.get(path);
    if (fixed !== undefined) return fixed;
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(join(root, path));
    return file.startsWith(root + sep) ? file : 404;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return 405;
    }
    const file = fileFor(req.url ?? "/");
    if (file === 400) {
      res.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request\n");
      return 400;
    }
    const info = file === 404 ? undefined : await stat(file).catch(() => undefined);
    if (file === 404 || info === undefined || !info.isFile()) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
      return 404;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": "no-store",
    });
    if (req.method === "HEAD") {
      res.end();
      return 200;
    }
    // pipeline (not pipe): it settles and releases the file when the client closes early too;
    // with pipe, a client that hangs up right after the last byte left the read stream open.
    await new Promise<void>((done) => pipeline(createReadStream(file), res, () => done()));
    return 200;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).then(
      (status) => options.onRequest?.(`${req.method} ${req.url} ${status}`),
      (error: Error) => {
        options.onRequest?.(`${req.method} ${req.url} failed: ${error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      },
    );
  });
  await new Promise<void>((ready, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", fail);
      ready();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

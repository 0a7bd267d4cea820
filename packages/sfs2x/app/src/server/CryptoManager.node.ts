import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import type { Logger } from "../util/logger.js";
import type { Session } from "./Session.js";

/** The path the official TCP clients POST to for the AES key (spec §2.4). */
export const CRYPTO_MANAGER_PATH = "/BlueBox/CryptoManager";

/** Where the CryptoManager endpoint listens. */
export interface CryptoManagerOptions {
  /**
   * `http://host:port` or `https://host:port` to listen on (port 0: any free port; see
   * `SFSServer.cryptoManagerUrl`). Default `http://127.0.0.1:0`. Real servers serve it on their
   * HTTPS port (8443), where the official clients look for it.
   */
  listen?: string;
  /** TLS options (`key`, `cert`, ...) for an `https://` listener. */
  tls?: HttpsServerOptions;
  /**
   * Serve the endpoint on an existing `http`/`https` server instead of listening (its other
   * requests are left alone). `SFSServer.cryptoManagerUrl` is then undefined: you know its URL.
   */
  server?: Server;
}

/** Request bodies are tiny (`SessToken=<32 hex>`); anything larger is refused before reading it all. */
const MAX_BODY = 4096;

/**
 * @internal Serves `POST /BlueBox/CryptoManager` with form field `SessToken`: answers base64 of
 * 32 random bytes (AES-128 key 16 + IV 16) and switches the session's connection to AES at
 * once, before the response is written, so that the client's next (encrypted) packet decodes.
 * Only TCP sessions that have completed the handshake get a key, once.
 */
export class CryptoManagerEndpoint {
  private http: Server | undefined;
  private detach: (() => void) | undefined;
  private bound: string | undefined;

  constructor(
    private readonly lookup: (token: string) => Session | undefined,
    private readonly logger: Logger,
    private readonly options: CryptoManagerOptions,
  ) {}

  /** The endpoint's URL once listening on its own server. */
  get url(): string | undefined {
    return this.bound;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const path = (req.url ?? "").split("?")[0];
      if (path === CRYPTO_MANAGER_PATH) this.handle(req, res);
    };
    if (this.options.server !== undefined) {
      const server = this.options.server;
      server.on("request", handler);
      this.detach = () => server.off("request", handler);
      return;
    }
    const target = new URL(this.options.listen ?? "http://127.0.0.1:0");
    const secure = target.protocol === "https:";
    if (!secure && target.protocol !== "http:") throw new TypeError(`encryption.listen must be http:// or https://, got ${target.protocol}`);
    const server = secure
      ? createHttpsServer(this.options.tls ?? {}, (req, res) => this.route(req, res, handler))
      : createHttpServer((req, res) => this.route(req, res, handler));
    this.http = server;
    const host = target.hostname.replace(/^\[|\]$/g, "");
    const port = target.port === "" ? (secure ? 8443 : 8080) : Number(target.port);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    const shown = a.address.includes(":") ? `[${a.address}]` : a.address;
    this.bound = `${secure ? "https" : "http"}://${shown}:${a.port}${CRYPTO_MANAGER_PATH}`;
  }

  private route(req: IncomingMessage, res: ServerResponse, handler: (req: IncomingMessage, res: ServerResponse) => void): void {
    const path = (req.url ?? "").split("?")[0];
    if (path !== CRYPTO_MANAGER_PATH) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      return;
    }
    handler(req, res);
  }

  async close(): Promise<void> {
    this.detach?.();
    const server = this.http;
    this.http = undefined;
    if (server === undefined) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const fail = (status: number, text: string): void => {
      this.logger.warn(`[CryptoManager] ${status} ${text}`);
      if (!res.headersSent) res.writeHead(status, { "content-type": "text/plain" });
      res.end(text);
    };
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      fail(405, "POST only");
      return;
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY) {
      fail(413, "body too large");
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        fail(413, "body too large");
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", () => {
      /* the client went away; nothing to answer */
    });
    req.on("end", () => {
      if (size > MAX_BODY || res.writableEnded) return;
      const token = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("SessToken");
      if (!token) {
        fail(400, "missing SessToken");
        return;
      }
      const session = this.lookup(token);
      if (session === undefined || session.state === "closed") {
        fail(400, "unknown session token");
        return;
      }
      if (session.scheme !== "tcp") {
        // Spec §2.4: never encrypt toward WebSocket clients (they rely on TLS).
        fail(400, "encryption is for TCP sessions only");
        return;
      }
      if (session.encrypted) {
        fail(409, "this session already has a key");
        return;
      }
      const material = randomBytes(32);
      try {
        session.enableEncryption({ key: new Uint8Array(material.subarray(0, 16)), iv: new Uint8Array(material.subarray(16, 32)) });
      } catch (e) {
        fail(500, `could not switch encryption on: ${(e as Error).message}`);
        return;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(material.toString("base64"));
    });
  }
}

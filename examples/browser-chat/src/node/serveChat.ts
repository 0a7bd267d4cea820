/**
 * Everything the chat page needs on localhost, in process: the bundle, the SFS2X dev server and a
 * static file server for the page (which also serves the official sfs2x-api browser build at
 * /vendor/sfs2x-api.js, for trying the official client against the same server).
 */
import { createRequire } from "node:module";
import { buildBundle, type BundleResult } from "./build.js";
import { createDevServer, type DevServer } from "@toolkit/example-dev-server";
import { startStaticServer, type StaticServer } from "./StaticServer.js";

/** Options of {@link serveChat}. Ports: 0 picks a free one. */
export interface ServeChatOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** The page's port (default 8000). */
  httpPort?: number;
  /** The SFS2X WebSocket port (default 8080). */
  wsPort?: number;
  /** The SFS2X TCP port (default 9933). */
  tcpPort?: number;
  /** Where the bundle goes (default the example's dist/). */
  outDir?: string;
  /** Where the dev server's lines go (connections, logins, joins...; default `console.log`). */
  log?: (line: string) => void;
}

/** A running chat site. */
export interface ChatSite {
  readonly bundle: BundleResult;
  /** The SFS2X dev server (examples/dev-server): zone BasicExamples, room The Lobby. */
  readonly sfs: DevServer;
  readonly site: StaticServer;
  /** The page, its server field pre-filled with the dev server's WebSocket URL. */
  readonly pageUrl: string;
  /** Stops both servers. */
  close(): Promise<void>;
}

/** The official client's browser build (it defines `window.SFS2X`). */
export const officialClientBuild = (): string => createRequire(import.meta.url).resolve("sfs2x-api");

/** Bundles the page, then starts the dev server and the static server. */
export async function serveChat(options: ServeChatOptions = {}): Promise<ChatSite> {
  const host = options.host ?? "127.0.0.1";
  const bundle = await buildBundle(options.outDir === undefined ? {} : { outDir: options.outDir });
  const sfs = await createDevServer({ host, wsPort: options.wsPort ?? 8080, tcpPort: options.tcpPort ?? 9933, ...(options.log ? { log: options.log } : {}) }).listen();
  let site: StaticServer;
  try {
    site = await startStaticServer({ root: bundle.outDir, host, port: options.httpPort ?? 8000, files: { "/vendor/sfs2x-api.js": officialClientBuild() } });
  } catch (error) {
    await sfs.close();
    throw error;
  }
  return {
    bundle,
    sfs,
    site,
    pageUrl: `${site.url}/?url=${encodeURIComponent(sfs.wsUrl)}`,
    close: async () => {
      await Promise.allSettled([site.close(), sfs.close()]);
    },
  };
}

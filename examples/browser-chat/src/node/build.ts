/**
 * Bundles the chat page for browsers with esbuild: src/page/chat.ts (and through it our SFS2X
 * client, `@sfs2x/app`'s browser entry) into one minified ES module, dist/chat.js, next to a copy
 * of the page's HTML. Prints the bundle's size, raw and gzipped.
 *
 *   pnpm build                       (in this folder; or pnpm --filter @toolkit/example-browser-chat build)
 */
import { copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The example's folder. */
export const exampleRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Options of {@link buildBundle}. */
export interface BundleOptions {
  /** Where to write chat.js and index.html (default: the example's dist/). */
  outDir?: string;
  /**
   * Resolve workspace packages to their TypeScript sources (the `@source` export condition;
   * default true, so no prior build of the packages is needed). False bundles their built dist/,
   * as an application that installed them from npm would.
   */
  fromSource?: boolean;
  /** Minify (default true). */
  minify?: boolean;
}

/** What {@link buildBundle} wrote. */
export interface BundleResult {
  outDir: string;
  /** The bundled script. */
  script: string;
  /** Its size in bytes. */
  rawBytes: number;
  /** Its size gzipped (level 9), in bytes. */
  gzipBytes: number;
}

/** Bundles the page into `outDir` (ESM, minified, browser conditions) and measures the script. */
export async function buildBundle(options: BundleOptions = {}): Promise<BundleResult> {
  const outDir = options.outDir ?? join(exampleRoot, "dist");
  const script = join(outDir, "chat.js");
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [join(exampleRoot, "src", "page", "chat.ts")],
    outfile: script,
    bundle: true,
    format: "esm",
    // platform "browser" adds the `browser` condition: @sfs2x/app and @sfs2x/transport-ws pick their browser entries.
    platform: "browser",
    target: "es2022",
    conditions: options.fromSource === false ? [] : ["@source"],
    minify: options.minify ?? true,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
    // The packages' tsconfig enables experimentalDecorators; esbuild reads it for their sources.
  });
  await copyFile(join(exampleRoot, "src", "page", "index.html"), join(outDir, "index.html"));
  const bytes = await readFile(script);
  return { outDir, script, rawBytes: bytes.byteLength, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength };
}

/** "123.4 kB (126 345 bytes)". */
export function formatSize(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB (${bytes} bytes)`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const fromSource = !process.argv.includes("--from-dist");
  const result = await buildBundle({ fromSource });
  console.log(`bundled ${result.script} (${fromSource ? "workspace sources" : "packages' dist/"})`);
  console.log(`  raw  ${formatSize(result.rawBytes)}`);
  console.log(`  gzip ${formatSize(result.gzipBytes)}`);
}

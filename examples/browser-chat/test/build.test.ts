// The page's bundle: one self-contained, minified ES module for browsers, measured as the build prints it.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundle, formatSize, type BundleResult } from "../src/node/build.js";

let tmp: string;
let bundle: BundleResult;
let code: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "browser-chat-build-"));
  bundle = await buildBundle({ outDir: tmp });
  code = await readFile(bundle.script, "utf8");
}, 60_000);

afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe("buildBundle", () => {
  it("writes chat.js, its source map and the page", async () => {
    expect(bundle.script).toBe(join(tmp, "chat.js"));
    expect(await readFile(join(tmp, "index.html"), "utf8")).toContain('<script type="module" src="./chat.js"></script>');
    expect(code).toMatch(/\/\/# sourceMappingURL=chat\.js\.map\s*$/);
    expect(JSON.parse(await readFile(join(tmp, "chat.js.map"), "utf8")).sources.some((s: string) => s.endsWith("src/page/chat.ts"))).toBe(true);
  });

  // Booleans, not toMatch(): a failing match would print the whole bundle.
  it("is self-contained: no import or require left, no Node built-in", () => {
    expect(/\bfrom\s*["']|\bimport\s*\(?\s*["']|\brequire\s*\(\s*["']/.test(code), "an import/require is left in the bundle").toBe(false);
    expect(/["']node:\w+["']/.test(code), "a node: specifier is in the bundle").toBe(false);
    expect(code.includes("BlueBox/websocket"), "our browser transport is in it").toBe(true);
  });

  it("is minified, and the sizes it reports are the file's", async () => {
    const plain = await buildBundle({ outDir: join(tmp, "plain"), minify: false });
    expect(bundle.rawBytes).toBeLessThan(plain.rawBytes * 0.7);
    expect(bundle.rawBytes).toBe(Buffer.byteLength(code));
    expect(bundle.gzipBytes).toBe(gzipSync(Buffer.from(code), { level: 9 }).byteLength);
    expect(bundle.gzipBytes).toBeLessThan(bundle.rawBytes / 2);
    expect(formatSize(123456)).toBe("123.5 kB (123456 bytes)");
  });
});

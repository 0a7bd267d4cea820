/**
 * The guides' TypeScript snippets are complete programs: this test runs every one of them (README.md
 * and docs/*.md), each in its own Node process with tsx, against the packages' sources. A block whose
 * info string says `no-run` is skipped; one that says `background` (a server the next blocks talk to)
 * is started first and stopped once the document's other blocks have run.
 */
import { spawn } from "node:child_process";
import { createSocket } from "node:dgram";
import { createServer } from "node:net";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repo = resolve(demoDir, "../..");
// Inside the demo's node_modules, so the snippets resolve the workspace packages the demo links.
const workDir = join(demoDir, "node_modules", ".docs-snippets");

interface Snippet {
  doc: string;
  line: number;
  file: string;
  background: boolean;
}

/** A port free for both TCP and UDP on 127.0.0.1. */
async function freePort(): Promise<number> {
  for (;;) {
    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, "127.0.0.1", r));
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket("udp4");
    const free = await new Promise<boolean>((r) => {
      udp.once("error", () => r(false));
      udp.bind(port, "127.0.0.1", () => r(true));
    });
    udp.close();
    await new Promise((r) => tcp.close(r));
    if (free) return port;
  }
}

// The guides use the protocols' usual ports; the test moves them to free ones so it never collides.
const usualPorts = /\b(4296|9933|8080|8443)\b/g;

async function snippetsOf(doc: string): Promise<Snippet[]> {
  let text = readFileSync(join(repo, doc), "utf8");
  const ports = new Map<string, number>();
  for (const [port] of text.matchAll(usualPorts)) if (!ports.has(port)) ports.set(port, await freePort());
  text = text.replace(usualPorts, (port) => String(ports.get(port)));
  const out: Snippet[] = [];
  let n = 0;
  for (const m of text.matchAll(/^```(?:ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm)) {
    n++;
    if (/\bno-run\b/.test(m[1]!)) continue;
    const file = join(workDir, `${doc.replace(/[^a-z0-9]+/gi, "_")}_${n}.ts`);
    writeFileSync(file, m[2]!);
    out.push({ doc, line: text.slice(0, m.index).split("\n").length, file, background: /\bbackground\b/.test(m[1]!) });
  }
  return out;
}

function start(snippet: Snippet) {
  const child = spawn(process.execPath, ["--conditions=@source", "--import", "tsx", snippet.file], {
    cwd: demoDir,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(workDir, "tsconfig.json") },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, output: () => output };
}

const where = (s: Snippet): string => `${s.doc}:${s.line}`;

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
writeFileSync(join(workDir, "package.json"), '{ "type": "module" }\n'); // snippets are ES modules (top-level await)
// The house compiler options (experimentalDecorators above all) for the snippets and for the
// packages' sources they run against: tsx applies a tsconfig only to the files it includes.
writeFileSync(
  join(workDir, "tsconfig.json"),
  JSON.stringify({ extends: join(repo, "tsconfig.base.json"), include: ["*.ts", join(repo, "packages/**/src/**/*.ts")] }),
);
const docs = ["README.md", ...readdirSync(join(repo, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

// Type-check copies (`.mts`: ES modules whatever the folder), written now, checked by the last test.
const typecheckDir = join(workDir, "typecheck");
mkdirSync(typecheckDir);
const typecheckFiles: string[] = [];
for (const doc of docs) {
  const text = readFileSync(join(repo, doc), "utf8");
  let n = 0;
  for (const m of text.matchAll(/^```(?:ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm)) {
    n++;
    if (/\bno-run\b/.test(m[1]!)) continue;
    const file = `${doc.replace(/[^a-z0-9]+/gi, "_")}_${n}.mts`;
    writeFileSync(join(typecheckDir, file), m[2]!);
    typecheckFiles.push(file);
  }
}

describe.concurrent("documentation snippets run", () => {
  for (const doc of docs) {
    const runnable = [...readFileSync(join(repo, doc), "utf8").matchAll(/^```(?:ts|typescript)([^\n]*)\n/gm)].filter((m) => !/\bno-run\b/.test(m[1]!)).length;
    if (runnable === 0) continue;
    it(`${doc} (${runnable} snippets)`, async () => {
      const snippets = await snippetsOf(doc);
      const servers = snippets.filter((s) => s.background).map((s) => ({ s, run: start(s) }));
      try {
        // Give background servers time to listen: they print a line when they do.
        for (const { s, run } of servers) {
          for (let i = 0; i < 100 && run.output() === "" && run.child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
          expect(run.child.exitCode, `${where(s)} exited early:\n${run.output()}`).toBeNull();
        }
        // The snippets are independent programs: run a few at a time (each mostly waits on tsx's start-up).
        const queue = snippets.filter((x) => !x.background);
        const failures: string[] = [];
        const worker = async (): Promise<void> => {
          for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
            const run = start(s);
            const timer = setTimeout(() => run.child.kill("SIGKILL"), 20_000);
            const code = await run.exited;
            clearTimeout(timer);
            if (code !== 0) failures.push(`${where(s)} (${relative(repo, s.file)}) exited with ${code}:\n${run.output()}`);
          }
        };
        await Promise.all([worker(), worker(), worker()]);
        expect(failures.join("\n\n")).toBe("");
        for (const { s, run } of servers) {
          expect(run.child.exitCode, `${where(s)} exited before the end:\n${run.output()}`).toBeNull();
        }
      } finally {
        for (const { run } of servers) {
          run.child.kill("SIGINT");
          const timer = setTimeout(() => run.child.kill("SIGKILL"), 3000);
          await run.exited;
          clearTimeout(timer);
        }
      }
    }, 90_000); // several tsx start-ups on a shared machine
  }
  it("the snippets type-check (strict, against the packages' sources)", async () => {
    writeFileSync(
      join(typecheckDir, "tsconfig.json"),
      JSON.stringify({ extends: join(repo, "tsconfig.base.json"), compilerOptions: { noEmit: true }, files: typecheckFiles }),
    );
    const tsc = spawn(process.execPath, [join(repo, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--pretty", "false"], {
      cwd: typecheckDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    tsc.stdout.on("data", (d: Buffer) => (output += d));
    tsc.stderr.on("data", (d: Buffer) => (output += d));
    await new Promise((r) => tsc.on("exit", r));
    // Only the snippets' own errors: the packages' sources are checked by their own lint.
    const errors = output.split("\n").filter((line) => typecheckFiles.some((f) => line.startsWith(f)));
    expect(typecheckFiles.length).toBeGreaterThan(0);
    expect(errors.join("\n")).toBe("");
  }, 90_000);
});

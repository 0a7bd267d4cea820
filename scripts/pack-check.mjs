#!/usr/bin/env node
// Pack-and-import check: what a user gets from `npm install`, tested from outside the repo.
//
// For every publishable (non-private) workspace package: `pnpm pack` it, check the tarball
// (dist/*.js + .d.ts, README.md, the package.json fields a registry package needs, `workspace:`
// ranges rewritten to real versions), `npm install` all tarballs together into a fresh project in
// os.tmpdir(), then, from that project, import() every subpath of every `exports` map (the `browser`
// condition's files too, by path), check a few named exports, and type-check the same imports with
// the published .d.ts files. Prints one line per package; exits non-zero on any failure.
//
// Builds are assumed done (`pnpm build`): this script packs whatever dist/ holds.
// Usage: node scripts/pack-check.mjs [--keep] [--no-types] [package-name ...]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2).filter((a) => a !== "--");
const keep = args.includes("--keep");
const checkTypes = !args.includes("--no-types");
const only = new Set(args.filter((a) => !a.startsWith("--")));

/**
 * Named exports each entry point must have (the public names of DESIGN.md that users rely on).
 * Keys are "<package>" for the "." entry or "<package>/<subpath>"; entries not listed here only
 * need to load and export something.
 */
const expectedExports = {
  "@sfs2x/core": ["SFSObject", "SFSArray", "SFSDataType", "SFSCodecError"],
  "@sfs2x/protocol": ["encodePacket", "decodePacket", "PacketDecoder", "PacketError", "ControllerId", "SysAction"],
  "@sfs2x/app": ["SFSClient", "SFSServer"],
  "@sfs2x/app/client": ["SFSClient"],
  "@sfs2x/transport-ws": ["connectWs", "WsServer"],
  "@sfs2x/transport-ws/browser": ["connectWs"],
  "@sfs2x/transport-tcp": ["connectTcp", "TcpServer"],
  "@darkrift/core": ["DarkRiftWriter", "DarkRiftReader", "DarkRiftMessage", "MessageFlags"],
  "@darkrift/protocol": ["encodeTcpFrame", "FrameDecoder", "encodeDatagram", "decodeDatagram", "FrameError", "HandshakeError"],
  "@darkrift/client": ["connect"],
  "@darkrift/server": ["serve"],
  "@darkrift/app": ["MessageContainer"],
};
/** The same for the `browser` condition's files (browser entries hold the client side only). */
const expectedBrowserExports = {
  "@sfs2x/transport-ws": ["connectWs", "connectBrowserWs"],
  "@sfs2x/app": ["SFSClient"],
  "@sfs2x/app/client": ["SFSClient"],
};
const requiredFields = ["exports", "files", "sideEffects", "engines", "license", "repository"];

// ---------------------------------------------------------------------------------------------
// Workspace discovery

function workspacePackages() {
  const yaml = readFileSync(join(repo, "pnpm-workspace.yaml"), "utf8");
  const patterns = [...yaml.matchAll(/^\s*-\s*["']?([^"'\n#]+?)["']?\s*$/gm)]
    .map((m) => m[1])
    .filter((p) => p.endsWith("/*"));
  const dirs = [];
  for (const pattern of patterns) {
    const parent = join(repo, pattern.slice(0, -2));
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent).sort()) {
      const dir = join(parent, entry);
      if (statSync(dir).isDirectory() && existsSync(join(dir, "package.json"))) dirs.push(dir);
    }
  }
  return dirs.map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Environment for tools run outside the repo: no pnpm/npm script variables, no --conditions. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm|pnpm)_/i.test(k) && !/^npm_config_(registry|cache|proxy|https_proxy|noproxy|userconfig)$/i.test(k)) continue;
    if (k === "NODE_OPTIONS" && /--conditions|-C\b|--import/.test(v ?? "")) continue;
    env[k] = v;
  }
  env.npm_config_update_notifier = "false";
  return env;
}

function run(cmd, argv, cwd, env = cleanEnv()) {
  const r = spawnSync(cmd, argv, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

/** The pnpm of the root `packageManager` field, or the one running this script. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? "";
  if (/pnpm/.test(execPath) && /\.c?js$/.test(execPath)) return [process.execPath, [execPath]];
  const root = JSON.parse(readFileSync(join(repo, "package.json"), "utf8"));
  const pm = root.packageManager ?? "pnpm@10";
  return ["npx", ["-y", pm.split("+")[0]]];
}

const tail = (text, n = 12) => text.trim().split("\n").slice(-n).join("\n");

// ---------------------------------------------------------------------------------------------
// Tarballs: a minimal ustar reader (names, sizes, contents)

function readTarball(path) {
  const tar = gunzipSync(readFileSync(path));
  const files = new Map();
  let offset = 0;
  let longName = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const str = (start, len) => header.subarray(start, start + len).toString("utf8").replace(/\0.*$/s, "");
    let name = str(0, 100);
    const prefix = str(345, 155);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(str(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") { longName = body.toString("utf8").replace(/\0.*$/s, ""); continue; }
    if (longName) { name = longName; longName = null; }
    if (type === "0" || type === "\0") files.set(name.replace(/^package\//, ""), body);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Export maps

/** Every string target of an exports value, with the condition path that leads to it. */
function exportTargets(value, conditions = []) {
  if (typeof value === "string") return [{ conditions, target: value }];
  if (Array.isArray(value)) return value.flatMap((v) => exportTargets(v, conditions));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => exportTargets(v, [...conditions, k]));
  }
  return [];
}

/** The subpath map of an `exports` field ("." → value), whatever shorthand it uses. */
function subpaths(exportsField) {
  if (typeof exportsField === "string" || Array.isArray(exportsField)) return { ".": exportsField };
  const keys = Object.keys(exportsField ?? {});
  if (keys.length && keys.every((k) => !k.startsWith("."))) return { ".": exportsField };
  return exportsField ?? {};
}

/** Resolves an exports value for a set of active conditions, the way Node does. */
function resolveConditions(value, active) {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    for (const v of value) { const r = resolveConditions(v, active); if (r) return r; }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "default" || active.includes(k)) { const r = resolveConditions(v, active); if (r !== undefined) return r; }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Checks on one tarball

function checkTarball(pkg, files, versions) {
  const problems = [];
  const manifestBytes = files.get("package.json");
  if (!manifestBytes) return { problems: ["no package.json in the tarball"], manifest: {} };
  const manifest = JSON.parse(manifestBytes.toString("utf8"));

  for (const field of requiredFields) {
    const v = manifest[field];
    if (v === undefined || v === null || v === "" || (typeof v === "object" && Object.keys(v).length === 0)) problems.push(`package.json lacks "${field}"`);
  }
  if (manifest.engines && !manifest.engines.node) problems.push(`engines has no "node"`);
  if (manifest.repository && typeof manifest.repository === "object" && !manifest.repository.url) problems.push("repository has no url");
  if (manifest.name !== pkg.manifest.name || manifest.version !== pkg.manifest.version) problems.push("packed name/version differ from the workspace manifest");

  // pnpm pack must rewrite workspace: ranges into versions the registry can resolve.
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
    for (const [dep, spec] of Object.entries(manifest[field] ?? {})) {
      if (String(spec).startsWith("workspace:")) { problems.push(`${field}.${dep} is still "${spec}"`); continue; }
      const sibling = versions.get(dep);
      if (sibling && field !== "devDependencies" && String(spec).replace(/^[\^~=]/, "") !== sibling) {
        problems.push(`${field}.${dep} is "${spec}", the workspace has ${sibling}`);
      }
    }
  }

  if (!files.has("README.md")) problems.push("no README.md");
  const names = [...files.keys()];
  if (!names.some((n) => /^dist\/.*\.js$/.test(n))) problems.push("no dist/*.js (run the build first)");
  if (!names.some((n) => /^dist\/.*\.d\.ts$/.test(n))) problems.push("no dist/*.d.ts");
  if (names.some((n) => /^(test|bench)\//.test(n) || /\.vitest-report\.json$/.test(n))) problems.push("tarball holds test files");

  // Every file an export map points at must be in the tarball.
  const entries = subpaths(manifest.exports);
  for (const [subpath, value] of Object.entries(entries)) {
    for (const { conditions, target } of exportTargets(value)) {
      if (target.includes("*")) continue;
      const file = target.replace(/^\.\//, "");
      if (!files.has(file)) problems.push(`exports["${subpath}"]${conditions.map((c) => `.${c}`).join("")} → ${target} is not in the tarball`);
      if (conditions.at(-1) === "types" && !/\.d\.[cm]?ts$/.test(target)) problems.push(`exports["${subpath}"] types → ${target} is not a .d.ts`);
    }
    if (subpath !== "./package.json" && !resolveConditions(value, ["types", "import", "node"])?.endsWith(".d.ts") && typeof value === "object") {
      problems.push(`exports["${subpath}"] has no "types" condition`);
    }
  }
  for (const field of ["main", "types", "module", "browser"]) {
    if (typeof manifest[field] === "string" && !files.has(manifest[field].replace(/^\.\//, ""))) problems.push(`${field} → ${manifest[field]} is not in the tarball`);
  }
  const readme = files.get("README.md")?.toString("utf8") ?? "";
  const warnings = [];
  if (readme && (readme.split("\n").length < 15 || !/```(ts|js|typescript)/.test(readme))) warnings.push("README is a stub (no TS example)");
  return { problems, warnings, manifest, entries };
}

// ---------------------------------------------------------------------------------------------
// The consumer project: import every entry point and type-check the same imports

function importCheckSource(plan) {
  return `// Generated by scripts/pack-check.mjs: imports every published entry point by name, as a user would.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
const plan = ${JSON.stringify(plan, null, 2)};
const results = [];
for (const item of plan) {
  try {
    const mod = item.json
      ? await import(item.specifier, { with: { type: "json" } })
      : await import(item.byPath ? pathToFileURL(join(process.cwd(), "node_modules", item.pkg, item.byPath)).href : item.specifier);
    const names = Object.keys(mod).filter((n) => n !== "default" || item.json);
    const missing = item.expect.filter((n) => mod[n] === undefined);
    const problems = [];
    if (missing.length) problems.push("missing exports: " + missing.join(", "));
    if (!item.json && names.length === 0) problems.push("exports nothing");
    results.push({ ...item, ok: problems.length === 0, problems, count: names.length });
  } catch (error) {
    results.push({ ...item, ok: false, problems: ["import failed: " + String(error?.message ?? error).split("\\n")[0]] });
  }
}
process.stdout.write(JSON.stringify(results));
`;
}

/** One type-check file per package, so every tsc error names the package it belongs to. */
function typeCheckSources(plan) {
  const byPackage = new Map();
  plan.forEach((item, i) => {
    if (item.json || item.byPath || !item.typed) return;
    const lines = byPackage.get(item.pkg) ?? ["// Generated by scripts/pack-check.mjs: the imports, checked against the published .d.ts files."];
    lines.push(`import * as m${i} from "${item.specifier}";`);
    lines.push(`export const names${i}: unknown[] = [${item.expect.map((n) => `m${i}.${n}`).join(", ")}];`);
    byPackage.set(item.pkg, lines);
  });
  return [...byPackage].map(([pkg, lines]) => ({ pkg, file: `types-${pkg.replace(/[@/]/g, "_")}.ts`, text: lines.join("\n") + "\n" }));
}

// ---------------------------------------------------------------------------------------------

const all = workspacePackages();
const versions = new Map(all.map((p) => [p.manifest.name, p.manifest.version]));
// A filtered run still packs the workspace packages the selected ones depend on (npm needs them).
const wanted = new Set(only);
for (let grew = true; grew && only.size; ) {
  grew = false;
  for (const p of all) {
    if (!wanted.has(p.manifest.name)) continue;
    for (const dep of Object.keys({ ...p.manifest.dependencies, ...p.manifest.peerDependencies })) {
      if (versions.has(dep) && !wanted.has(dep)) { wanted.add(dep); grew = true; }
    }
  }
}
const publishable = all.filter((p) => !p.manifest.private && (only.size === 0 || wanted.has(p.manifest.name)));
if (publishable.length === 0) {
  console.error("pack-check: no publishable package matched");
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), "pack-check-"));
const tarballDir = join(work, "tarballs");
const project = join(work, "consumer");
mkdirSync(tarballDir);
mkdirSync(project);
const failures = new Map(publishable.map((p) => [p.manifest.name, []]));
const notes = new Map(publishable.map((p) => [p.manifest.name, []]));
let fatal = null;

try {
  // 1. Pack every package in one pnpm run (it rewrites workspace: ranges as it packs).
  const [pnpm, pnpmArgs] = pnpmCommand();
  const filters = publishable.flatMap((p) => ["--filter", p.manifest.name]);
  const packed = run(pnpm, [...pnpmArgs, "-r", ...filters, "pack", "--pack-destination", tarballDir], repo, { ...process.env });
  if (!packed.ok) throw new Error(`pnpm pack failed:\n${tail(packed.stderr + packed.stdout)}`);
  const tarballs = new Map();
  for (const file of readdirSync(tarballDir)) {
    if (!file.endsWith(".tgz")) continue;
    const files = readTarball(join(tarballDir, file));
    const name = JSON.parse(files.get("package.json")?.toString("utf8") ?? "{}").name;
    tarballs.set(name, { path: join(tarballDir, file), files, size: statSync(join(tarballDir, file)).size });
  }

  // 2. Static checks on each tarball.
  const plan = [];
  for (const pkg of publishable) {
    const name = pkg.manifest.name;
    const tarball = tarballs.get(name);
    if (!tarball) { failures.get(name).push("pnpm pack produced no tarball"); continue; }
    const { problems, warnings, entries } = checkTarball(pkg, tarball.files, versions);
    failures.get(name).push(...problems);
    notes.get(name).push(...warnings);
    for (const [subpath, value] of Object.entries(entries ?? {})) {
      if (subpath.includes("*")) continue;
      const specifier = subpath === "." ? name : `${name}/${subpath.slice(2)}`;
      const json = subpath.endsWith(".json");
      const expect = subpath === "." ? expectedExports[name] ?? [] : expectedExports[specifier] ?? [];
      const typed = !json && Boolean(resolveConditions(value, ["types", "import", "node"])?.endsWith(".d.ts"));
      plan.push({ pkg: name, specifier, json, expect, typed });
      // The browser build is imported by path: Node would never pick the "browser" condition itself.
      const browserTarget = resolveConditions(value, ["browser", "import"]);
      const nodeTarget = resolveConditions(value, ["node", "import"]);
      if (!json && browserTarget && browserTarget !== nodeTarget && /\.m?js$/.test(browserTarget)) {
        const browserExpect = expectedBrowserExports[specifier] ?? [];
        plan.push({ pkg: name, specifier: `${specifier} [browser: ${browserTarget}]`, byPath: browserTarget.replace(/^\.\//, ""), expect: browserExpect, json: false, typed: false });
      }
    }
  }

  // 3. A fresh project outside the repo; all tarballs installed together, third-party
  //    dependencies from the registry (the npm cache first).
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "pack-check-consumer", private: true, type: "module" }, null, 2));
  const install = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", ...[...tarballs.values()].map((t) => t.path)], project);
  if (!install.ok) throw new Error(`npm install of the tarballs failed:\n${tail(install.stderr + install.stdout)}`);

  // Our packages must come from the tarballs, never from the registry, and exist once.
  const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8"));
  for (const pkg of publishable) {
    const name = pkg.manifest.name;
    const entry = lock.packages?.[`node_modules/${name}`];
    if (!entry) failures.get(name).push("not installed in the consumer project");
    else if (!String(entry.resolved ?? "").startsWith("file:")) failures.get(name).push(`installed from ${entry.resolved}, not from the tarball`);
    const copies = Object.keys(lock.packages ?? {}).filter((k) => k.endsWith(`/node_modules/${name}`) && k !== `node_modules/${name}`);
    if (copies.length) failures.get(name).push(`installed twice (${copies.join(", ")}): a dependency range does not match the tarball`);
  }

  // 4. Import every entry point from inside the consumer project.
  writeFileSync(join(project, "import-check.mjs"), importCheckSource(plan));
  const imported = run(process.execPath, ["import-check.mjs"], project);
  let results = [];
  try { results = JSON.parse(imported.stdout); } catch {
    throw new Error(`the import check crashed:\n${tail(imported.stderr + imported.stdout)}`);
  }
  for (const r of results) {
    if (!r.ok) failures.get(r.pkg).push(`${r.specifier}: ${r.problems.join("; ")}`);
    else notes.get(r.pkg).push(`__entry:${r.specifier}`);
  }

  // 5. Type-check the same imports against the published declarations (strict, no skipLibCheck,
  //    so a .d.ts that needs an undeclared @types package fails here as it would for a user).
  const typeFiles = checkTypes ? typeCheckSources(plan) : [];
  if (typeFiles.length) {
    for (const { file, text } of typeFiles) writeFileSync(join(project, file), text);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
        skipLibCheck: false, experimentalDecorators: true, lib: ["ES2022", "DOM"],
        types: ["node"], typeRoots: [join(repo, "node_modules/@types")],
      },
      files: typeFiles.map((t) => t.file),
    }, null, 2));
    const tsc = join(repo, "node_modules/typescript/bin/tsc");
    const typed = run(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], project);
    if (!typed.ok) {
      const errors = (typed.stdout + typed.stderr).split("\n").filter((l) => /error TS/.test(l));
      if (errors.length === 0) throw new Error(`tsc failed:\n${tail(typed.stdout + typed.stderr)}`);
      for (const line of errors) {
        const pkg = typeFiles.find((t) => line.startsWith(t.file))?.pkg
          ?? publishable.find((p) => line.includes(`node_modules/${p.manifest.name}/`))?.manifest.name;
        const message = line
          .replace(/^node_modules\//, "")
          .replace(/'typeof import\("[^"]*node_modules\/([^"]+)"[^']*'/g, "module $1")
          .replace(/^types-[^(]+/, "");
        if (pkg) failures.get(pkg).push(`types: ${message}`);
        else fatal = `type check: ${message}`;
      }
    }
  }
} catch (error) {
  fatal = error instanceof Error ? error.message : String(error);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Report: one line per package

let failed = 0;
for (const pkg of publishable) {
  const name = pkg.manifest.name;
  const problems = failures.get(name);
  const entryCount = notes.get(name).filter((n) => n.startsWith("__entry:")).length;
  const warnings = notes.get(name).filter((n) => !n.startsWith("__entry:"));
  const where = relative(repo, pkg.dir);
  if (problems.length === 0 && !fatal) {
    console.log(`ok    ${name}@${pkg.manifest.version} (${where}): ${entryCount} entry point(s) imported${warnings.length ? `; warning: ${warnings.join("; ")}` : ""}`);
  } else if (problems.length === 0) {
    console.log(`skip  ${name}@${pkg.manifest.version} (${where}): not checked past the failure below`);
  } else {
    failed++;
    console.log(`FAIL  ${name}@${pkg.manifest.version} (${where}): ${problems.join("; ")}`);
  }
}
if (fatal) console.log(`FAIL  ${fatal}`);
console.log(`pack-check: ${fatal ? 0 : publishable.length - failed} of ${publishable.length} packages ok${keep ? ` (kept ${work})` : ""}`);
process.exit(failed > 0 || fatal ? 1 : 0);

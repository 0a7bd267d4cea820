/**
 * A namespaced debug logger, switched on by namespace patterns as the `debug` package does:
 * `DEBUG=darkrift:*` (Node) or `localStorage.debug = "darkrift:*"` (browsers). Browser-safe: it reads
 * `globalThis.process?.env?.DEBUG`, else `globalThis.localStorage?.debug`, once, on first use.
 *
 * Call it like `console.log`; when its namespace is off a call is a flag test and nothing else, and
 * `enabled` lets a caller skip building an expensive message.
 */
export interface DebugLogger {
  (message: string, ...args: unknown[]): void;
  /** The namespace, e.g. `"darkrift:server"`. */
  readonly namespace: string;
  /** Whether calls are printed (follows {@link enableDebug}). */
  readonly enabled: boolean;
}

/** Where enabled debug lines go. Default: stderr (`console.error`) in Node, `console.debug` elsewhere. */
export type DebugSink = (line: string, ...args: unknown[]) => void;

interface Patterns {
  include: RegExp[];
  exclude: RegExp[];
}

let spec: string | undefined;
let patterns: Patterns | undefined;
// Bumped by enableDebug() so loggers made earlier re-evaluate once, not on every call.
let generation = 0;
let sink: DebugSink | undefined;

function readEnvironment(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> }; localStorage?: { getItem?(k: string): string | null } };
  try {
    const fromEnv = g.process?.env?.DEBUG;
    if (fromEnv !== undefined) return fromEnv;
    return g.localStorage?.getItem?.("debug") ?? undefined;
  } catch {
    return undefined; // localStorage can throw (sandboxed iframes, privacy modes)
  }
}

function toRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*?");
  return new RegExp(`^${escaped}$`);
}

function compile(s: string | undefined): Patterns {
  const out: Patterns = { include: [], exclude: [] };
  for (const part of (s ?? "").split(/[\s,]+/)) {
    if (part === "") continue;
    if (part.startsWith("-")) out.exclude.push(toRegExp(part.slice(1)));
    else out.include.push(toRegExp(part));
  }
  return out;
}

function current(): Patterns {
  if (!patterns) {
    spec ??= readEnvironment();
    patterns = compile(spec);
  }
  return patterns;
}

/**
 * Sets which namespaces print, replacing what `DEBUG` / `localStorage.debug` said: a comma- or
 * space-separated list where `*` matches anything and a leading `-` excludes (`"darkrift:*,-darkrift:client"`).
 * `""` switches every namespace off; `undefined` goes back to the environment's setting.
 */
export function enableDebug(namespaces: string | undefined): void {
  spec = namespaces;
  patterns = undefined;
  generation++;
}

/** Whether a namespace is enabled by the current setting (see {@link enableDebug}). */
export function isDebugEnabled(namespace: string): boolean {
  const p = current();
  if (p.exclude.some((r) => r.test(namespace))) return false;
  return p.include.some((r) => r.test(namespace));
}

/** Redirects enabled debug lines (e.g. into a test's array); `undefined` restores the default. */
export function setDebugSink(next: DebugSink | undefined): void {
  sink = next;
}

function defaultSink(line: string, ...args: unknown[]): void {
  const g = globalThis as { process?: { versions?: { node?: string } } };
  if (typeof g.process?.versions?.node === "string") console.error(line, ...args);
  else console.debug(line, ...args);
}

/** A debug logger for `namespace` (by convention `"package:part"`, e.g. `"darkrift:server"`). */
export function createDebugLogger(namespace: string): DebugLogger {
  let seen = -1;
  let on = false;
  const isOn = (): boolean => {
    if (seen !== generation) {
      seen = generation;
      on = isDebugEnabled(namespace);
    }
    return on;
  };
  const log = (message: string, ...args: unknown[]): void => {
    if (!isOn()) return;
    (sink ?? defaultSink)(`${new Date().toISOString()} ${namespace} ${message}`, ...args);
  };
  Object.defineProperty(log, "namespace", { value: namespace, enumerable: true });
  Object.defineProperty(log, "enabled", { get: isOn, enumerable: true });
  return log as DebugLogger;
}

/**
 * A small benchmark harness: every suite measures our implementation beside a peer
 * (the official client, a bare socket echo, a hand-written loop) in the same process and
 * the same run, interleaving rounds so machine noise hits both alike, and prints the ratio.
 */

/** One contender of a comparison. `run` performs `ops` operations per call (default 1). */
export interface Contender {
  name: string;
  /** Synchronous or asynchronous body; async bodies are awaited. */
  run: () => unknown;
  /** Operations one call of `run` performs (e.g. messages echoed). */
  ops?: number;
  /** Bytes one operation processes, for an MB/s column. */
  bytesPerOp?: number;
  /** Called once before measuring (open sockets, warm caches). */
  setup?: () => unknown;
  /** Called once after measuring. */
  teardown?: () => unknown;
}

export interface ComparisonOptions {
  /** Time per contender per round, in ms. */
  roundMs?: number;
  /** Interleaved rounds; the median is reported. */
  rounds?: number;
}

export interface ContenderResult {
  name: string;
  opsPerSec: number;
  mbPerSec?: number;
}

const now = (): number => performance.now();

/** Times calls of `run` for about `roundMs`; `isAsync` (decided once per contender) says whether to await them. */
async function timeRound(contender: Contender, roundMs: number, isAsync: boolean): Promise<number> {
  const ops = contender.ops ?? 1;
  let calls = 0;
  const start = now();
  let elapsed = 0;
  // Check the clock every few calls so cheap bodies are not dominated by timer reads.
  let batch = 1;
  while (elapsed < roundMs) {
    if (isAsync) for (let i = 0; i < batch; i++) await contender.run();
    else for (let i = 0; i < batch; i++) contender.run();
    calls += batch;
    elapsed = now() - start;
    if (elapsed < roundMs / 20) batch *= 2;
  }
  return (calls * ops * 1000) / elapsed;
}

/** Calls `run` once (untimed, part of the warm-up) and says whether it returned a promise. */
async function probeAsync(contender: Contender): Promise<boolean> {
  const r = contender.run();
  if (r instanceof Promise) {
    await r;
    return true;
  }
  return false;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Measures `ours` and every peer in interleaved rounds and prints a table with
 * ops/s, MB/s and the ratio of ours to each peer. Returns the results (ours first).
 */
export async function compare(
  title: string,
  ours: Contender,
  peers: Contender[],
  options: ComparisonOptions = {},
): Promise<ContenderResult[]> {
  const roundMs = options.roundMs ?? Number(process.env.BENCH_ROUND_MS ?? 400);
  const rounds = options.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5);
  const all = [ours, ...peers];
  for (const c of all) await c.setup?.();
  try {
    // Warm-up: decide once per contender whether its body is async, then let the JIT settle on
    // every contender before timing anything.
    const isAsync: boolean[] = [];
    for (const c of all) isAsync.push(await probeAsync(c));
    for (let i = 0; i < all.length; i++) await timeRound(all[i]!, Math.min(roundMs, 200), isAsync[i]!);
    const samples = all.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < all.length; i++) samples[i]!.push(await timeRound(all[i]!, roundMs, isAsync[i]!));
    }
    const results = all.map((c, i) => {
      const opsPerSec = median(samples[i]!);
      return {
        name: c.name,
        opsPerSec,
        mbPerSec: c.bytesPerOp ? (opsPerSec * c.bytesPerOp) / 1e6 : undefined,
      };
    });
    printTable(title, results);
    return results;
  } finally {
    for (const c of all) await c.teardown?.();
  }
}

const fmt = (n: number): string =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1);

/** Prints results with the ratio of the first row (ours) to each other row. */
export function printTable(title: string, results: ContenderResult[]): void {
  const ours = results[0]!;
  console.log(`\n## ${title}`);
  console.log("| contender | ops/s | MB/s | ours ÷ this |");
  console.log("|---|---:|---:|---:|");
  for (const r of results) {
    const ratio = r === ours ? "—" : `${(ours.opsPerSec / r.opsPerSec).toFixed(2)}×`;
    const mb = r.mbPerSec === undefined ? "" : r.mbPerSec.toFixed(1);
    console.log(`| ${r.name} | ${fmt(r.opsPerSec)} | ${mb} | ${ratio} |`);
  }
}

/**
 * Prints p50/p99 round-trip latency of ours and a peer from per-call samples (ms), with the ratios.
 * `labels`: [ours, peer].
 */
export function printLatency(labels: [string, string], oursMs: number[], peerMs: number[]): void {
  const o = percentiles(oursMs);
  const b = percentiles(peerMs);
  const us = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
  console.log("\n| round-trip latency | p50 | p99 |");
  console.log("|---|---:|---:|");
  console.log(`| ${labels[0]} | ${us(o.p50)} | ${us(o.p99)} |`);
  console.log(`| ${labels[1]} | ${us(b.p50)} | ${us(b.p99)} |`);
  console.log(`(p50 ours ÷ bare: ${(o.p50 / b.p50).toFixed(2)}×, p99 ours ÷ bare: ${(o.p99 / b.p99).toFixed(2)}×; lower is better)`);
}

/** Latency percentiles (ms) from a list of samples. */
export function percentiles(samplesMs: number[]): { p50: number; p99: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

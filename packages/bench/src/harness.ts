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

async function timeRound(contender: Contender, roundMs: number): Promise<number> {
  const ops = contender.ops ?? 1;
  let calls = 0;
  const start = now();
  let elapsed = 0;
  // Check the clock every few calls so cheap bodies are not dominated by timer reads.
  let batch = 1;
  while (elapsed < roundMs) {
    for (let i = 0; i < batch; i++) {
      const r = contender.run();
      if (r instanceof Promise) await r;
    }
    calls += batch;
    elapsed = now() - start;
    if (elapsed < roundMs / 20) batch *= 2;
  }
  return (calls * ops * 1000) / elapsed;
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
    // Warm-up: let the JIT settle on every contender before timing anything.
    for (const c of all) await timeRound(c, Math.min(roundMs, 200));
    const samples = all.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < all.length; i++) samples[i]!.push(await timeRound(all[i]!, roundMs));
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

/** Latency percentiles (ms) from a list of samples. */
export function percentiles(samplesMs: number[]): { p50: number; p99: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

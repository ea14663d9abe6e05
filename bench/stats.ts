/**
 * Latency figures for the benchmarks: nearest-rank percentiles over recorded samples, and process memory
 * from /proc (peak and current resident set). Figures only: nothing here asserts a timing.
 */
import { readFileSync } from 'node:fs';

export interface LatencySummary {
  n: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank percentile (p in [0, 100]) of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((t, x) => t + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/** Runs `fn` once per item, timing each call (wall clock, ms). */
export async function timeEach<T>(items: readonly T[], fn: (item: T) => unknown): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await fn(item);
    out.push(performance.now() - t);
  }
  return out;
}

export interface MemoryFigures {
  /** Peak resident set (VmHWM), bytes. */
  peakRss: number;
  /** Current resident set (VmRSS), bytes. */
  rss: number;
  heapUsed: number;
}

/** Peak and current RSS of this process (Linux /proc; falls back to resourceUsage and memoryUsage). */
export function memoryFigures(): MemoryFigures {
  let peakRss = process.resourceUsage().maxRSS * 1024;
  let rss = process.memoryUsage().rss;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string): number | null => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : null;
    };
    peakRss = kb('VmHWM') ?? peakRss;
    rss = kb('VmRSS') ?? rss;
  } catch {
    // not Linux
  }
  return { peakRss, rss, heapUsed: process.memoryUsage().heapUsed };
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x < 0.01) return `${(x * 1000).toFixed(2)} us`;
  if (x < 1) return `${x.toFixed(3)} ms`;
  if (x < 100) return `${x.toFixed(2)} ms`;
  return `${x.toFixed(0)} ms`;
}

export function rate(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return `${Math.round(x).toLocaleString('en-US')}/s`;
}

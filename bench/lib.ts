// Shared helpers for the benchmarks: timing with warm-up, percentiles, the machine description, result rows and
// the printed table. Benchmarks are measured the same way every time: warm up, then time many iterations and
// report the median (and p95) rather than a single best or mean, because the machine is shared and noisy.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Row {
  /** Group within a section: engine, api, raw-pg, grading, footprint. */
  group: string;
  /** The bench/run.ts section that measured it (set by run.ts). */
  section?: string;
  name: string;
  value: number;
  unit: string;
  /** Extra numbers shown next to the value (p95, ops/s, ratios...). */
  detail?: string;
  /** A target the value is held to, when the issue sets one. */
  target?: { op: "<" | "<=" | ">=" | ">" | "=="; value: number; text: string };
  met?: boolean;
}

export interface TargetResult {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean;
}

export function row(group: string, name: string, value: number, unit: string, detail?: string, target?: Row["target"]): Row {
  const r: Row = { group, name, value, unit, detail };
  if (target) {
    r.target = target;
    r.met = check(value, target.op, target.value);
  }
  return r;
}

function check(v: number, op: NonNullable<Row["target"]>["op"], t: number): boolean {
  switch (op) {
    case "<":
      return v < t;
    case "<=":
      return v <= t;
    case ">=":
      return v >= t;
    case ">":
      return v > t;
    case "==":
      return v === t;
  }
}

export function targetsOf(rows: Row[]): TargetResult[] {
  return rows
    .filter((r) => r.target)
    .map((r) => ({ name: `${r.group}: ${r.name}`, value: r.value, unit: r.unit, target: r.target!.text, met: r.met! }));
}

export function machine(): { cpus: number; cpuModel: string; node: string; platform: string; memGiB: number; loadavg: number[] } {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim() ?? "unknown",
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function machineLine(): string {
  const m = machine();
  return `${m.cpus} cores (${m.cpuModel}), ${m.memGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadavg.join(" ")}`;
}

export function now(): number {
  return performance.now();
}

export interface Stats {
  n: number;
  min: number;
  median: number;
  mean: number;
  p95: number;
  p99: number;
  max: number;
}

/** Percentile by nearest rank on a sorted copy. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    min: s[0],
    median: percentile(s, 50),
    mean: sum / s.length,
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s[s.length - 1],
  };
}

/** Run `fn(i)` `warmup` times untimed, then `iterations` times timed one by one; milliseconds per call. */
export function timeEach(iterations: number, warmup: number, fn: (i: number) => void): Stats {
  for (let i = 0; i < warmup; i++) fn(i);
  const out: number[] = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    fn(warmup + i);
    out[i] = performance.now() - t0;
  }
  return stats(out);
}

export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString("en-US");
  return Number(v.toPrecision(digits)).toString();
}

export function printTable(title: string, rows: Row[]): void {
  const lines: string[][] = [["", "measure", "value", "target", "met", "detail"]];
  for (const r of rows)
    lines.push([r.group, r.name, `${fmt(r.value)} ${r.unit}`, r.target?.text ?? "", r.target ? (r.met ? "met" : "NOT MET") : "", r.detail ?? ""]);
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  console.log(`\n${title}`);
  for (const [i, l] of lines.entries()) {
    console.log(l.map((c, j) => (j === 2 ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join("  ").trimEnd());
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** True when this module is the script node was started with (so a bench file can run alone or from run.ts). */
export function isMain(metaUrl: string): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(fileURLToPath(metaUrl)) === realpathSync(arg);
  } catch {
    return false;
  }
}

/** Progress on stderr (the table goes to stdout). */
export function progress(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

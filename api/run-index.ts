// Where the lab page's picture finds the last request of a cluster's current run (api/picture.ts) without reading
// the run's command log at every change: per cluster, the log position scanned up to and the last line after the
// last reset that can send a request. Mutations of this instance feed it the row they just logged (the log is
// append-only and its seqs are the versions, so the next row extends the scan); a gap (a change made elsewhere, an
// entry evicted) is filled by reading the rows after the position scanned. Bounded: least recently fed go first.
import type { LogRow } from "./grading.ts";

/** Terminal lines that can send a request (directly, in a loop, or through a script). */
const MAY_REQUEST = /\b(curl|wget|mysql|sh|bash|source)\b|(^|[;&|]\s*)\.\s/;

export function mayRequest(r: Pick<LogRow, "operation" | "input">): boolean {
  if (r.operation === "sendRequests") return true;
  return r.operation === "exec" && MAY_REQUEST.test(r.input);
}

export interface RunScan {
  /** The log is scanned up to this seq (the cluster version). */
  upTo: number;
  /** The last row after the last reset at or before `upTo` that can send a request; null: none. */
  lastRequest: LogRow | null;
}

/** `scan` extended by `rows`: every row logged after scan.upTo up to `upTo`, in seq order. */
export function extendScan(scan: RunScan, rows: readonly LogRow[], upTo: number): RunScan {
  let { lastRequest } = scan;
  for (const r of rows) {
    if (r.seq <= scan.upTo || r.seq > upTo) continue;
    if (r.operation === "resetCluster") lastRequest = null;
    else if (mayRequest(r)) lastRequest = r;
  }
  return { upTo, lastRequest };
}

const MAX = 4096;
const scans = new Map<string, RunScan>();

export function scanOf(clusterId: string): RunScan | undefined {
  return scans.get(clusterId);
}

export function keepScan(clusterId: string, scan: RunScan): void {
  const had = scans.get(clusterId);
  if (had && had.upTo > scan.upTo) return;
  scans.delete(clusterId);
  scans.set(clusterId, scan);
  if (scans.size > MAX) scans.delete(scans.keys().next().value!);
}

/** A mutation of this instance logged `row` (seq = the new version): extends the cluster's scan when it is the next. */
export function noteLogged(clusterId: string, row: LogRow): void {
  const had = scans.get(clusterId);
  if (had && had.upTo === row.seq - 1) keepScan(clusterId, extendScan(had, [row], row.seq));
}

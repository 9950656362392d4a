// Where the lab page's picture finds the last request of a cluster's current run (api/picture.ts) without reading
// the run's command log at every change: per cluster, the log position scanned up to and the last line after the
// last reset that can send a request. Mutations of this instance feed it the row they just logged (the log is
// append-only and its seqs are the versions, so the next row extends the scan); a gap (a change made elsewhere, an
// entry evicted) is filled by reading the rows after the position scanned. Bounded: least recently fed go first.
//
// The request itself, too, while the scan has followed the run from its start (the cluster's creation or its last
// reset) through this instance's mutations: each row's request is the one the engine routed as the line ran
// (Cluster.lastRouted), so the picture needs no replay of the run. The replay (api/picture.ts) gives the same answer —
// the engine is deterministic — and is what a scan read from the log, which keeps no requests, falls back to.
import type { HttpRequest, RequestResult } from "../engine/index.ts";
import type { LogRow } from "./grading.ts";
import { shellFromLog } from "./exec-shell.ts";
import type { PicturedRequest } from "./picture.ts";

/** Terminal lines that can send a request (directly, in a loop, or through a script). */
const MAY_REQUEST = /\b(curl|wget|mysql|sh|bash|source)\b|(^|[;&|]\s*)\.\s/;

export function mayRequest(r: Pick<LogRow, "operation" | "input" | "replay">): boolean {
  if (r.operation === "sendRequests") return true;
  if (r.operation !== "exec") return false;
  // the line as typed, or as bash's history expansion made it (`!!` after a curl is a curl)
  const ran = shellFromLog(r.replay).ran;
  return MAY_REQUEST.test(r.input) || (typeof ran === "string" && MAY_REQUEST.test(ran));
}

export interface RunScan {
  /** The log is scanned up to this seq (the cluster version). */
  upTo: number;
  /** The last row after the last reset at or before `upTo` that can send a request; null: none. */
  lastRequest: LogRow | null;
  /**
   * Known when every row of the run up to `upTo` was fed as it ran: `sent`, the last request any of them sent;
   * `pictured`, the last one sent up to `lastRequest`'s row — what replaying the run up to that row finds.
   */
  requests?: { sent: PicturedRequest | null; pictured: PicturedRequest | null };
}

/** A run that starts at `seq` (a new cluster, a reset): nothing in it yet, so its requests are known. */
export const runStart = (seq: number): RunScan => ({ upTo: seq, lastRequest: null, requests: { sent: null, pictured: null } });

/** `scan` extended by `rows`: every row logged after scan.upTo up to `upTo`, in seq order (read from the log: what they sent is not known). */
export function extendScan(scan: RunScan, rows: readonly LogRow[], upTo: number): RunScan {
  let { lastRequest } = scan;
  for (const r of rows) {
    if (r.seq <= scan.upTo || r.seq > upTo) continue;
    if (r.operation === "resetCluster") lastRequest = null;
    else if (mayRequest(r)) lastRequest = r;
  }
  return { upTo, lastRequest };
}

/** `scan` extended by the one row logged next (`row.seq` is scan.upTo + 1), which sent `routed` as it ran (or nothing). */
function extendLive(scan: RunScan, row: LogRow, routed: { request: HttpRequest; result: RequestResult } | null): RunScan {
  if (row.operation === "resetCluster") return runStart(row.seq);
  const next = extendScan(scan, [row], row.seq);
  if (!scan.requests) return next;
  const sent = routed ? { seq: row.seq, line: row.input, host: row.host, request: routed.request, result: routed.result } : scan.requests.sent;
  return { ...next, requests: { sent, pictured: next.lastRequest === row ? sent : scan.requests.pictured } };
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

/**
 * A mutation of this instance logged `row` (seq = the new version), and its line sent `routed` (the last request the
 * engine routed while it ran; null: none): extends the cluster's scan when it is the next. A reset starts a new one.
 */
export function noteLogged(clusterId: string, row: LogRow, routed: { request: HttpRequest; result: RequestResult } | null = null): void {
  const had = scans.get(clusterId);
  if (row.operation === "resetCluster" || (had && had.upTo === row.seq - 1)) keepScan(clusterId, extendLive(had ?? runStart(0), row, routed));
}

// The cluster as the lab page draws it: its objects (read from an engine) and the last request sent in it, with
// the hop-by-hop trace the network gave that request. The trace is not stored: the command log is, and replaying a
// run is exact (the same seed and the same commands give the same cluster, the same backend, the same SNAT), so the
// last request is found again by replaying the run up to the last line that can send one, with the engine's
// `request` watched. A picture of an attempt replays the attempt's run up to the version graded at submit.
import type { Cluster, HttpRequest, RequestResult } from "../engine/index.ts";
import type { CommandEntry } from "../engine/grading/index.ts";
import { runCommands } from "../engine/grading/index.ts";
import type { Context } from "./context.ts";
import { engineOf, newEngine, type ClusterRow } from "./clusters.ts";
import { runLogOf, type LogRow } from "./grading.ts";
import type { LabAttempt } from "./generated/prisma/client.ts";
import { extendScan, keepScan, scanOf, type RunScan } from "./run-index.ts";

/** The last request of a cluster run and the log entry that sent it. */
export interface PicturedRequest {
  seq: number;
  /** The terminal line (or the mutation's description) that sent it. */
  line: string;
  host: string | null;
  request: HttpRequest;
  result: RequestResult;
}

export interface Picture {
  /** The cluster version pictured. */
  version: number;
  engine: Cluster;
  lastRequest: PicturedRequest | null;
}

/** What one log row replays as (nothing for a reset or a stateless operation). */
function entryOf(r: LogRow): CommandEntry | undefined {
  return runLogOf([r], r.seq).replay[0];
}

/** The rows of the run that `upTo` belongs to: after the last reset at or before it, up to it. */
function runRows(rows: readonly LogRow[], upTo: number): LogRow[] {
  let after = 0;
  for (const r of rows) if (r.operation === "resetCluster" && r.seq <= upTo && r.seq > after) after = r.seq;
  return rows.filter((r) => r.seq > after && r.seq <= upTo);
}

/**
 * Replay `rows` on a fresh cluster, watching the requests the engine routes: the last one (`sent`) with the row that
 * sent it, and the last one sent up to the row `picturedAt` (`pictured`). The watch is an own property over the
 * prototype's method, removed afterwards.
 */
function replayRequests(fresh: Cluster, rows: readonly LogRow[], picturedAt: number): { sent: PicturedRequest | null; pictured: PicturedRequest | null } {
  let current: LogRow | undefined;
  let last: PicturedRequest | null = null;
  let pictured: PicturedRequest | null = null;
  const route = fresh.request.bind(fresh);
  fresh.request = (req: HttpRequest): RequestResult => {
    const result = route(req);
    if (current) last = { seq: current.seq, line: current.input, host: current.host, request: req, result };
    return result;
  };
  try {
    for (const r of rows) {
      const e = entryOf(r);
      current = r;
      if (e) runCommands(fresh, [e]);
      if (r.seq === picturedAt) pictured = last;
    }
  } finally {
    delete (fresh as unknown as { request?: unknown }).request;
  }
  return { sent: last, pictured };
}

/** Replay `rows` on a fresh cluster: the last request the engine routed, with the row that sent it. */
export function replayWatching(fresh: Cluster, rows: readonly LogRow[]): PicturedRequest | null {
  return replayRequests(fresh, rows, -1).sent;
}

async function logRows(ctx: Context, clusterId: string, upTo: number): Promise<LogRow[]> {
  return ctx.prisma.commandLog.findMany({
    where: { clusterId, seq: { lte: upTo } },
    orderBy: { seq: "asc" },
    select: { seq: true, operation: true, input: true, host: true, stdin: true, replay: true },
  });
}

/** Replays are cached by what determines them: a cluster and a log position (the log is append-only). */
const CACHE_MAX = 64;
const lastRequests = new Map<string, PicturedRequest | null>();
const attemptPictures = new Map<string, Picture>();

function remember<T>(m: Map<string, T>, k: string, v: T): T {
  m.set(k, v);
  if (m.size > CACHE_MAX) m.delete(m.keys().next().value!);
  return v;
}

/** The rows after `after` up to `upTo`, oldest first. */
async function logRowsAfter(ctx: Context, clusterId: string, after: number, upTo: number): Promise<LogRow[]> {
  return ctx.prisma.commandLog.findMany({
    where: { clusterId, seq: { gt: after, lte: upTo } },
    orderBy: { seq: "asc" },
    select: { seq: true, operation: true, input: true, host: true, stdin: true, replay: true },
  });
}

/**
 * The run index's scan of the run `row.version` belongs to (its last request-sending row; the request itself when
 * known): as it is when it has scanned up to there (a change this instance saved: no read), else extended by reading
 * the rows it has not scanned (all, the first time).
 */
async function scanTo(ctx: Context, row: ClusterRow): Promise<RunScan> {
  let scan: RunScan | undefined = scanOf(row.id);
  if (scan && scan.upTo === row.version) return scan;
  if (!scan || scan.upTo > row.version) scan = { upTo: 0, lastRequest: null };
  scan = extendScan(scan, await logRowsAfter(ctx, row.id, scan.upTo, row.version), row.version);
  keepScan(row.id, scan);
  return scan;
}

/** The cluster as it is, and the last request of its current run. */
export async function clusterPicture(ctx: Context, row: ClusterRow): Promise<Picture> {
  const engine = engineOf(ctx, row);
  const scan = await scanTo(ctx, row);
  // taken as the lines ran (run-index.ts): what the replay below would find
  if (scan.requests) return { version: row.version, engine, lastRequest: scan.requests.pictured };
  const last = scan.lastRequest;
  if (!last) return { version: row.version, engine, lastRequest: null };
  const key = `${row.id}@${last.seq}`;
  let lastRequest = lastRequests.get(key);
  if (lastRequest === undefined) {
    // the run replayed up to now: what its rows sent, so that the scan knows it from here on and the next changes of
    // this instance keep it known (run-index.ts) — one replay for a cluster this instance did not follow from its start
    const run = runRows(await logRows(ctx, row.id, row.version), row.version);
    const requests = replayRequests(newEngine(ctx, row.seed, row.labSlug), run, last.seq);
    lastRequest = remember(lastRequests, key, requests.pictured);
    if (scanOf(row.id) === scan) keepScan(row.id, { ...scan, requests });
  }
  return { version: row.version, engine, lastRequest };
}

/**
 * The cluster at the end of an attempt: its run replayed up to the version graded at submit (an open attempt: up
 * to now). Null when the attempt's cluster is gone.
 */
export async function attemptPicture(ctx: Context, attempt: LabAttempt): Promise<Picture | null> {
  if (!attempt.clusterId) return null;
  const cluster = await ctx.prisma.cluster.findUnique({ where: { id: attempt.clusterId }, select: { id: true, seed: true, version: true, labSlug: true } });
  if (!cluster) return null;
  const upTo = attempt.clusterVersion ?? cluster.version;
  const key = `${cluster.id}@${upTo}`;
  const hit = attemptPictures.get(key);
  if (hit) return hit;
  const engine = newEngine(ctx, cluster.seed, cluster.labSlug);
  const lastRequest = replayWatching(engine, runRows(await logRows(ctx, cluster.id, upTo), upTo));
  return remember(attemptPictures, key, { version: upTo, engine, lastRequest });
}

/** The command log of an attempt's run (after the last reset, up to the version graded), oldest first. */
export async function attemptTranscript(ctx: Context, attempt: LabAttempt) {
  if (!attempt.clusterId) return [];
  const cluster = await ctx.prisma.cluster.findUnique({ where: { id: attempt.clusterId }, select: { version: true } });
  if (!cluster) return [];
  const upTo = attempt.clusterVersion ?? cluster.version;
  const reset = await ctx.prisma.commandLog.findFirst({
    where: { clusterId: attempt.clusterId, operation: "resetCluster", seq: { lte: upTo } },
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return ctx.prisma.commandLog.findMany({ where: { clusterId: attempt.clusterId, seq: { gt: reset?.seq ?? 0, lte: upTo } }, orderBy: { seq: "asc" } });
}

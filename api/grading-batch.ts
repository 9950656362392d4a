// Regrading a whole lab for a course: every submitted attempt (a page at a time, by attempt id), graded again with
// the lab's current checks, in bulk: three reads for the page, grading in memory, and (with `record`) two writes in
// one transaction, whatever the number of attempts. Two ways to the graded cluster, the same result:
//   - the cluster has not changed since the attempt was submitted (its version is the version graded): its stored
//     state IS the graded cluster, restored as it is;
//   - it has (the student went on working, or reset it): the attempt's run is replayed from the command log on a
//     fresh cluster of the lab with the cluster's seed, exactly as regradeAttempt does.
// The attempt's run's terminal lines feed `command` checks either way. Nothing here changes any cluster. The
// grading itself runs on the app's GradePool when it has one for this catalog (worker threads under Node:
// api/node/grade-pool.ts), else in the request's thread.
import type { Context } from "./context.ts";
import type { SqlClient } from "./db/sql.ts";
import { runGradeJob, type GradeJob, type GradeOutcome } from "./grade-jobs.ts";
import { recordRegrades, runLogOf, sameGrade, storedGrade, type LogRow, type RunLog } from "./grading.ts";
import { ValidationError } from "./errors.ts";
import type { LabAttempt } from "./generated/prisma/client.ts";
import type { LabGrade } from "./labs.ts";

export const REGRADE_PAGE_MAX = 1000;

export type RegradeMethod = "STATE" | "REPLAY";

export interface LabRegradeItem {
  attemptId: string;
  userId: string;
  submittedAt: Date;
  /** The score recorded before (null if the attempt had none). */
  previousScore: number | null;
  grade: LabGrade;
  /** Same score and the same checkpoints passing as recorded. */
  matches: boolean;
  method: RegradeMethod;
  /** The cluster version graded. */
  clusterVersion: number;
}

export interface LabRegradeFailure {
  attemptId: string;
  userId: string;
  message: string;
}

export interface LabRegrade {
  courseId: string;
  labSlug: string;
  recorded: boolean;
  items: LabRegradeItem[];
  failures: LabRegradeFailure[];
  /** Pass as `after` for the next page; null when this page was the last. */
  nextCursor: string | null;
  regradedAt: Date | null;
}

interface AttemptRow {
  id: string;
  userId: string;
  clusterId: string | null;
  submittedAt: Date;
  score: number | null;
  results: unknown;
  clusterVersion: number | null;
  /** The cluster, when it still exists. */
  seed: number | null;
  version: number | null;
}

// The page's attempts (by id, under the limit) and their clusters' seed and version; states come a chunk at a time.
const PAGE_SQL = `SELECT p.id, p."userId", p."clusterId", p."submittedAt", p.score, p.results, p."clusterVersion", c.seed, c.version
  FROM (SELECT id, "userId", "clusterId", "submittedAt", score, results, "clusterVersion" FROM "LabAttempt"
         WHERE "courseId" = $1 AND "labSlug" = $2 AND "submittedAt" IS NOT NULL AND ($3::uuid IS NULL OR id > $3::uuid)
         ORDER BY id LIMIT $4) p
  LEFT JOIN "Cluster" c ON c.id = p."clusterId"
 ORDER BY p.id`;

const STATE_SQL = `SELECT id, version, state FROM "Cluster" WHERE id = ANY($1::uuid[])`;

// Terminal lines and resets are all a cluster graded from its state needs from the log; a replay needs every row.
const LOG_SQL = (all: boolean) => `SELECT "clusterId", seq, operation, input, host, stdin, replay FROM "CommandLog"
 WHERE "clusterId" = ANY($1::uuid[])${all ? "" : ` AND operation IN ('exec', 'resetCluster')`} ORDER BY "clusterId", seq`;

async function logsOf(db: SqlClient, clusterIds: string[], all: boolean): Promise<Map<string, LogRow[]>> {
  const out = new Map<string, LogRow[]>();
  if (!clusterIds.length) return out;
  const rows = await db.query<LogRow & { clusterId: string }>(LOG_SQL(all), [clusterIds]);
  for (const r of rows) {
    const list = out.get(r.clusterId);
    if (list) list.push(r);
    else out.set(r.clusterId, [r]);
  }
  return out;
}

/** An attempt to regrade: its row, the version graded, and how its cluster is rebuilt. */
interface Work {
  a: AttemptRow & { clusterId: string; seed: number; version: number };
  upTo: number;
  method: RegradeMethod;
}

/** Attempts read, graded and written together: the unit of the read / grade / write pipeline. */
const CHUNK = 40;
/**
 * The first and the last chunk of a page are smaller: nothing is graded until the first chunk is read, and the
 * last one's write and the commit wait for nothing else, so those two waits are as short as the threads allow.
 */
const EDGE = 10;

/** A page's work in pipeline chunks: EDGE first, EDGE last, and between them pieces of at most CHUNK, evenly sized. */
export function chunksOf<T>(work: T[]): T[][] {
  const head = Math.min(EDGE, work.length);
  const tail = work.length - head >= 2 * EDGE ? EDGE : 0;
  const middle = work.length - head - tail;
  const pieces = Math.ceil(middle / CHUNK);
  const out: T[][] = head ? [work.slice(0, head)] : [];
  for (let k = 0, i = head; k < pieces; k++) {
    const n = Math.floor(middle / pieces) + (k < middle % pieces ? 1 : 0);
    out.push(work.slice(i, i + n));
    i += n;
  }
  if (tail) out.push(work.slice(work.length - tail));
  return out;
}

/** A chunk's states and logs, as its jobs need them. */
async function readChunk(db: SqlClient, chunk: Work[]): Promise<{ states: Map<string, { version: number; state: string }>; stateLogs: Map<string, LogRow[]>; fullLogs: Map<string, LogRow[]> }> {
  const fromState = [...new Set(chunk.filter((w) => w.method === "STATE").map((w) => w.a.clusterId))];
  const replayed = [...new Set(chunk.filter((w) => w.method === "REPLAY").map((w) => w.a.clusterId))];
  const [rows, stateLogs, fullLogs] = await Promise.all([
    fromState.length ? db.query<{ id: string; version: number; state: string }>(STATE_SQL, [fromState]) : Promise.resolve([]),
    logsOf(db, fromState, false),
    logsOf(db, replayed, true),
  ]);
  const states = new Map(rows.map((r) => [r.id, r]));
  // A cluster the student changed since the page was read is no longer the graded one: its attempt is replayed.
  const moved = chunk.filter((w) => w.method === "STATE" && states.get(w.a.clusterId)?.version !== w.upTo);
  if (moved.length) {
    for (const w of moved) w.method = "REPLAY";
    const more = await logsOf(db, [...new Set(moved.map((w) => w.a.clusterId))], true);
    for (const [id, list] of more) fullLogs.set(id, list);
  }
  return { states, stateLogs, fullLogs };
}

export async function regradeLab(
  ctx: Context,
  courseId: string,
  labSlug: string,
  opts: { record: boolean; after?: string | null; first: number },
): Promise<LabRegrade> {
  const lab = ctx.labs.get(labSlug);
  if (!lab || !ctx.labs.grade || !ctx.labs.createCluster) throw new ValidationError(`lab "${labSlug}" cannot be regraded here`, [{ field: "labSlug", message: "no grader" }]);
  if (!Number.isInteger(opts.first) || opts.first < 1 || opts.first > REGRADE_PAGE_MAX)
    throw new ValidationError(`first must be between 1 and ${REGRADE_PAGE_MAX}`, [{ field: "first", message: "out of range" }]);
  const pool = ctx.gradePool && ctx.gradePool.catalog === ctx.labs ? ctx.gradePool : undefined;
  const items: LabRegradeItem[] = [];
  const failures: LabRegradeFailure[] = [];
  const at = new Date();
  const ms = { read: 0, grade: 0, write: 0, commit: 0 };
  let nextCursor: string | null = null;

  /** Grade one chunk whose states and logs were read: its items and its failures, in the chunk's order. */
  const grade = async (chunk: Work[], data: Awaited<ReturnType<typeof readChunk>>): Promise<{ graded: LabRegradeItem[]; failed: LabRegradeFailure[] }> => {
    const failed: LabRegradeFailure[] = [];
    const ready: { w: Work; job: GradeJob }[] = [];
    for (const w of chunk) {
      const stored = w.method === "STATE" ? data.states.get(w.a.clusterId) : undefined;
      const log: RunLog = runLogOf((stored ? data.stateLogs : data.fullLogs).get(w.a.clusterId) ?? [], w.upTo);
      if (!stored && log.skipped.length) {
        failed.push({ attemptId: w.a.id, userId: w.a.userId, message: `the log has mutations replay cannot reproduce (${log.skipped.join(", ")}): regrade it alone with regradeAttempt` });
        continue;
      }
      const job: GradeJob = stored
        ? { slug: labSlug, seed: w.a.seed, state: stored.state, replay: [], commands: log.commands }
        : { slug: labSlug, seed: w.a.seed, replay: log.replay, commands: log.commands };
      ready.push({ w, job });
    }
    const jobs = ready.map((r) => r.job);
    const outcomes: GradeOutcome[] = pool && jobs.length > 1 ? await pool.run(jobs) : jobs.map((j) => runGradeJob(ctx.labs, j));
    const graded: LabRegradeItem[] = [];
    ready.forEach(({ w }, i) => {
      const o = outcomes[i];
      if ("error" in o) {
        failed.push({ attemptId: w.a.id, userId: w.a.userId, message: o.error });
        return;
      }
      const recorded = storedGrade({ results: w.a.results } as LabAttempt);
      graded.push({
        attemptId: w.a.id,
        userId: w.a.userId,
        submittedAt: w.a.submittedAt,
        previousScore: w.a.score,
        grade: o.grade,
        matches: recorded !== null && sameGrade(recorded, o.grade),
        method: w.method,
        clusterVersion: w.upTo,
      });
    });
    return { graded, failed };
  };

  /**
   * The page, on `db` (the transaction when recording: PGlite has one connection, and everything a recording
   * regrade reads is read in it). Pipelined: while chunks are graded (on the pool's threads, two at a time), the next
   * chunk is read and the one graded before them written; results are kept in page order whatever finishes first.
   */
  const run = async (db: SqlClient, write: boolean): Promise<void> => {
    let t = Date.now();
    const page = await db.query<AttemptRow>(PAGE_SQL, [courseId, labSlug, opts.after ?? null, opts.first]);
    nextCursor = page.length === opts.first ? page[page.length - 1].id : null;
    const work: Work[] = [];
    for (const a of page) {
      if (a.clusterId === null || a.version === null || a.seed === null) {
        failures.push({ attemptId: a.id, userId: a.userId, message: "the attempt's cluster and its command log are gone" });
        continue;
      }
      const upTo = a.clusterVersion ?? a.version;
      // unchanged since the submit: the stored state is the graded cluster
      work.push({ a: a as Work["a"], upTo, method: a.version === upTo ? "STATE" : "REPLAY" });
    }
    const chunks = chunksOf(work);
    // In flight while a chunk is graded; awaited (and so thrown) in turn. The no-op handlers keep a failure that
    // happens before its await from counting as an unhandled rejection (which would end the process).
    const inFlight = <T>(p: Promise<T>): Promise<T> => {
      p.catch(() => {});
      return p;
    };
    // Two chunks in grading at once: chunk k goes to the threads as soon as it is read, queued behind chunk k - 1, so
    // a thread that finishes its part of a chunk goes on with the next instead of waiting for the other thread.
    let reading = chunks.length ? inFlight(readChunk(db, chunks[0])) : undefined;
    let grading: Promise<{ graded: LabRegradeItem[]; failed: LabRegradeFailure[] }> | undefined;
    let writing: Promise<void> = Promise.resolve();
    /** The chunk graded before: its results in page order, written once the write before it is done. */
    const settle = async (): Promise<void> => {
      t = Date.now();
      const { graded, failed } = await grading!;
      ms.grade += Date.now() - t;
      items.push(...graded);
      failures.push(...failed);
      t = Date.now();
      await writing;
      ms.write += Date.now() - t;
      if (write && graded.length) writing = inFlight(recordRegrades(db, graded, at));
    };
    for (let k = 0; k < chunks.length; k++) {
      const data = await reading!;
      ms.read += Date.now() - t;
      reading = k + 1 < chunks.length ? inFlight(readChunk(db, chunks[k + 1])) : undefined;
      const next = inFlight(grade(chunks[k], data));
      if (grading) await settle();
      grading = next;
      t = Date.now();
    }
    if (grading) await settle();
    t = Date.now();
    await writing;
    ms.write += Date.now() - t;
    ranAt = Date.now();
  };
  let ranAt = 0;

  if (!opts.record) {
    await run(ctx.sql, false);
    return { courseId, labSlug, recorded: false, items, failures, nextCursor, regradedAt: null };
  }
  await ctx.sql.transaction((tx) => run(tx, true), { maxWait: 10_000, timeout: 60_000 });
  ms.commit = Date.now() - ranAt;
  if (!items.length) return { courseId, labSlug, recorded: false, items, failures, nextCursor, regradedAt: null };
  // ms: waiting for reads, grading, waiting for writes (each not hidden behind the others), and the commit
  ctx.log.info("lab regraded and recorded", { courseId, labSlug, attempts: items.length, changed: items.filter((i) => !i.matches).length, failures: failures.length, ms });
  return { courseId, labSlug, recorded: true, items, failures, nextCursor, regradedAt: at };
}

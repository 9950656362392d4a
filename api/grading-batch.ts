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
import { runGradeJob, type GradeJob, type GradeOutcome } from "./grade-jobs.ts";
import { runLogOf, sameGrade, storedGrade, type LogRow, type RunLog } from "./grading.ts";
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
  /** The stored state, only when the cluster is still at the version graded (the one case it is used). */
  state: string | null;
}

// The page's attempts first (by id, under the limit), then their clusters: joined under the LIMIT, PostgreSQL
// could read every remaining cluster's state before cutting the page.
const PAGE_SQL = `SELECT p.id, p."userId", p."clusterId", p."submittedAt", p.score, p.results, p."clusterVersion",
       c.seed, c.version, CASE WHEN c.version = p."clusterVersion" THEN c.state END AS state
  FROM (SELECT id, "userId", "clusterId", "submittedAt", score, results, "clusterVersion" FROM "LabAttempt"
         WHERE "courseId" = $1 AND "labSlug" = $2 AND "submittedAt" IS NOT NULL AND ($3::uuid IS NULL OR id > $3::uuid)
         ORDER BY id LIMIT $4) p
  LEFT JOIN "Cluster" c ON c.id = p."clusterId"
 ORDER BY p.id`;

// Terminal lines and resets are all a cluster graded from its state needs from the log; a replay needs every row.
const LOG_SQL = (all: boolean) => `SELECT "clusterId", seq, operation, input, host, stdin, replay FROM "CommandLog"
 WHERE "clusterId" = ANY($1::uuid[])${all ? "" : ` AND operation IN ('exec', 'resetCluster')`} ORDER BY "clusterId", seq`;

async function logsOf(ctx: Context, clusterIds: string[], all: boolean): Promise<Map<string, LogRow[]>> {
  const out = new Map<string, LogRow[]>();
  if (!clusterIds.length) return out;
  const rows = await ctx.sql.query<LogRow & { clusterId: string }>(LOG_SQL(all), [clusterIds]);
  for (const r of rows) {
    const list = out.get(r.clusterId);
    if (list) list.push(r);
    else out.set(r.clusterId, [r]);
  }
  return out;
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
  const t0 = Date.now();
  const page = await ctx.sql.query<AttemptRow>(PAGE_SQL, [courseId, labSlug, opts.after ?? null, opts.first]);

  const fromState = page.filter((a) => a.state !== null);
  const replayed = page.filter((a) => a.state === null && a.clusterId !== null && a.version !== null);
  const [stateLogs, fullLogs] = await Promise.all([
    logsOf(ctx, fromState.map((a) => a.clusterId!), false),
    logsOf(ctx, [...new Set(replayed.map((a) => a.clusterId!))], true),
  ]);

  const t1 = Date.now();
  const items: LabRegradeItem[] = [];
  const failures: LabRegradeFailure[] = [];
  const work: { a: AttemptRow; upTo: number; method: RegradeMethod; job: GradeJob }[] = [];
  for (const a of page) {
    if (a.clusterId === null || a.version === null || a.seed === null) {
      failures.push({ attemptId: a.id, userId: a.userId, message: "the attempt's cluster and its command log are gone" });
      continue;
    }
    const upTo = a.clusterVersion ?? a.version;
    const fromStored = a.state !== null;
    const log: RunLog = runLogOf((fromStored ? stateLogs : fullLogs).get(a.clusterId) ?? [], upTo);
    if (!fromStored && log.skipped.length) {
      failures.push({ attemptId: a.id, userId: a.userId, message: `the log has mutations replay cannot reproduce (${log.skipped.join(", ")}): regrade it alone with regradeAttempt` });
      continue;
    }
    const job: GradeJob = fromStored
      ? { slug: labSlug, seed: a.seed, state: a.state!, replay: [], commands: log.commands }
      : { slug: labSlug, seed: a.seed, replay: log.replay, commands: log.commands };
    work.push({ a, upTo, method: fromStored ? "STATE" : "REPLAY", job });
  }
  const pool = ctx.gradePool && ctx.gradePool.catalog === ctx.labs && work.length > 1 ? ctx.gradePool : undefined;
  /** Grade some of the work; the grades go to `items`, anything that failed to `failures`. */
  const grade = async (part: typeof work): Promise<LabRegradeItem[]> => {
    const jobs = part.map((w) => w.job);
    const outcomes: GradeOutcome[] = pool ? await pool.run(jobs) : jobs.map((j) => runGradeJob(ctx.labs, j));
    const graded: LabRegradeItem[] = [];
    part.forEach(({ a, upTo, method }, i) => {
      const o = outcomes[i];
      if ("error" in o) {
        failures.push({ attemptId: a.id, userId: a.userId, message: o.error });
        return;
      }
      const recorded = storedGrade({ results: a.results } as LabAttempt);
      graded.push({
        attemptId: a.id,
        userId: a.userId,
        submittedAt: a.submittedAt,
        previousScore: a.score,
        grade: o.grade,
        matches: recorded !== null && sameGrade(recorded, o.grade),
        method,
        clusterVersion: upTo,
      });
    });
    items.push(...graded);
    return graded;
  };

  const nextCursor = page.length === opts.first ? page[page.length - 1].id : null;
  if (!opts.record) {
    await grade(work);
    return { courseId, labSlug, recorded: false, items, failures, nextCursor, regradedAt: null };
  }
  // Recording: one transaction for the page, written a chunk at a time while the next chunk is graded (the
  // database writes on its core while the engine grades on the others).
  const at = new Date();
  const ms = { read: t1 - t0, grade: 0, write: 0 };
  await ctx.sql.transaction(
    async (tx) => {
      let writing: Promise<void> = Promise.resolve();
      for (let i = 0; i < work.length; i += WRITE_CHUNK) {
        const g0 = Date.now();
        const graded = await grade(work.slice(i, i + WRITE_CHUNK));
        const w0 = Date.now();
        ms.grade += w0 - g0;
        await writing;
        ms.write += Date.now() - w0;
        if (graded.length) writing = writeRegrades(tx, graded, at);
      }
      const w0 = Date.now();
      await writing;
      ms.write += Date.now() - w0;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (!items.length) return { courseId, labSlug, recorded: false, items, failures, nextCursor, regradedAt: null };
  // ms: reading the page, grading, and waiting for writes not hidden behind grading
  ctx.log.info("lab regraded and recorded", { courseId, labSlug, attempts: items.length, changed: items.filter((i) => !i.matches).length, failures: failures.length, ms });
  return { courseId, labSlug, recorded: true, items, failures, nextCursor, regradedAt: at };
}

/** Attempts graded between two writes of a recording regrade. */
const WRITE_CHUNK = 100;

/**
 * The regrades become the attempts' grades, as regradeAttempt({ record: true }) records one: score and maxScore,
 * the full grade merged into `results` (with regradedAt and the version graded), and one CheckpointResult per
 * checkpoint (created with its first pass now when it passes; updated otherwise, keeping first-pass times).
 */
async function writeRegrades(tx: Context["sql"], items: LabRegradeItem[], at: Date): Promise<void> {
  await tx.execute(
    `UPDATE "LabAttempt" a SET score = v.score, "maxScore" = v.max, "regradedAt" = $5::timestamptz,
            results = COALESCE(a.results, '{}'::jsonb) || v.patch::jsonb
       FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::text[]) AS v(id, score, max, patch)
      WHERE a.id = v.id`,
    [
      items.map((i) => i.attemptId),
      items.map((i) => i.grade.score),
      items.map((i) => i.grade.maxScore),
      items.map((i) => JSON.stringify({ ...i.grade, regradedAt: at.toISOString(), clusterVersion: i.clusterVersion })),
      at,
    ],
  );
  const cps = items.flatMap((i) => i.grade.checkpoints.map((c) => ({ attemptId: i.attemptId, c })));
  await tx.execute(
    `INSERT INTO "CheckpointResult"("attemptId", "checkpointId", passed, score, "maxScore", message, "checkedAt", "firstPassedAt")
     SELECT v.a, v.id, v.passed, v.score, v.max, v.message, $7::timestamptz, CASE WHEN v.passed THEN $7::timestamptz END
       FROM unnest($1::uuid[], $2::text[], $3::bool[], $4::float8[], $5::float8[], $6::text[]) AS v(a, id, passed, score, max, message)
     ON CONFLICT ("attemptId", "checkpointId") DO UPDATE
       SET passed = EXCLUDED.passed, score = EXCLUDED.score, "maxScore" = EXCLUDED."maxScore", message = EXCLUDED.message`,
    [
      cps.map((x) => x.attemptId),
      cps.map((x) => x.c.id),
      cps.map((x) => x.c.passed),
      cps.map((x) => x.c.points),
      cps.map((x) => x.c.maxPoints),
      cps.map((x) => x.c.explanation),
      at,
    ],
  );
}

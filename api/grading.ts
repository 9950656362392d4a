// Lab grading persistence: live grades of a cluster, open attempts with progress (first-pass times) and hints,
// submitting, regrading by replaying an attempt's command log, and the data behind instructor views and exports.
// The grading itself is engine/grading (pure) behind the LabCatalog seam (api/labs.ts); this file only decides what
// is graded, what is replayed and what is written.
import { parseReplayOp, runCommands, recordProgress, gradebookCsv, gradescopeResults, junitXml, ltiScore } from "../engine/grading/index.ts";
import type { CommandEntry, GradeResult, GradebookRow, LtiScore, Progress } from "../engine/grading/index.ts";
import { Cluster } from "../engine/index.ts";
import type { Context } from "./context.ts";
import type { SqlClient } from "./db/sql.ts";
import { isUuid, requirePrincipal, withEngine, type ClusterRow } from "./clusters.ts";
import { NotFoundError, ValidationError } from "./errors.ts";
import type { LabCheckpointGrade, LabCheckpointInfo, LabCommand, LabGrade } from "./labs.ts";
import { shellFromLog } from "./exec-shell.ts";
import { openAttemptProgress } from "./db/attempt-store.ts";
import type { LabAttempt, Prisma } from "./generated/prisma/client.ts";

// ---- the command log of one cluster run ----

/** One cluster run's log, as grading and replay need it. */
export interface RunLog {
  /** The sequence number the run starts after (the last resetCluster at or before `upTo`, else 0). */
  after: number;
  /** The last sequence number included (the cluster version graded). */
  upTo: number;
  /** Terminal lines (exec), for `command` checks: exactly what the live grade sees. */
  commands: LabCommand[];
  /**
   * What replay runs, in order: exec lines, and every other mutation by its stored replay descriptor (its typed
   * engine operation). Entries logged before descriptors existed: advanceClock as `sleep N`, the rest skipped.
   */
  replay: CommandEntry[];
  /** Mutations replay cannot reproduce (logged without a usable descriptor), as `seq operation`. */
  skipped: string[];
}

/** Operations that do not change the engine state (deleteCluster only hides the row). */
const STATELESS = new Set(["deleteCluster"]);

/** A command-log row, as much of it as grading and replay read. */
export interface LogRow {
  seq: number;
  operation: string;
  input: string;
  host: string | null;
  stdin: string | null;
  replay: unknown;
}

// The rows of the run `upTo` belongs to: after the last reset at or before it, up to it. One statement (it is read
// at every "Check my progress" of a class).
const RUN_LOG_SQL = `SELECT seq, operation, input, host, stdin, replay FROM "CommandLog"
 WHERE "clusterId" = $1::uuid AND seq <= $2
   AND seq > COALESCE((SELECT max(seq) FROM "CommandLog" WHERE "clusterId" = $1::uuid AND operation = 'resetCluster' AND seq <= $2), 0)
 ORDER BY seq`;

export async function runLog(ctx: Context, clusterId: string, upTo: number): Promise<RunLog> {
  const rows = await ctx.sql.query<LogRow>(RUN_LOG_SQL, [clusterId, upTo]);
  return runLogOf(rows, upTo);
}

/**
 * The run a cluster version belongs to, from its log rows in seq order (any superset of the run's rows: those
 * up to and including the last reset at or before `upTo`, and those after `upTo`, are left out here).
 */
export function runLogOf(rows: readonly LogRow[], upTo: number): RunLog {
  let after = 0;
  for (const r of rows) if (r.operation === "resetCluster" && r.seq <= upTo && r.seq > after) after = r.seq;
  const commands: LabCommand[] = [];
  const replay: CommandEntry[] = [];
  const skipped: string[] = [];
  for (const r of rows) {
    if (r.seq <= after || r.seq > upTo) continue;
    // a read through the Kubernetes API (api/k8s/log.ts): a command a check may count, nothing to replay
    if (r.operation === "k8sRead") {
      commands.push({ line: r.input });
      continue;
    }
    if (r.operation === "exec") {
      const e: LabCommand = { line: r.input, ...(r.host ? { host: r.host } : {}), ...(r.stdin != null ? { stdin: r.stdin } : {}), ...shellFromLog(r.replay) };
      commands.push(e);
      replay.push(e);
      continue;
    }
    const op = r.replay == null ? undefined : parseReplayOp(r.replay);
    if (op) {
      replay.push({ line: r.input, op });
    } else if (r.operation === "advanceClock" && /^sleep \d+$/.test(r.input)) {
      replay.push({ line: r.input });
    } else if (!STATELESS.has(r.operation)) {
      skipped.push(`${r.seq} ${r.operation}`);
    }
  }
  return { after, upTo, commands, replay, skipped };
}

// ---- live grade ----

function labOf(ctx: Context, row: ClusterRow): string | null {
  return row.labSlug && ctx.labs.grade && ctx.labs.get(row.labSlug) ? row.labSlug : null;
}

/** The cluster graded as it is (nothing changes); null when it has no gradable lab. */
export async function gradeCluster(ctx: Context, row: ClusterRow): Promise<LabGrade | null> {
  const slug = labOf(ctx, row);
  if (!slug) return null;
  const log = await runLog(ctx, row.id, row.version);
  // the engine only for the grading itself: the student's next command waits for it no longer than that
  return withEngine(ctx, row, (engine) => ctx.labs.grade!(slug, engine, log.commands));
}

/** The student's own lab cluster (a foreign or missing id is the same NotFoundError), with a grader for its lab. */
export async function ownLabCluster(ctx: Context, row: ClusterRow | null, id: string): Promise<ClusterRow & { labSlug: string }> {
  const p = requirePrincipal(ctx);
  if (!row || row.ownerId !== p.sub) throw new NotFoundError(`cluster "${id}" not found`);
  if (!row.labSlug) throw new ValidationError("this cluster was not created from a lab", [{ field: "clusterId", message: "no lab" }]);
  if (!labOf(ctx, row)) throw new ValidationError(`lab "${row.labSlug}" cannot be graded here`, [{ field: "clusterId", message: "no grader" }]);
  return row as ClusterRow & { labSlug: string };
}

// ---- open attempts, progress, submit ----

/** The cluster's open attempt, created on first use (attempt-store's one rule), as the whole row. */
export async function openAttempt(ctx: Context, row: ClusterRow & { labSlug: string }): Promise<LabAttempt> {
  const { attemptId } = await openAttemptProgress(ctx.sql, { clusterId: row.id, userId: row.ownerId, courseId: row.courseId, labSlug: row.labSlug });
  return ctx.prisma.labAttempt.findUniqueOrThrow({ where: { id: attemptId } });
}

function asGradeResult(slug: string, g: LabGrade): GradeResult {
  return { lab: slug, score: g.score, maxScore: g.maxScore, checkpoints: g.checkpoints.map((c) => ({ ...c, checks: [] })) };
}

/** What an attempt's `results` JSON holds. */
export interface StoredResults extends LabGrade {
  /** When this grade was taken, and of which cluster version. */
  checkedAt: string;
  clusterVersion: number;
  /** Sum of the points of every checkpoint that has passed at some check of this attempt. */
  progressScore: number;
  firstPassedAt: Record<string, string>;
}

export interface Recorded {
  attempt: LabAttempt;
  grade: LabGrade;
  at: Date;
  progress: Progress;
  newlyPassed: string[];
}

/**
 * Record a grade of the cluster into its open attempt: every checkpoint's current result and, for checkpoints that
 * pass for the first time, the time (kept when they fail later). `submit` also closes the attempt with its score
 * (the sum of the points of the checkpoints passing now: what a replay of its log gives) and the graded version.
 */
export async function recordGrade(ctx: Context, row: ClusterRow & { labSlug: string }, grade: LabGrade, opts: { submit: boolean }): Promise<Recorded> {
  for (let i = 1; ; i++) {
    const done = await recordGradeOnce(ctx, row, grade, opts);
    if (done) return done;
    // the attempt was submitted between opening and writing (a concurrent submit): record in the next one
    if (i >= 3) throw new Error(`could not record a grade for cluster ${row.id}: its attempt kept closing`);
  }
}

/**
 * The grade written in ONE statement (every "Check my progress" of a class writes one): the attempt updated only
 * while it is still open on this cluster, and — only then, as the checkpoint rows join that update's row — each
 * checkpoint's result upserted, its first-pass time set where it passes and had none. Atomic as one statement is;
 * no row when the attempt was closed meanwhile (nothing written).
 */
const RECORD_SQL = `WITH a AS (
  UPDATE "LabAttempt" SET "checkedAt" = $3, checks = checks + 1, results = $4::jsonb,
    "submittedAt" = CASE WHEN $5 THEN $3 ELSE "submittedAt" END,
    score = CASE WHEN $5 THEN $6 ELSE score END,
    "maxScore" = CASE WHEN $5 THEN $7 ELSE "maxScore" END,
    "clusterVersion" = CASE WHEN $5 THEN $8 ELSE "clusterVersion" END,
    "openClusterId" = CASE WHEN $5 THEN NULL ELSE "openClusterId" END
  WHERE id = $1::uuid AND "openClusterId" = $2::uuid
  RETURNING *
), r AS (
  INSERT INTO "CheckpointResult" ("attemptId", "checkpointId", passed, score, "maxScore", message, "checkedAt", "firstPassedAt")
  SELECT a.id, x.id, x.passed, x.score, x.max, x.message, $3, CASE WHEN x.passed THEN $3::timestamptz END
    FROM a, unnest($9::text[], $10::boolean[], $11::float8[], $12::float8[], $13::text[]) AS x(id, passed, score, max, message)
  ON CONFLICT ("attemptId", "checkpointId") DO UPDATE SET passed = EXCLUDED.passed, score = EXCLUDED.score,
    "maxScore" = EXCLUDED."maxScore", message = EXCLUDED.message, "checkedAt" = EXCLUDED."checkedAt",
    "firstPassedAt" = COALESCE("CheckpointResult"."firstPassedAt", EXCLUDED."firstPassedAt")
)
SELECT * FROM a`;

async function recordGradeOnce(ctx: Context, row: ClusterRow & { labSlug: string }, grade: LabGrade, opts: { submit: boolean }): Promise<Recorded | null> {
  // the open attempt and its first passes in one statement (two Prisma queries, three when it had to be created)
  const open = await openAttemptProgress(ctx.sql, { clusterId: row.id, userId: row.ownerId, courseId: row.courseId, labSlug: row.labSlug });
  const at = new Date();
  const prev: Progress = { firstPassedAt: Object.fromEntries(Object.entries(open.firstPassedAt).map(([id, t]) => [id, t.toISOString()])), score: 0, maxScore: grade.maxScore };
  const { progress, newlyPassed } = recordProgress(prev, asGradeResult(row.labSlug, grade), at.toISOString());
  const results: StoredResults = { ...grade, checkedAt: at.toISOString(), clusterVersion: row.version, progressScore: progress.score, firstPassedAt: progress.firstPassedAt };
  const cps = grade.checkpoints;
  const written = await ctx.sql.query<LabAttempt>(RECORD_SQL, [
    open.attemptId,
    row.id,
    at,
    JSON.stringify(results),
    opts.submit,
    grade.score,
    grade.maxScore,
    row.version,
    cps.map((c) => c.id),
    cps.map((c) => c.passed),
    cps.map((c) => c.points),
    cps.map((c) => c.maxPoints),
    cps.map((c) => c.explanation ?? null),
  ]);
  if (!written.length) return null;
  return { attempt: written[0], grade, at, progress, newlyPassed };
}

// ---- hints ----

export interface HintEntry {
  checkpointId: string;
  at: string;
}

export interface RevealedHint {
  attempt: LabAttempt;
  checkpointId: string;
  hint: string | null;
  alreadyRevealed: boolean;
}

export async function revealHint(ctx: Context, row: ClusterRow & { labSlug: string }, checkpointId: string): Promise<RevealedHint> {
  const lab = ctx.labs.get(row.labSlug)!;
  const cp = lab.checkpoints.find((c) => c.id === checkpointId) as (LabCheckpointInfo & { hint?: string }) | undefined;
  if (!cp) throw new NotFoundError(`checkpoint "${checkpointId}" not found in lab "${row.labSlug}"`);
  const hint = cp.hint ?? null;
  for (let i = 0; i < 10; i++) {
    const attempt = await openAttempt(ctx, row);
    const hints = (Array.isArray(attempt.hints) ? attempt.hints : []) as unknown as HintEntry[];
    if (hints.some((h) => h.checkpointId === checkpointId)) return { attempt, checkpointId, hint, alreadyRevealed: true };
    const next = [...hints, { checkpointId, at: new Date().toISOString() }];
    // Guarded on the count read: a concurrent reveal makes this match nothing, and we read again.
    const n = await ctx.prisma.labAttempt.updateMany({
      where: { id: attempt.id, hintsUsed: attempt.hintsUsed, submittedAt: null },
      data: { hints: next as unknown as Prisma.InputJsonValue, hintsUsed: next.length },
    });
    if (n.count === 1) return { attempt: await ctx.prisma.labAttempt.findUniqueOrThrow({ where: { id: attempt.id } }), checkpointId, hint, alreadyRevealed: false };
  }
  throw new ValidationError("hints are being revealed too fast: try again", [{ field: "checkpointId", message: "busy" }]);
}

// ---- regrading ----

export interface Regrade {
  attempt: LabAttempt;
  labSlug: string;
  /** The grade recorded for the attempt (at submit, or its last progress check); null if never graded. */
  recorded: LabGrade | null;
  regrade: LabGrade;
  /** Same score and the same checkpoints passing as recorded. */
  matches: boolean;
  seed: number;
  clusterVersion: number;
  replayed: number;
  skipped: string[];
  regradedAt: Date | null;
}

/** An attempt a staff member of its course may see; anything else is the same NotFoundError. */
export async function staffAttempt(ctx: Context, attemptId: string): Promise<LabAttempt> {
  const p = requirePrincipal(ctx);
  const missing = new NotFoundError(`attempt "${attemptId}" not found`);
  if ((p.role !== "instructor" && p.role !== "grader") || !p.course || !isUuid(attemptId)) throw missing;
  const a = await ctx.prisma.labAttempt.findFirst({ where: { id: attemptId, courseId: p.course } });
  if (!a) throw missing;
  return a;
}

export function storedGrade(a: LabAttempt): LabGrade | null {
  const r = a.results as unknown as LabGrade | null;
  if (!r || typeof r !== "object" || !Array.isArray(r.checkpoints)) return null;
  return {
    score: r.score,
    maxScore: r.maxScore,
    checkpoints: r.checkpoints.map((c: LabCheckpointGrade) => ({ id: c.id, title: c.title, passed: c.passed, points: c.points, maxPoints: c.maxPoints, explanation: c.explanation })),
  };
}

export function sameGrade(a: LabGrade, b: LabGrade): boolean {
  if (a.score !== b.score || a.maxScore !== b.maxScore || a.checkpoints.length !== b.checkpoints.length) return false;
  return a.checkpoints.every((c, i) => c.id === b.checkpoints[i].id && c.passed === b.checkpoints[i].passed && c.points === b.checkpoints[i].points);
}

/**
 * The attempt's cluster run rebuilt: a fresh cluster of its lab with the cluster's seed, and the run's log (from
 * the last reset up to the version graded at submit; for an open attempt, up to now) replayed on it. Pure engine
 * work after two reads; nothing is written.
 */
export async function replayAttemptLog(ctx: Context, attempt: LabAttempt): Promise<{ cluster: { id: string; seed: number; version: number }; log: RunLog; engine: Cluster }> {
  if (!attempt.clusterId) throw new ValidationError("the attempt's cluster and its command log are gone", [{ field: "attemptId", message: "no log" }]);
  const cluster = await ctx.prisma.cluster.findUnique({ where: { id: attempt.clusterId }, select: { id: true, seed: true, version: true } });
  if (!cluster) throw new ValidationError("the attempt's cluster and its command log are gone", [{ field: "attemptId", message: "no log" }]);
  const slug = attempt.labSlug;
  if (!ctx.labs.get(slug) || !ctx.labs.grade || !ctx.labs.createCluster) throw new ValidationError(`lab "${slug}" cannot be regraded here`, [{ field: "attemptId", message: "no grader" }]);
  const log = await runLog(ctx, cluster.id, attempt.clusterVersion ?? cluster.version);
  return { cluster, log, engine: replayLog(ctx.labs.createCluster(slug, cluster.seed), log.replay) };
}

/**
 * Replay the logged mutations on the fresh lab cluster, in memory. The live cluster was reloaded from its stored
 * text before every mutation (from jsonb, keys reordered, for clusters written before the column became text); the
 * engine's behaviour depends neither on the reload nor on key order (tests/engine-storage-order), so one continuous
 * replay reaches the same cluster.
 */
export function replayLog(fresh: Cluster, entries: CommandEntry[]): Cluster {
  runCommands(fresh, entries);
  return fresh;
}

/**
 * Replay the attempt's command log on a fresh cluster of its lab with the cluster's seed and grade that. The log
 * is the cluster run the attempt graded: from the last reset up to the version graded at submit (for an open
 * attempt: up to now). `record` makes the regrade the attempt's grade (after a lab was fixed).
 */
export async function regradeAttempt(ctx: Context, attempt: LabAttempt, opts: { record: boolean }): Promise<Regrade> {
  const { cluster, log, engine: fresh } = await replayAttemptLog(ctx, attempt);
  const slug = attempt.labSlug;
  const upTo = log.upTo;
  const regrade = ctx.labs.grade!(slug, fresh, log.commands);
  const recorded = storedGrade(attempt);
  let current = attempt;
  if (opts.record) {
    const at = new Date();
    await ctx.sql.transaction((tx) => recordRegrades(tx, [{ attemptId: attempt.id, grade: regrade, clusterVersion: upTo }], at), { maxWait: 10_000, timeout: 15_000 });
    current = await ctx.prisma.labAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    ctx.log.info("attempt regraded and recorded", { attemptId: attempt.id, score: regrade.score, previous: recorded?.score ?? null });
  }
  return {
    attempt: current,
    labSlug: slug,
    recorded,
    regrade,
    matches: recorded !== null && sameGrade(recorded, regrade),
    seed: cluster.seed,
    clusterVersion: upTo,
    replayed: log.replay.length,
    skipped: log.skipped,
    regradedAt: current.regradedAt,
  };
}

// ---- instructor views ----

export interface StudentCheckpoint {
  checkpointId: string;
  /** The earliest first pass over all the student's attempts. */
  firstPassedAt: Date | null;
  /** Passed in the latest submitted attempt. */
  passedInLatest: boolean;
}

export interface StudentSummary {
  userId: string;
  name: string | null;
  /** Submitted attempts. */
  attempts: number;
  bestScore: number | null;
  latestScore: number | null;
  latestSubmittedAt: Date | null;
  /** An attempt is open (checked or hinted, not submitted). */
  inProgress: boolean;
  /** Hints revealed, over all attempts. */
  hintsUsed: number;
  checkpoints: StudentCheckpoint[];
}

export interface CheckpointStats {
  id: string;
  title: string;
  points: number;
  /** Students with any attempt, and those who passed this checkpoint at some point (progress check or submit). */
  students: number;
  passed: number;
  passRate: number;
}

/** Students of a course for a lab: enrolled as students, or with an attempt at it. */
export function studentsWhere(courseId: string, labSlug: string): Prisma.UserWhereInput {
  return { OR: [{ enrollments: { some: { courseId, role: "student" } } }, { attempts: { some: { courseId, labSlug } } }] };
}

export async function studentSummaries(ctx: Context, courseId: string, labSlug: string, users: { id: string; name: string | null }[]): Promise<StudentSummary[]> {
  const lab = ctx.labs.get(labSlug);
  const ids = users.map((u) => u.id);
  const attempts = ids.length
    ? await ctx.prisma.labAttempt.findMany({
        where: { courseId, labSlug, userId: { in: ids } },
        orderBy: [{ submittedAt: "asc" }, { startedAt: "asc" }],
        include: { checkpoints: { select: { checkpointId: true, firstPassedAt: true, passed: true } } },
      })
    : [];
  return users.map((u) => {
    const mine = attempts.filter((a) => a.userId === u.id);
    const submitted = mine.filter((a) => a.submittedAt !== null);
    const latest = submitted.at(-1);
    const scores = submitted.map((a) => a.score ?? 0);
    const cpIds = lab ? lab.checkpoints.map((c) => c.id) : [...new Set(mine.flatMap((a) => a.checkpoints.map((c) => c.checkpointId)))];
    return {
      userId: u.id,
      name: u.name,
      attempts: submitted.length,
      bestScore: scores.length ? Math.max(...scores) : null,
      latestScore: latest ? (latest.score ?? 0) : null,
      latestSubmittedAt: latest?.submittedAt ?? null,
      inProgress: mine.some((a) => a.submittedAt === null),
      hintsUsed: mine.reduce((n, a) => n + a.hintsUsed, 0),
      checkpoints: cpIds.map((id) => {
        const times = mine.flatMap((a) => a.checkpoints.filter((c) => c.checkpointId === id && c.firstPassedAt).map((c) => c.firstPassedAt!.getTime()));
        return {
          checkpointId: id,
          firstPassedAt: times.length ? new Date(Math.min(...times)) : null,
          passedInLatest: !!latest?.checkpoints.some((c) => c.checkpointId === id && c.passed),
        };
      }),
    };
  });
}

export async function checkpointStats(ctx: Context, courseId: string, labSlug: string): Promise<CheckpointStats[]> {
  const lab = ctx.labs.get(labSlug);
  if (!lab) return [];
  const students = await ctx.prisma.labAttempt.findMany({ where: { courseId, labSlug }, distinct: ["userId"], select: { userId: true } });
  const passes = await ctx.prisma.checkpointResult.findMany({
    where: { firstPassedAt: { not: null }, attempt: { courseId, labSlug } },
    select: { checkpointId: true, attempt: { select: { userId: true } } },
  });
  return lab.checkpoints.map((c) => {
    const passed = new Set(passes.filter((p) => p.checkpointId === c.id).map((p) => p.attempt.userId)).size;
    const n = students.length;
    return { id: c.id, title: c.title, points: c.points ?? 0, students: n, passed, passRate: n ? passed / n : 0 };
  });
}

// ---- exports ----

export type ExportFormat = "CSV" | "GRADESCOPE" | "JUNIT" | "LTI";
export type GradePolicy = "LATEST" | "BEST";

export interface GradeExport {
  format: ExportFormat;
  contentType: string;
  filename: string;
  text: string;
  /** LTI: the score objects; other formats: null. */
  lti: LtiScore[] | null;
  /** Students in the export (those with a submitted attempt). */
  rows: number;
}

interface Picked {
  userId: string;
  name: string | null;
  attempt: LabAttempt;
  grade: LabGrade;
  attempts: number;
}

async function pickAttempts(ctx: Context, courseId: string, labSlug: string, policy: GradePolicy): Promise<Picked[]> {
  const all = await ctx.prisma.labAttempt.findMany({
    where: { courseId, labSlug, submittedAt: { not: null } },
    orderBy: [{ userId: "asc" }, { submittedAt: "asc" }],
    include: { user: { select: { name: true } } },
  });
  const byUser = new Map<string, typeof all>();
  for (const a of all) byUser.set(a.userId, [...(byUser.get(a.userId) ?? []), a]);
  const out: Picked[] = [];
  for (const [userId, list] of byUser) {
    // LATEST: the last submitted; BEST: the highest score, the later one on a tie.
    const chosen = policy === "BEST" ? list.reduce((b, a) => ((a.score ?? 0) >= (b.score ?? 0) ? a : b)) : list[list.length - 1];
    const grade = storedGrade(chosen) ?? { score: chosen.score ?? 0, maxScore: chosen.maxScore ?? 0, checkpoints: [] };
    out.push({ userId, name: chosen.user.name, attempt: chosen, grade, attempts: list.length });
  }
  return out;
}

export async function gradeExport(ctx: Context, courseId: string, labSlug: string, format: ExportFormat, policy: GradePolicy): Promise<GradeExport> {
  const picked = await pickAttempts(ctx, courseId, labSlug, policy);
  const base = `${courseId}-${labSlug}`.replace(/[^A-Za-z0-9._-]/g, "_");
  switch (format) {
    case "CSV": {
      const rows: GradebookRow[] = picked.map((p) => ({
        userId: p.userId,
        ...(p.name ? { name: p.name } : {}),
        result: asGradeResult(labSlug, p.grade),
        gradedAt: p.attempt.submittedAt!.toISOString(),
        attempts: p.attempts,
      }));
      // With no student yet the header still names the lab's checkpoints.
      const text = rows.length ? gradebookCsv(rows) : gradebookCsv([]).replace(/\r\n$/, (ctx.labs.get(labSlug)?.checkpoints ?? []).map((c) => `,${c.id}`).join("") + "\r\n");
      return { format, contentType: "text/csv; charset=utf-8", filename: `${base}.csv`, text, lti: null, rows: rows.length };
    }
    case "GRADESCOPE": {
      const docs = picked.map((p) => {
        const r = gradescopeResults(asGradeResult(labSlug, p.grade));
        return { ...r, extra_data: { ...r.extra_data, user_id: p.userId, attempt_id: p.attempt.id, submitted_at: p.attempt.submittedAt!.toISOString() } };
      });
      return { format, contentType: "application/json", filename: `${base}-results.json`, text: JSON.stringify(docs, null, 2) + "\n", lti: null, rows: docs.length };
    }
    case "JUNIT": {
      // One testsuite per student: named <lab>.<student> (the suite name is the result's lab).
      const text = junitXml(
        picked.map((p) => ({ ...asGradeResult(labSlug, p.grade), lab: `${labSlug}.${p.userId}` })),
        { name: `${courseId}/${labSlug}` },
      );
      return { format, contentType: "application/xml", filename: `${base}-junit.xml`, text, lti: null, rows: picked.length };
    }
    case "LTI": {
      const scores = picked.map((p) =>
        ltiScore(asGradeResult(labSlug, p.grade), { userId: p.userId, timestamp: p.attempt.submittedAt!.toISOString(), activityProgress: "Submitted", gradingProgress: "FullyGraded" }),
      );
      return { format, contentType: "application/vnd.ims.lis.v1.score+json", filename: `${base}-lti-scores.json`, text: JSON.stringify(scores, null, 2) + "\n", lti: scores, rows: scores.length };
    }
  }
}

/** A regrade as pipeline documents: Gradescope results.json, JUnit XML, an LTI AGS score. */
export function regradeDocuments(r: Regrade): { gradescope: ReturnType<typeof gradescopeResults>; junit: string; lti: LtiScore } {
  const result = asGradeResult(r.labSlug, r.regrade);
  const at = (r.attempt.submittedAt ?? r.attempt.checkedAt ?? r.attempt.startedAt).toISOString();
  return {
    gradescope: gradescopeResults(result),
    junit: junitXml({ ...result, lab: `${r.labSlug}.${r.attempt.userId}` }, { timestamp: at.replace(/\.\d{3}Z$/, "") }),
    lti: ltiScore(result, {
      userId: r.attempt.userId,
      timestamp: at,
      activityProgress: r.attempt.submittedAt ? "Submitted" : "InProgress",
      gradingProgress: r.attempt.submittedAt ? "FullyGraded" : "Pending",
    }),
  };
}

/** A regrade to record: the attempt, its new grade and the cluster version graded. */
export interface RegradeToRecord {
  attemptId: string;
  grade: LabGrade;
  clusterVersion: number;
}

/**
 * Regrades become the attempts' grades (regradeAttempt with record, and regradeLab's pages): the full grade merged
 * into `results` (with regradedAt and the version graded), score and maxScore for submitted attempts, and one
 * CheckpointResult per checkpoint (created with its first pass now when it passes; updated otherwise, keeping
 * first-pass times). Two statements whatever the number of attempts; run it inside a transaction.
 */
export async function recordRegrades(tx: SqlClient, items: RegradeToRecord[], at: Date): Promise<void> {
  await tx.execute(
    `UPDATE "LabAttempt" a SET "regradedAt" = $5::timestamptz,
            score = CASE WHEN a."submittedAt" IS NULL THEN a.score ELSE v.score END,
            "maxScore" = CASE WHEN a."submittedAt" IS NULL THEN a."maxScore" ELSE v.max END,
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

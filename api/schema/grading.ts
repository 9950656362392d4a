// Lab grading through the API. Students: `cluster.grade` (live, read-only), `checkProgress` (records progress and
// first-pass times in the cluster's open attempt), `revealHint`, `submitLab` (closes the attempt with its score).
// Instructors and graders of the course (the course in their token): `labReport` (per student and per checkpoint,
// paginated), `regradeAttempt` (replay of the attempt's command log on a fresh lab cluster, same seed), `regradeLab`
// (every submitted attempt of a lab, in bulk) and `gradeExport` (CSV gradebook, Gradescope results.json, JUnit XML,
// LTI 1.3 AGS scores). Persistence lives in api/grading.ts and api/grading-batch.ts.
import { resolveCursorConnection } from "@pothos/plugin-relay";
import { builder } from "../builder.ts";
import { findReadableCluster, isUuid, requirePrincipal, ensureUser, type ClusterRow } from "../clusters.ts";
import type { Context } from "../context.ts";
import type { LabCheckpointGrade, LabGrade } from "../labs.ts";
import {
  checkpointStats,
  gradeCluster,
  gradeExport,
  ownLabCluster,
  recordGrade,
  regradeAttempt,
  regradeDocuments,
  revealHint,
  staffAttempt,
  studentSummaries,
  studentsWhere,
  type CheckpointStats,
  type ExportFormat,
  type GradeExport,
  type GradePolicy,
  type HintEntry,
  type Recorded,
  type Regrade,
  type RevealedHint,
  type StoredResults,
  type StudentCheckpoint,
  type StudentSummary,
} from "../grading.ts";
import { regradeLab, REGRADE_PAGE_MAX, type LabRegrade, type LabRegradeFailure, type LabRegradeItem } from "../grading-batch.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { MUTATION_ERRORS } from "./errors.ts";
import { ClusterRef } from "./cluster.ts";

const CheckpointGradeRef = builder.objectRef<LabCheckpointGrade>("CheckpointGrade").implement({
  fields: (t) => ({
    id: t.exposeString("id"),
    title: t.exposeString("title"),
    passed: t.exposeBoolean("passed"),
    points: t.exposeFloat("points"),
    maxPoints: t.exposeFloat("maxPoints"),
    explanation: t.exposeString("explanation"),
  }),
});

const LabGradeRef = builder.objectRef<LabGrade>("LabGrade").implement({
  fields: (t) => ({
    score: t.exposeFloat("score"),
    maxScore: t.exposeFloat("maxScore"),
    checkpoints: t.field({ type: [CheckpointGradeRef], resolve: (g) => g.checkpoints }),
  }),
});

builder.objectField(ClusterRef, "grade", (t) =>
  t.field({
    type: LabGradeRef,
    nullable: true,
    description: "How the cluster does against its lab's checkpoints right now (null when it has no lab). Changes nothing, records nothing.",
    resolve: (row, _a, ctx) => gradeCluster(ctx, row),
  }),
);

builder.objectField(ClusterRef, "openAttempt", (t) =>
  t.prismaField({
    type: "LabAttempt",
    nullable: true,
    description: "The lab attempt in progress on this cluster (opened by checkProgress or revealHint, closed by submitLab).",
    resolve: (query, row, _a, ctx) => ctx.prisma.labAttempt.findUnique({ ...query, where: { openClusterId: row.id } }),
  }),
);

const HintUseRef = builder.objectRef<HintEntry>("HintUse").implement({
  fields: (t) => ({
    checkpointId: t.exposeString("checkpointId"),
    at: t.field({ type: "DateTime", resolve: (h) => h.at }),
  }),
});

builder.prismaObjectFields("LabAttempt", (t) => ({
  open: t.boolean({ description: "Not submitted yet.", resolve: (a) => a.submittedAt === null }),
  checkedAt: t.expose("checkedAt", { type: "DateTime", nullable: true, description: "The last progress check (or submit)." }),
  checks: t.exposeInt("checks", { description: "Progress checks and the submit, counted." }),
  progressScore: t.float({
    nullable: true,
    description: "Points of every checkpoint that has passed at some check of this attempt (first passes are kept).",
    resolve: (a) => (a.results as unknown as Partial<StoredResults> | null)?.progressScore ?? null,
  }),
  hints: t.field({
    type: [HintUseRef],
    description: "Hints revealed in this attempt, in order.",
    resolve: (a) => (Array.isArray(a.hints) ? (a.hints as unknown as HintEntry[]) : []),
  }),
  clusterVersion: t.exposeInt("clusterVersion", { nullable: true, description: "The cluster version graded at submit: where the attempt's command log ends." }),
  regradedAt: t.expose("regradedAt", { type: "DateTime", nullable: true }),
}));

builder.prismaObjectField("CheckpointResult", "firstPassedAt", (t) =>
  t.expose("firstPassedAt", { type: "DateTime", nullable: true, description: "The first time this checkpoint passed in the attempt; kept if it fails later." }),
);

// ---- checkProgress / submitLab ----

interface RecordedPayload extends Recorded {
  row: ClusterRow;
}

function recordedFields(name: string, description: string) {
  return builder.objectRef<RecordedPayload>(name).implement({
    description,
    fields: (t) => ({
      attempt: t.prismaField({
        type: "LabAttempt",
        // The row the grade's write returned (every column, as written): read again only when the selection asks for
        // a relation (its checkpoints), which the plugin loads with that read. A class submits once per solution.
        resolve: (query, p, _a, ctx) =>
          Object.keys(query).length === 0 ? p.attempt : ctx.prisma.labAttempt.findUniqueOrThrow({ ...query, where: { id: p.attempt.id } }),
      }),
      grade: t.field({ type: LabGradeRef, description: "The checkpoints as they are now.", resolve: (p) => p.grade }),
      checkedAt: t.field({ type: "DateTime", resolve: (p) => p.at }),
      newlyPassed: t.stringList({ description: "Checkpoints that passed for the first time in this attempt.", resolve: (p) => p.newlyPassed }),
      progressScore: t.float({ description: "Points of every checkpoint passed at some check of this attempt.", resolve: (p) => p.progress.score }),
      cluster: t.field({ type: ClusterRef, resolve: (p) => p.row }),
    }),
  });
}

const CheckProgressPayload = recordedFields("CheckProgressPayload", "A progress check, recorded in the cluster's open attempt.");
const SubmitLabPayload = recordedFields("SubmitLabPayload", "The submitted attempt: its score is the sum of the points of the checkpoints passing at submit.");

const ClusterIdOnly = (name: string) => builder.inputType(name, { fields: (f) => ({ clusterId: f.id({ required: true }) }) });

async function gradeAndRecord(ctx: Context, clusterId: string, submit: boolean): Promise<RecordedPayload> {
  await ensureUser(ctx);
  const row = await ownLabCluster(ctx, await findReadableCluster(ctx, clusterId), clusterId);
  const grade = (await gradeCluster(ctx, row))!;
  const r = await recordGrade(ctx, row, grade, { submit });
  if (submit) ctx.log.info("lab submitted", { clusterId: row.id, labSlug: row.labSlug, attemptId: r.attempt.id, score: grade.score, maxScore: grade.maxScore });
  return { ...r, row };
}

builder.mutationField("checkProgress", (t) =>
  t.field({
    type: CheckProgressPayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { loggedIn: true },
    description: "Grade your lab cluster now (the cluster is not changed) and record the result in its open attempt: each checkpoint's state and the first time it passed.",
    args: { input: t.arg({ type: ClusterIdOnly("CheckProgressInput"), required: true }) },
    resolve: (_r, { input }, ctx) => gradeAndRecord(ctx, String(input.clusterId), false),
  }),
);

builder.mutationField("submitLab", (t) =>
  t.field({
    type: SubmitLabPayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { loggedIn: true },
    description: "Grade your lab cluster and close its open attempt with the score (first-pass times from earlier progress checks are kept). The next check opens a new attempt.",
    args: { input: t.arg({ type: ClusterIdOnly("SubmitLabInput"), required: true }) },
    resolve: (_r, { input }, ctx) => gradeAndRecord(ctx, String(input.clusterId), true),
  }),
);

// ---- revealHint ----

const RevealHintPayload = builder.objectRef<RevealedHint>("RevealHintPayload").implement({
  fields: (t) => ({
    checkpointId: t.exposeString("checkpointId"),
    hint: t.string({ nullable: true, description: "Null when the checkpoint has no hint.", resolve: (h) => h.hint }),
    alreadyRevealed: t.boolean({ description: "This hint was revealed before in this attempt (not counted again).", resolve: (h) => h.alreadyRevealed }),
    hintsUsed: t.int({ description: "Distinct hints revealed in this attempt.", resolve: (h) => h.attempt.hintsUsed }),
    attempt: t.prismaField({
      type: "LabAttempt",
      resolve: (query, h, _a, ctx) => ctx.prisma.labAttempt.findUniqueOrThrow({ ...query, where: { id: h.attempt.id } }),
    }),
  }),
});

builder.mutationField("revealHint", (t) =>
  t.field({
    type: RevealHintPayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { loggedIn: true },
    description: "The hint of one checkpoint of your lab cluster's lab, recorded in its open attempt (instructors see hints used).",
    args: {
      input: t.arg({
        type: builder.inputType("RevealHintInput", { fields: (f) => ({ clusterId: f.id({ required: true }), checkpointId: f.string({ required: true }) }) }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      await ensureUser(ctx);
      const id = String(input.clusterId);
      const row = await ownLabCluster(ctx, await findReadableCluster(ctx, id), id);
      return revealHint(ctx, row, input.checkpointId);
    },
  }),
);

// ---- regradeAttempt (instructors, graders) ----

const RegradePayload = builder.objectRef<Regrade>("RegradeAttemptPayload").implement({
  description: "The attempt's command log replayed on a fresh cluster of its lab with the same seed, graded, next to the recorded grade.",
  fields: (t) => ({
    attempt: t.prismaField({
      type: "LabAttempt",
      resolve: (query, r, _a, ctx) => ctx.prisma.labAttempt.findUniqueOrThrow({ ...query, where: { id: r.attempt.id } }),
    }),
    recorded: t.field({ type: LabGradeRef, nullable: true, description: "The grade recorded at submit (or at the last progress check of an open attempt).", resolve: (r) => r.recorded }),
    regrade: t.field({ type: LabGradeRef, resolve: (r) => r.regrade }),
    matches: t.boolean({ description: "Same score, same checkpoints passing.", resolve: (r) => r.matches }),
    seed: t.int({ resolve: (r) => r.seed }),
    clusterVersion: t.int({ description: "The log was replayed up to this cluster version (from the last reset before it).", resolve: (r) => r.clusterVersion }),
    replayedCommands: t.int({ description: "Logged mutations replayed: terminal lines and every other mutation through its recorded engine operation.", resolve: (r) => r.replayed }),
    gradescope: t.field({ type: "JSON", description: "The regrade as a Gradescope results.json document.", resolve: (r) => regradeDocuments(r).gradescope }),
    junit: t.string({ description: "The regrade as JUnit XML (one testsuite, one testcase per checkpoint).", resolve: (r) => regradeDocuments(r).junit }),
    lti: t.field({ type: "JSON", description: "The regrade as an LTI 1.3 AGS Score object.", resolve: (r) => regradeDocuments(r).lti }),
    skippedOperations: t.stringList({
      description: "Log entries (`<seq> <operation>`) that carry no replayable operation (only entries logged before replay descriptors were recorded); when any, the regrade may differ.",
      resolve: (r) => r.skipped,
    }),
  }),
});

builder.mutationField("regradeAttempt", (t) =>
  t.field({
    type: RegradePayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { staff: true },
    description: "Instructors and graders of the attempt's course: replay and regrade an attempt. `record: true` makes the regrade its grade (after fixing a lab).",
    args: {
      input: t.arg({
        type: builder.inputType("RegradeAttemptInput", {
          fields: (f) => ({ attemptId: f.id({ required: true }), record: f.boolean({ required: false, defaultValue: false }) }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => regradeAttempt(ctx, await staffAttempt(ctx, String(input.attemptId)), { record: input.record ?? false }),
  }),
);

// ---- regradeLab (instructors, graders): every submitted attempt of a lab ----

const RegradeMethodEnum = builder.enumType("RegradeMethod", {
  values: {
    STATE: { description: "The cluster had not changed since the submit: its stored state is the cluster graded." },
    REPLAY: { description: "The cluster changed after the submit: the attempt's run was replayed from its command log (as regradeAttempt does)." },
  },
});

const LabRegradeItemRef = builder.objectRef<LabRegradeItem>("LabRegradeItem").implement({
  fields: (t) => ({
    attemptId: t.id({ resolve: (i) => i.attemptId }),
    userId: t.exposeString("userId"),
    submittedAt: t.field({ type: "DateTime", resolve: (i) => i.submittedAt }),
    previousScore: t.float({ nullable: true, description: "The score recorded before this regrade.", resolve: (i) => i.previousScore }),
    score: t.float({ resolve: (i) => i.grade.score }),
    maxScore: t.float({ resolve: (i) => i.grade.maxScore }),
    grade: t.field({ type: LabGradeRef, resolve: (i) => i.grade }),
    matches: t.boolean({ description: "Same score and the same checkpoints passing as recorded.", resolve: (i) => i.matches }),
    method: t.field({ type: RegradeMethodEnum, resolve: (i) => i.method }),
    clusterVersion: t.int({ description: "The cluster version graded (the one graded at submit).", resolve: (i) => i.clusterVersion }),
  }),
});

const LabRegradeFailureRef = builder.objectRef<LabRegradeFailure>("LabRegradeFailure").implement({
  fields: (t) => ({
    attemptId: t.id({ resolve: (f) => f.attemptId }),
    userId: t.exposeString("userId"),
    message: t.exposeString("message"),
  }),
});

const RegradeLabPayload = builder.objectRef<LabRegrade>("RegradeLabPayload").implement({
  description: "One page of a lab's submitted attempts in your course, regraded with the lab's current checks.",
  fields: (t) => ({
    courseId: t.exposeString("courseId"),
    labSlug: t.exposeString("labSlug"),
    recorded: t.exposeBoolean("recorded", { description: "The regrades are now the attempts' grades (`record: true` and at least one attempt regraded)." }),
    regraded: t.int({ description: "Attempts regraded in this page.", resolve: (r) => r.items.length }),
    changed: t.int({ description: "Of those, attempts whose regrade differs from their recorded grade.", resolve: (r) => r.items.filter((i) => !i.matches).length }),
    attempts: t.field({ type: [LabRegradeItemRef], resolve: (r) => r.items }),
    failures: t.field({ type: [LabRegradeFailureRef], description: "Attempts of this page that could not be regraded, and why (nothing is recorded for them).", resolve: (r) => r.failures }),
    nextCursor: t.id({ nullable: true, description: "Pass as `after` for the next page; null after the last page.", resolve: (r) => r.nextCursor }),
    regradedAt: t.field({ type: "DateTime", nullable: true, resolve: (r) => r.regradedAt }),
  }),
});

builder.mutationField("regradeLab", (t) =>
  t.field({
    type: RegradeLabPayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { staff: true },
    description:
      "Instructors and graders: regrade the submitted attempts of a lab in your course (the course in your token), a page at a time in attempt order. `record: true` makes the regrades the attempts' grades (all of the page in one transaction). Loop with `after: nextCursor` until it is null.",
    args: {
      input: t.arg({
        type: builder.inputType("RegradeLabInput", {
          fields: (f) => ({
            courseId: f.string({ required: true }),
            labSlug: f.string({ required: true }),
            record: f.boolean({ required: false, defaultValue: false }),
            after: f.id({ required: false, description: "The previous page's nextCursor." }),
            first: f.int({ required: false, defaultValue: 200, description: `Attempts per page (1 to ${REGRADE_PAGE_MAX}).` }),
          }),
        }),
        required: true,
      }),
    },
    resolve: async (_r, { input }, ctx) => {
      if (!staffCourse(ctx, input.courseId, input.labSlug)) throw new NotFoundError(`lab "${input.labSlug}" not found in course "${input.courseId}"`);
      const after = input.after == null ? null : String(input.after);
      if (after !== null && !isUuid(after)) throw new ValidationError("after is not a cursor this API gave out", [{ field: "after", message: "not a cursor" }]);
      return regradeLab(ctx, input.courseId, input.labSlug, { record: input.record ?? false, after, first: input.first ?? 200 });
    },
  }),
);

// ---- labReport (instructor view) ----

interface LabReport {
  courseId: string;
  labSlug: string;
}

const StudentCheckpointRef = builder.objectRef<StudentCheckpoint>("StudentCheckpoint").implement({
  fields: (t) => ({
    checkpointId: t.exposeString("checkpointId"),
    firstPassedAt: t.field({ type: "DateTime", nullable: true, description: "Earliest first pass over the student's attempts.", resolve: (c) => c.firstPassedAt }),
    passedInLatest: t.exposeBoolean("passedInLatest", { description: "Passed in the latest submitted attempt." }),
  }),
});

const StudentSummaryRef = builder.objectRef<StudentSummary>("StudentLabSummary").implement({
  fields: (t) => ({
    userId: t.exposeString("userId"),
    name: t.string({ nullable: true, resolve: (s) => s.name }),
    attempts: t.exposeInt("attempts", { description: "Submitted attempts." }),
    bestScore: t.float({ nullable: true, resolve: (s) => s.bestScore }),
    latestScore: t.float({ nullable: true, resolve: (s) => s.latestScore }),
    latestSubmittedAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.latestSubmittedAt }),
    inProgress: t.exposeBoolean("inProgress", { description: "An attempt is open (checked or hinted, not submitted)." }),
    hintsUsed: t.exposeInt("hintsUsed", { description: "Hints revealed, over all attempts." }),
    checkpoints: t.field({ type: [StudentCheckpointRef], resolve: (s) => s.checkpoints }),
  }),
});

const CheckpointStatsRef = builder.objectRef<CheckpointStats>("CheckpointStats").implement({
  fields: (t) => ({
    id: t.exposeString("id"),
    title: t.exposeString("title"),
    points: t.exposeFloat("points"),
    students: t.exposeInt("students", { description: "Students with an attempt at the lab." }),
    passed: t.exposeInt("passed", { description: "Of those, students who passed this checkpoint at some check or submit." }),
    passRate: t.exposeFloat("passRate", { description: "passed / students (0 when no student has started)." }),
  }),
});

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const unb64 = (s: string) => {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0)));
  } catch {
    return "";
  }
};

export const LabReportRef = builder.objectRef<LabReport>("LabReport").implement({
  description: "One lab in one course, for its instructors and graders.",
  fields: (t) => ({
    courseId: t.exposeString("courseId"),
    labSlug: t.exposeString("labSlug"),
    maxScore: t.float({ resolve: (r, _a, ctx) => (ctx.labs.get(r.labSlug)?.checkpoints ?? []).reduce((n, c) => n + (c.points ?? 0), 0) }),
    checkpoints: t.field({ type: [CheckpointStatsRef], description: "Per checkpoint: pass rate among the students who started.", resolve: (r, _a, ctx) => checkpointStats(ctx, r.courseId, r.labSlug) }),
    students: t.connection(
      {
        type: StudentSummaryRef,
        description: "Per student (enrolled as a student, or with an attempt), by user id.",
        resolve: async (r, args, ctx) => {
          const where = studentsWhere(r.courseId, r.labSlug);
          const conn = await resolveCursorConnection<Promise<StudentSummary[]>>({ args, toCursor: (s: StudentSummary) => b64(`u:${s.userId}`), defaultSize: 20, maxSize: 100 }, async ({ before, after, limit, inverted }) => {
            const dec = (c?: string) => (c === undefined ? undefined : unb64(c).replace(/^u:/, ""));
            const a = dec(after);
            const bf = dec(before);
            const users = await ctx.prisma.user.findMany({
              where: { AND: [where, ...(a !== undefined ? [{ id: { gt: a } }] : []), ...(bf !== undefined ? [{ id: { lt: bf } }] : [])] },
              orderBy: { id: inverted ? "desc" : "asc" },
              take: limit,
              select: { id: true, name: true },
            });
            return studentSummaries(ctx, r.courseId, r.labSlug, users);
          });
          return { ...conn, totalCount: await ctx.prisma.user.count({ where }) };
        },
      },
      {
        name: "LabReportStudentsConnection",
        fields: (c) => ({ totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }),
      },
      { name: "LabReportStudentsEdge" },
    ),
  }),
});

/** The course must be the one in the staff token and the lab must exist: otherwise null, whichever failed. */
export function staffCourse(ctx: Context, courseId: string, labSlug: string): boolean {
  const p = requirePrincipal(ctx);
  return (p.role === "instructor" || p.role === "grader") && p.course === courseId && !!ctx.labs.get(labSlug);
}

const ExportFormatEnum = builder.enumType("GradeExportFormat", {
  values: {
    CSV: { description: "Gradebook: user_id, name, email, lab, score, max_score, percent, attempts, graded_at, one column per checkpoint." },
    GRADESCOPE: { description: "A JSON array of Gradescope results.json documents, one per student (extra_data.user_id)." },
    JUNIT: { description: "JUnit XML: one testsuite per student (<lab>.<user>), one testcase per checkpoint." },
    LTI: { description: "LTI 1.3 AGS Score objects (JSON array), also in `lti`." },
  } as const,
});

const PolicyEnum = builder.enumType("GradePolicy", {
  values: { LATEST: { description: "The last submitted attempt." }, BEST: { description: "The highest-scoring submitted attempt." } } as const,
});

const GradeExportRef = builder.objectRef<GradeExport>("GradeExport").implement({
  fields: (t) => ({
    format: t.field({ type: ExportFormatEnum, resolve: (e) => e.format }),
    contentType: t.exposeString("contentType"),
    filename: t.exposeString("filename"),
    text: t.exposeString("text", { description: "The document." }),
    lti: t.field({ type: "JSON", nullable: true, description: "LTI: the score objects as JSON.", resolve: (e) => e.lti }),
    rows: t.exposeInt("rows", { description: "Students in the export (those with a submitted attempt)." }),
  }),
});

builder.queryFields((t) => ({
  labReport: t.field({
    type: LabReportRef,
    nullable: true,
    authScopes: { staff: true },
    description: "Instructors and graders: a lab in your course (the course in your token) — per student and per checkpoint. Null for another course or an unknown lab.",
    args: { courseId: t.arg.string({ required: true }), labSlug: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => (staffCourse(ctx, a.courseId, a.labSlug) ? { courseId: a.courseId, labSlug: a.labSlug } : null),
  }),
  gradeExport: t.field({
    type: GradeExportRef,
    nullable: true,
    authScopes: { staff: true },
    description: "Graders and instructors: a lab's grades in your course as a document for a pipeline. Null for another course or an unknown lab.",
    args: {
      courseId: t.arg.string({ required: true }),
      labSlug: t.arg.string({ required: true }),
      format: t.arg({ type: ExportFormatEnum, required: true }),
      policy: t.arg({ type: PolicyEnum, required: false, defaultValue: "LATEST" }),
    },
    resolve: (_r, a, ctx) =>
      staffCourse(ctx, a.courseId, a.labSlug) ? gradeExport(ctx, a.courseId, a.labSlug, a.format as ExportFormat, (a.policy ?? "LATEST") as GradePolicy) : null,
  }),
}));

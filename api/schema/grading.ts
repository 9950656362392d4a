// Grading a lab cluster: `cluster.grade` (live, read-only) and `submitLab` (records an attempt with its checkpoint
// results, for `attempts` and instructors' `grades`).
import { builder } from "../builder.ts";
import { engineOf, findReadableCluster, requirePrincipal, type ClusterRow } from "../clusters.ts";
import type { Context } from "../context.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import type { LabCheckpointGrade, LabCommand, LabGrade } from "../labs.ts";
import type { Prisma } from "../generated/prisma/client.ts";
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

/** The terminal lines run since the cluster last started (create or reset), oldest first. */
async function commandsSinceStart(ctx: Context, clusterId: string): Promise<LabCommand[]> {
  const lastReset = await ctx.prisma.commandLog.findFirst({ where: { clusterId, operation: "resetCluster" }, orderBy: { seq: "desc" }, select: { seq: true } });
  const rows = await ctx.prisma.commandLog.findMany({
    where: { clusterId, operation: "exec", seq: { gt: lastReset?.seq ?? 0 } },
    orderBy: { seq: "asc" },
    select: { input: true, host: true, stdin: true },
  });
  return rows.map((r) => ({ line: r.input, ...(r.host ? { host: r.host } : {}), ...(r.stdin != null ? { stdin: r.stdin } : {}) }));
}

async function gradeRow(ctx: Context, row: ClusterRow): Promise<LabGrade | null> {
  if (!row.labSlug || !ctx.labs.grade || !ctx.labs.get(row.labSlug)) return null;
  return ctx.labs.grade(row.labSlug, engineOf(ctx, row), await commandsSinceStart(ctx, row.id));
}

builder.objectField(ClusterRef, "grade", (t) =>
  t.field({
    type: LabGradeRef,
    nullable: true,
    description: "How the cluster does against its lab's checkpoints right now (null when it has no lab). Changes nothing.",
    resolve: (row, _a, ctx) => gradeRow(ctx, row),
  }),
);

const SubmitLabPayload = builder.objectRef<{ attemptId: string; grade: LabGrade; row: ClusterRow }>("SubmitLabPayload").implement({
  fields: (t) => ({
    attempt: t.prismaField({
      type: "LabAttempt",
      resolve: (query, p, _a, ctx) => ctx.prisma.labAttempt.findUniqueOrThrow({ ...query, where: { id: p.attemptId } }),
    }),
    grade: t.field({ type: LabGradeRef, resolve: (p) => p.grade }),
    cluster: t.field({ type: ClusterRef, resolve: (p) => p.row }),
  }),
});

builder.mutationField("submitLab", (t) =>
  t.field({
    type: SubmitLabPayload,
    errors: { types: MUTATION_ERRORS },
    authScopes: { loggedIn: true },
    description: "Grade your lab cluster and record the attempt (score, checkpoint results, the grader's explanations).",
    args: { input: t.arg({ type: builder.inputType("SubmitLabInput", { fields: (f) => ({ clusterId: f.id({ required: true }) }) }), required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const p = requirePrincipal(ctx);
      const id = String(input.clusterId);
      const row = await findReadableCluster(ctx, id);
      if (!row || row.ownerId !== p.sub) throw new NotFoundError(`cluster "${id}" not found`);
      if (!row.labSlug) throw new ValidationError("this cluster was not created from a lab", [{ field: "clusterId", message: "no lab" }]);
      const grade = await gradeRow(ctx, row);
      if (!grade) throw new ValidationError(`lab "${row.labSlug}" cannot be graded here`, [{ field: "clusterId", message: "no grader" }]);
      const attempt = await ctx.prisma.labAttempt.create({
        data: {
          userId: p.sub,
          courseId: row.courseId,
          clusterId: row.id,
          labSlug: row.labSlug,
          submittedAt: new Date(),
          score: grade.score,
          maxScore: grade.maxScore,
          results: grade as unknown as Prisma.InputJsonValue,
          checkpoints: {
            create: grade.checkpoints.map((c) => ({ checkpointId: c.id, passed: c.passed, score: c.points, maxScore: c.maxPoints, message: c.explanation })),
          },
        },
        select: { id: true },
      });
      ctx.log.info("lab submitted", { clusterId: row.id, labSlug: row.labSlug, score: grade.score, maxScore: grade.maxScore });
      return { attemptId: attempt.id, grade, row };
    },
  }),
);

// Labs (a thin view over the LabCatalog interface in api/labs.ts), attempts and instructor grades.
import { builder } from "../builder.ts";
import { requirePrincipal } from "../clusters.ts";
import type { LabCheckpointInfo, LabInfo } from "../labs.ts";

export const LabCheckpointRef = builder.objectRef<LabCheckpointInfo>("LabCheckpoint").implement({
  fields: (t) => ({
    id: t.exposeString("id"),
    title: t.exposeString("title"),
    points: t.float({ nullable: true, resolve: (c) => c.points ?? null }),
  }),
});

export const LabRef = builder.objectRef<LabInfo>("Lab").implement({
  fields: (t) => ({
    slug: t.exposeString("slug"),
    title: t.exposeString("title"),
    summary: t.string({ nullable: true, resolve: (l) => l.summary ?? null }),
    instructions: t.string({ nullable: true, resolve: (l) => l.instructions ?? null }),
    checkpoints: t.field({ type: [LabCheckpointRef], resolve: (l) => l.checkpoints }),
  }),
});

builder.prismaObject("CheckpointResult", {
  fields: (t) => ({
    checkpointId: t.exposeString("checkpointId"),
    passed: t.exposeBoolean("passed"),
    score: t.exposeFloat("score"),
    maxScore: t.exposeFloat("maxScore"),
    message: t.exposeString("message", { nullable: true }),
    detail: t.expose("detail", { type: "JSON", nullable: true }),
    checkedAt: t.expose("checkedAt", { type: "DateTime" }),
  }),
});

builder.prismaObject("LabAttempt", {
  fields: (t) => ({
    id: t.exposeID("id"),
    user: t.exposeString("userId"),
    courseId: t.exposeString("courseId", { nullable: true }),
    clusterId: t.exposeString("clusterId", { nullable: true }),
    labSlug: t.exposeString("labSlug"),
    startedAt: t.expose("startedAt", { type: "DateTime" }),
    submittedAt: t.expose("submittedAt", { type: "DateTime", nullable: true }),
    score: t.exposeFloat("score", { nullable: true }),
    maxScore: t.exposeFloat("maxScore", { nullable: true }),
    hintsUsed: t.exposeInt("hintsUsed"),
    results: t.expose("results", { type: "JSON", nullable: true }),
    checkpoints: t.relation("checkpoints", { query: { orderBy: { checkpointId: "asc" } } }),
  }),
});

builder.queryFields((t) => ({
  labs: t.field({
    type: [LabRef],
    authScopes: { loggedIn: true },
    resolve: (_r, _a, ctx) => ctx.labs.list(),
  }),
  lab: t.field({
    type: LabRef,
    nullable: true,
    authScopes: { loggedIn: true },
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => ctx.labs.get(a.slug) ?? null,
  }),
  attempts: t.prismaField({
    type: ["LabAttempt"],
    authScopes: { loggedIn: true },
    description: "Your lab attempts, newest first.",
    args: { labSlug: t.arg.string({ required: false }) },
    resolve: (query, _r, a, ctx) =>
      ctx.prisma.labAttempt.findMany({
        ...query,
        where: { userId: requirePrincipal(ctx).sub, ...(a.labSlug ? { labSlug: a.labSlug } : {}) },
        orderBy: { startedAt: "desc" },
        take: 200,
      }),
  }),
  grades: t.prismaField({
    type: ["LabAttempt"],
    authScopes: { staff: true },
    description: "Instructors and graders: the submitted attempts of a lab in your course (the course in your token).",
    args: { courseId: t.arg.string({ required: true }), labSlug: t.arg.string({ required: true }) },
    resolve: (query, _r, a, ctx) => {
      if (requirePrincipal(ctx).course !== a.courseId) return [];
      return ctx.prisma.labAttempt.findMany({
        ...query,
        where: { courseId: a.courseId, labSlug: a.labSlug, submittedAt: { not: null } },
        orderBy: [{ userId: "asc" }, { submittedAt: "desc" }],
        take: 5000,
      });
    },
  }),
}));

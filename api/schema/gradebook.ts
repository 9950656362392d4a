// The instructor's grade book (web/teach): the course's labs with their figures, one attempt by id with its
// transcript. The per-student table is labReport's (grading.ts); the picture of an attempt is picture.ts'.
import { builder } from "../builder.ts";
import { requirePrincipal } from "../clusters.ts";
import { labFigures, readableAttempt, type LabFigures } from "../gradebook.ts";
import { attemptTranscript } from "../picture.ts";
import { LabReportRef } from "./grading.ts";
import { CommandLogEntryRef } from "./cluster.ts";
import type { Context } from "../context.ts";

const figuresOf = new WeakMap<object, Promise<LabFigures>>();
function figures(ctx: Context, r: { courseId: string; labSlug: string }): Promise<LabFigures> {
  let f = figuresOf.get(r);
  if (!f) figuresOf.set(r, (f = labFigures(ctx, r.courseId, r.labSlug)));
  return f;
}

builder.objectFields(LabReportRef, (t) => ({
  started: t.int({ description: "Students with an attempt (open or submitted).", resolve: async (r, _a, ctx) => (await figures(ctx, r)).started }),
  submitted: t.int({ description: "Students with a submitted attempt.", resolve: async (r, _a, ctx) => (await figures(ctx, r)).submitted }),
  scores: t.field({
    type: ["Float"],
    description: "Each submitting student's latest submitted score, ascending (the score distribution).",
    resolve: async (r, _a, ctx) => (await figures(ctx, r)).scores,
  }),
  medianScore: t.float({ nullable: true, description: "The median of `scores`; null before the first submit.", resolve: async (r, _a, ctx) => (await figures(ctx, r)).medianScore }),
  medianSecondsToSubmit: t.float({
    nullable: true,
    description: "Per student, from the start of the first attempt to the first submit: the median, in seconds.",
    resolve: async (r, _a, ctx) => (await figures(ctx, r)).medianSecondsToSubmit,
  }),
}));

builder.prismaObjectField("LabAttempt", "transcript", (t) =>
  t.field({
    type: [CommandLogEntryRef],
    description: "The attempt's cluster run as a terminal transcript: the command log after the last reset, up to the version graded (an open attempt: now).",
    resolve: (a, _args, ctx) => attemptTranscript(ctx, a),
  }),
);

builder.queryFields((t) => ({
  courseReport: t.field({
    type: [LabReportRef],
    authScopes: { staff: true },
    description: "Instructors and graders: every lab as a LabReport of your course (the course in your token); empty for another course.",
    args: { courseId: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => (requirePrincipal(ctx).course === a.courseId ? ctx.labs.list().map((l) => ({ courseId: a.courseId, labSlug: l.slug })) : []),
  }),
  attempt: t.prismaField({
    type: "LabAttempt",
    nullable: true,
    authScopes: { loggedIn: true },
    description: "One lab attempt: yours, or (instructors and graders) one in your course. Null otherwise.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _r, a, ctx) => readableAttempt(ctx, String(a.id), query),
  }),
}));

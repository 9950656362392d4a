// What the instructor's grade book reads beyond labReport: one lab's figures for the course page (students who
// started and submitted, the median score and the median time to a first submit, every submitting student's score
// for the distribution) and one attempt by id for whoever may see it.
import type { Context } from "./context.ts";
import { isUuid, requirePrincipal } from "./clusters.ts";
import type { LabAttempt } from "./generated/prisma/client.ts";

export interface LabFigures {
  /** Students with an attempt (open or submitted). */
  started: number;
  /** Students with a submitted attempt. */
  submitted: number;
  /** Each submitting student's latest submitted score, ascending. */
  scores: number[];
  medianScore: number | null;
  /** Per student, from the start of their first attempt to their first submit; the median, in seconds. */
  medianSecondsToSubmit: number | null;
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function labFigures(ctx: Context, courseId: string, labSlug: string): Promise<LabFigures> {
  const rows = await ctx.prisma.labAttempt.findMany({
    where: { courseId, labSlug },
    orderBy: [{ startedAt: "asc" }],
    select: { userId: true, startedAt: true, submittedAt: true, score: true },
  });
  const firstStart = new Map<string, number>();
  const firstSubmit = new Map<string, number>();
  const latest = new Map<string, { at: number; score: number }>();
  for (const r of rows) {
    if (!firstStart.has(r.userId)) firstStart.set(r.userId, r.startedAt.getTime());
    if (!r.submittedAt) continue;
    const at = r.submittedAt.getTime();
    if (!firstSubmit.has(r.userId) || at < firstSubmit.get(r.userId)!) firstSubmit.set(r.userId, at);
    const l = latest.get(r.userId);
    if (!l || at >= l.at) latest.set(r.userId, { at, score: r.score ?? 0 });
  }
  const scores = [...latest.values()].map((l) => l.score).sort((a, b) => a - b);
  const durations = [...firstSubmit].map(([u, at]) => (at - firstStart.get(u)!) / 1000);
  return { started: firstStart.size, submitted: latest.size, scores, medianScore: median(scores), medianSecondsToSubmit: median(durations) };
}

/** An attempt its student may see, or an instructor or grader of its course; null for anyone else. */
export async function readableAttempt(ctx: Context, id: string, query: object = {}): Promise<LabAttempt | null> {
  if (!isUuid(id)) return null;
  const p = requirePrincipal(ctx);
  const staff = (p.role === "instructor" || p.role === "grader") && !!p.course;
  return ctx.prisma.labAttempt.findFirst({ ...query, where: { id, OR: [{ userId: p.sub }, ...(staff ? [{ courseId: p.course }] : [])] } });
}

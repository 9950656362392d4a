// The instructor's course page: every lab of the course with how many students started and submitted, the median
// score and the median time to a first submit (courseReport).
import { createModel, signal } from "@preact/signals";
import type { ApiError, Client } from "../api/client.ts";

export interface CourseLab {
  slug: string;
  title: string;
  maxScore: number;
  started: number;
  submitted: number;
  medianScore: number | null;
  medianSecondsToSubmit: number | null;
}

export const COURSE_QUERY = `query Course($c: String!) {
  labs { slug title }
  courseReport(courseId: $c) { labSlug maxScore started submitted medianScore medianSecondsToSubmit }
}`;

/** "42 min", "1 h 05 min", "40 s"; "—" when unknown. */
export function duration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min`;
}

export const CourseModel = createModel((client: Client, courseId: string) => {
  const labs = signal<CourseLab[] | null>(null);
  const error = signal<ApiError | null>(null);
  async function load() {
    const r = await client.request<{ labs: { slug: string; title: string }[]; courseReport: (Omit<CourseLab, "slug" | "title"> & { labSlug: string })[] }>(COURSE_QUERY, { c: courseId });
    if (!r.ok) return void (error.value = r.error);
    error.value = null;
    const titles = new Map(r.data.labs.map((l) => [l.slug, l.title] as const));
    labs.value = r.data.courseReport.map(({ labSlug, ...f }) => ({ slug: labSlug, title: titles.get(labSlug) ?? labSlug, ...f }));
  }
  return { labs, error, load };
});

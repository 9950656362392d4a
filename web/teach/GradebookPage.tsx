// /teach/labs/<slug>: the pictures (score distribution, pass rate per checkpoint), export and regrade, then the
// table of students × checkpoints. Refreshed by polling, which the page says.
import { useEffect } from "preact/hooks";
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { GradebookModel, POLL_SECONDS } from "../models/gradebook.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { ScoreHistogram } from "./ScoreHistogram.tsx";
import { PassRateChart } from "./PassRateChart.tsx";
import { ExportButtons } from "./ExportButtons.tsx";
import { RegradePanel } from "./RegradePanel.tsx";
import { GradebookFilters } from "./GradebookFilters.tsx";
import { GradebookTable } from "./GradebookTable.tsx";

export function GradebookPage({ course, slug, readOnly }: { course: string; slug: string; readOnly: boolean }) {
  const { client } = useServices();
  const m = useModel(() => new GradebookModel({ client, courseId: course, slug }));
  useEffect(() => void m.load(), [m]);
  const book = m.book.value;
  if (m.missing.value)
    return (
      <section aria-labelledby="gb-title">
        <h1 id="gb-title">No such lab</h1>
        <p>
          There is no lab "{slug}" in course {course}. <a href="/teach">Back to the course</a>.
        </p>
      </section>
    );
  return (
    <section aria-labelledby="gb-title" class="gradebook">
      <p class="crumbs">
        <a href="/teach">Course {course}</a> ›
      </p>
      <h1 id="gb-title">{book?.title ?? slug}: grade book</h1>
      {m.error.value && <ErrorNote error={m.error.value} retry={m.load} />}
      {!book && !m.error.value && <p aria-live="polite">Loading the grade book…</p>}
      {book && (
        <>
          <p class="meta" data-testid="gb-status">
            {book.students.length} student{book.students.length === 1 ? "" : "s"} · refreshes every {POLL_SECONDS} s to show new submits
            {m.updatedAt.value ? ` (last ${m.updatedAt.value.toLocaleTimeString()})` : ""}
            {readOnly && <span class="badge"> Grader: read-only, except regrade</span>}
          </p>
          <div class="charts">
            <ScoreHistogram scores={book.scores} max={book.maxScore} />
            <PassRateChart checkpoints={book.checkpoints} />
          </div>
          <div class="gb-actions">
            <ExportButtons model={m} slug={slug} />
            <RegradePanel model={m} />
          </div>
          <GradebookFilters model={m} checkpoints={book.checkpoints} />
          <GradebookTable model={m} book={book} course={course} />
        </>
      )}
    </section>
  );
}

// Students × checkpoints: score, submit time, hints, and each checkpoint passed / failed (with the grader's
// explanation) / not attempted; sortable by any column, paginated.
import type { Gradebook, GradebookModel, SortKey, StudentRow } from "../models/gradebook.ts";

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" }) : "—");

function SortHeader({ model, k, children }: { model: InstanceType<typeof GradebookModel>; k: SortKey; children: preact.ComponentChildren }) {
  const q = model.query.value;
  const on = q.sort === k;
  return (
    <th scope="col" aria-sort={on ? (q.desc ? "descending" : "ascending") : "none"}>
      <button type="button" class="sort" onClick={() => model.sortBy(k)}>
        {children}
        <span aria-hidden="true">{on ? (q.desc ? " ▼" : " ▲") : " ↕"}</span>
      </button>
    </th>
  );
}

function Cells({ row }: { row: StudentRow }) {
  return (
    <>
      {row.cells.map((c) => (
        <td key={c.id} class={`cell cell-${c.state.replace(" ", "-")}`} data-checkpoint={c.id} data-state={c.state}>
          {c.state === "passed" ? "✓ passed" : c.state === "failed" ? "✗ failed" : "– not attempted"}
          {c.firstPassedAt && <span class="first-pass">first {time(c.firstPassedAt)}</span>}
          {c.state === "failed" && c.explanation && (
            <details>
              <summary>why</summary>
              <p class="explanation">{c.explanation}</p>
            </details>
          )}
        </td>
      ))}
    </>
  );
}

export function GradebookTable({ model, book, course: _course }: { model: InstanceType<typeof GradebookModel>; book: Gradebook; course: string }) {
  const v = model.view.value!;
  const q = model.query.value;
  return (
    <>
      <div class="table-scroll">
        <table class="gb-table" data-testid="gradebook">
          <caption>
            {v.total} of {book.students.length} students shown
          </caption>
          <thead>
            <tr>
              <SortHeader model={model} k="name">
                Student
              </SortHeader>
              <SortHeader model={model} k="score">
                Score / {book.maxScore}
              </SortHeader>
              <SortHeader model={model} k="submittedAt">
                Submitted
              </SortHeader>
              <SortHeader model={model} k="hintsUsed">
                Hints
              </SortHeader>
              {book.checkpoints.map((c) => (
                <SortHeader key={c.id} model={model} k={`cp:${c.id}`}>
                  {c.title}
                </SortHeader>
              ))}
            </tr>
          </thead>
          <tbody>
            {v.rows.map((r) => (
              <tr key={r.userId} data-user={r.userId}>
                <th scope="row">
                  {r.latestAttemptId ? <a href={`/teach/labs/${book.labSlug}/attempts/${r.latestAttemptId}`}>{r.name}</a> : r.name}
                  {r.inProgress && <span class="muted"> (working)</span>}
                </th>
                <td class="score">{r.score ?? "not submitted"}</td>
                <td>{time(r.submittedAt)}</td>
                <td>{r.hintsUsed}</td>
                <Cells row={r} />
              </tr>
            ))}
            {v.rows.length === 0 && (
              <tr>
                <td colSpan={4 + book.checkpoints.length}>No student matches these filters.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages of students">
        <button type="button" disabled={v.page === 0} onClick={() => model.setQuery({ page: q.page - 1 })}>
          Previous
        </button>
        <span>
          Page {v.page + 1} of {v.pages}
        </span>
        <button type="button" disabled={v.page + 1 >= v.pages} onClick={() => model.setQuery({ page: q.page + 1 })}>
          Next
        </button>
      </nav>
    </>
  );
}

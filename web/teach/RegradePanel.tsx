// Regrade the lab after fixing a check: every submitted attempt, page by page (regradeLab with record), a progress
// bar over the pages, then who gained or lost points.
import type { GradebookModel } from "../models/gradebook.ts";

export function RegradePanel({ model }: { model: InstanceType<typeof GradebookModel> }) {
  const p = model.regrade.value;
  const running = model.regrading.value;
  return (
    <fieldset class="gb-regrade">
      <legend>Regrade</legend>
      <button
        type="button"
        disabled={running}
        onClick={() => {
          if (window.confirm("Regrade every submitted attempt of this lab with its current checks, and record the new grades?")) void model.runRegrade();
        }}
      >
        {running ? "Regrading…" : "Regrade all submitted attempts"}
      </button>
      {p && (
        <div class="regrade-progress" data-testid="regrade">
          <label>
            Regraded {p.done} of {p.total} attempt{p.total === 1 ? "" : "s"} ({p.pages} page{p.pages === 1 ? "" : "s"})
            <progress max={Math.max(1, p.total)} value={p.done} />
          </label>
          {p.finished && (
            <div role="status" data-testid="regrade-summary">
              {p.changes.length === 0 ? (
                <p>Done: no score changed.</p>
              ) : (
                <>
                  <p>
                    Done: {p.changes.filter((c) => c.after > (c.before ?? 0)).length} gained points, {p.changes.filter((c) => c.after < (c.before ?? 0)).length} lost points.
                  </p>
                  <ul>
                    {p.changes.map((c, i) => (
                      <li key={i}>
                        {c.userId}: {c.before ?? "—"} → {c.after} ({c.after > (c.before ?? 0) ? "+" : ""}
                        {+(c.after - (c.before ?? 0)).toFixed(2)})
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {p.failures.length > 0 && <p class="error">Not regraded: {p.failures.join("; ")}</p>}
            </div>
          )}
        </div>
      )}
    </fieldset>
  );
}

// The table's filters: not submitted, below a score, failed a given checkpoint.
import type { CheckpointStat, GradebookModel } from "../models/gradebook.ts";

export function GradebookFilters({ model, checkpoints }: { model: InstanceType<typeof GradebookModel>; checkpoints: CheckpointStat[] }) {
  const q = model.query.value;
  return (
    <fieldset class="gb-filters">
      <legend>Show only</legend>
      <label>
        <input type="checkbox" checked={q.notSubmitted} onChange={(e) => model.setQuery({ notSubmitted: e.currentTarget.checked })} /> not submitted
      </label>
      <label>
        score below{" "}
        <input
          type="number"
          min="0"
          step="any"
          size={5}
          value={q.below ?? ""}
          onInput={(e) => {
            const v = e.currentTarget.value;
            model.setQuery({ below: v === "" || Number.isNaN(Number(v)) ? null : Number(v) });
          }}
        />
      </label>
      <label>
        failed checkpoint{" "}
        <select value={q.failed ?? ""} onChange={(e) => model.setQuery({ failed: e.currentTarget.value || null })}>
          <option value="">any</option>
          {checkpoints.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}

// Each checkpoint's pass rate as an SVG bar under its title, the percentage written out; the lowest is marked — the
// checkpoint to teach again.
import type { CheckpointStat } from "../models/gradebook.ts";

export function PassRateChart({ checkpoints }: { checkpoints: CheckpointStat[] }) {
  const lowest = checkpoints.length ? Math.min(...checkpoints.map((c) => c.passRate)) : 1;
  return (
    <figure class="chart" data-testid="pass-rates">
      <figcaption>Pass rate per checkpoint</figcaption>
      <ul class="pass-rates">
        {checkpoints.map((c) => {
          const pct = Math.round(c.passRate * 100);
          const low = c.passRate === lowest && lowest < 1;
          return (
            <li key={c.id} data-checkpoint={c.id} data-rate={pct}>
              <span class="cp-label">{c.title}</span>
              <span class="cp-bar">
                <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                  <rect x="0" y="0" width="100" height="10" class="bar-bg" />
                  <rect x="0" y="0" width={pct} height="10" class={low ? "bar bar-low" : "bar"} />
                </svg>
                <strong>
                  {pct}% ({c.passed} of {c.students}){low ? " — lowest" : ""}
                </strong>
              </span>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

// Each checkpoint's pass rate as a horizontal SVG bar with its percentage written out; the lowest is marked — the
// checkpoint to teach again.
import type { CheckpointStat } from "../models/gradebook.ts";

export function PassRateChart({ checkpoints }: { checkpoints: CheckpointStat[] }) {
  const W = 420;
  const ROW = 26;
  const lowest = checkpoints.length ? Math.min(...checkpoints.map((c) => c.passRate)) : 1;
  return (
    <figure class="chart" data-testid="pass-rates">
      <figcaption>Pass rate per checkpoint</figcaption>
      <svg viewBox={`0 0 ${W} ${checkpoints.length * ROW + 6}`} role="img" aria-label={checkpoints.map((c) => `${c.title}: ${Math.round(c.passRate * 100)}%`).join(", ")}>
        {checkpoints.map((c, i) => {
          const pct = Math.round(c.passRate * 100);
          const low = c.passRate === lowest && lowest < 1;
          return (
            <g key={c.id} data-checkpoint={c.id} data-rate={pct}>
              <text x="0" y={i * ROW + 17} class="cp-label">
                {c.title.length > 34 ? `${c.title.slice(0, 33)}…` : c.title}
              </text>
              <rect x="230" y={i * ROW + 5} width="150" height="16" class="bar-bg" />
              <rect x="230" y={i * ROW + 5} width={1.5 * pct} height="16" class={low ? "bar bar-low" : "bar"} />
              <text x={W} y={i * ROW + 17} text-anchor="end" class="bar-count">
                {pct}%{low ? " ▼" : ""}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

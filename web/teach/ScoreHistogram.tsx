// The score distribution as SVG bars (one per score range), with the counts as text.
import { histogram } from "../models/gradebook.ts";

export function ScoreHistogram({ scores, max }: { scores: number[]; max: number }) {
  const bins = histogram(scores, max);
  const W = 320;
  const H = 140;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const bw = (W - 40) / bins.length;
  const label = (b: { from: number; to: number }) => `${+b.from.toFixed(1)}–${+b.to.toFixed(1)}`;
  return (
    <figure class="chart" data-testid="score-histogram">
      <figcaption>Score distribution ({scores.length} submitted)</figcaption>
      <svg viewBox={`0 0 ${W} ${H + 30}`} role="img" aria-label={`Scores: ${bins.map((b) => `${label(b)}: ${b.count}`).join(", ")}`}>
        <line x1="30" y1={H} x2={W - 5} y2={H} class="axis" />
        {bins.map((b, i) => {
          const h = (b.count / top) * (H - 20);
          return (
            <g key={i}>
              <rect x={32 + i * bw} y={H - h} width={bw - 4} height={h} class="bar" />
              {b.count > 0 && (
                <text x={32 + i * bw + (bw - 4) / 2} y={H - h - 4} text-anchor="middle" class="bar-count">
                  {b.count}
                </text>
              )}
            </g>
          );
        })}
        <text x="30" y={H + 16} class="tick">
          0
        </text>
        <text x={W - 5} y={H + 16} text-anchor="end" class="tick">
          {max}
        </text>
        <text x={(W + 30) / 2} y={H + 28} text-anchor="middle" class="tick">
          score
        </text>
      </svg>
    </figure>
  );
}

// `/`: every lab with its summary, objectives, time and the student's state; one click opens the lab.
import { useEffect } from "preact/hooks";
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { LabsModel, type LabState } from "../models/labs.ts";
import { ErrorNote } from "./ErrorNote.tsx";

function StateBadge({ state }: { state: LabState }) {
  if (state.kind === "not-started") return <span class="badge">Not started</span>;
  if (state.kind === "submitted")
    return (
      <span class="badge badge-done">
        Submitted: {state.score} / {state.maxScore}
      </span>
    );
  return (
    <span class="badge badge-progress">
      In progress{state.score !== null ? `: ${state.score} / ${state.maxScore}` : ""}
    </span>
  );
}

export function LabList() {
  const { client } = useServices();
  const model = useModel(() => new LabsModel(client));
  useEffect(() => void model.load(), [model]);
  return (
    <section aria-labelledby="labs-title" class="lablist">
      <h1 id="labs-title">Labs</h1>
      {model.error.value && <ErrorNote error={model.error.value} retry={model.load} />}
      {model.labs.value === null && !model.error.value && <p aria-live="polite">Loading the labs…</p>}
      <ul class="cards">
        {model.rows.value.map(({ lab, state }) => (
          <li class="card" key={lab.slug}>
            <h2>
              <a href={`/labs/${lab.slug}`}>{lab.title}</a>
            </h2>
            <p class="meta">
              <StateBadge state={state} />
              {lab.estimatedMinutes !== null && <span> · about {lab.estimatedMinutes} min</span>}
            </p>
            {lab.summary && <p>{lab.summary}</p>}
            {lab.objectives.length > 0 && (
              <details>
                <summary>Objectives</summary>
                <ul>
                  {lab.objectives.map((o) => (
                    <li key={o}>{o}</li>
                  ))}
                </ul>
              </details>
            )}
            <p>
              <a class="button" href={`/labs/${lab.slug}`} aria-label={`${state.kind === "not-started" ? "Start" : "Open"} ${lab.title}`}>
                {state.kind === "not-started" ? "Start" : "Open"}
              </a>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

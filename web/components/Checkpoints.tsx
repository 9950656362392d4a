// The lab's checkpoints: title, points, state; "Check my progress"; each failed one's explanation word for word;
// hints one at a time; "Submit" behind a confirmation, then the recorded score.
import { useSignal } from "@preact/signals";
import type { CheckpointDef, CheckpointsModelType } from "../models/checkpoints.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { useFocusOnMount } from "./useFocusOnMount.ts";

function ConfirmSubmit({ onYes, onNo }: { onYes: () => void; onNo: () => void }) {
  const yes = useFocusOnMount<HTMLButtonElement>();
  return (
    <div class="notice" role="group" aria-labelledby="submit-q">
      <p id="submit-q">Submit this lab now? Your cluster is graded as it is and the score is recorded for your teacher. You can keep working and submit again later.</p>
      <button type="button" class="primary" ref={yes} onClick={onYes}>
        Yes, submit
      </button>{" "}
      <button type="button" onClick={onNo}>
        Cancel
      </button>
    </div>
  );
}

export function Checkpoints({ defs, model }: { defs: CheckpointDef[]; model: CheckpointsModelType }) {
  const confirming = useSignal(false);
  const states = model.states.value;
  const submitted = model.submitted.value;
  return (
    <section class="checkpoints" aria-labelledby="cp-title">
      <h2 id="cp-title">Checkpoints</h2>
      <p class="score" role="status" aria-live="polite">
        {submitted
          ? `Submitted: ${submitted.score} / ${submitted.maxScore} points recorded ${new Date(submitted.submittedAt).toLocaleString()}.`
          : model.score.value !== null
            ? `Progress: ${model.score.value} / ${model.maxScore.value} points.`
            : `${model.maxScore.value} points to earn. Check your progress any time: it changes nothing in your cluster.`}
      </p>
      <ol>
        {defs.map((d) => {
          const st = states[d.id];
          const hint = model.hints.value[d.id];
          const used = model.hintUsed.value[d.id];
          return (
            <li key={d.id} class={`cp ${st ? (st.passed ? "cp-pass" : "cp-fail") : ""}`} data-checkpoint={d.id}>
              <span class="cp-state">{st ? (st.passed ? "✔ Passed" : "✘ Not yet") : "○ Not checked"}</span> {d.title}{" "}
              <span class="muted">
                ({st ? `${st.points} / ${st.maxPoints}` : d.points ?? 0} {d.points === 1 ? "point" : "points"})
              </span>
              {st && !st.passed && st.explanation && <p class="explanation">{st.explanation}</p>}
              {hint && <p class="hint">Hint: {hint}</p>}
              {d.hasHint && !hint && !(st && st.passed) && (
                <div>
                  <button type="button" class="link" onClick={() => model.revealHint(d.id)} aria-label={`${used ? "Show the hint again" : "Reveal a hint"} for: ${d.title}`}>
                    {used ? "Show the hint again" : "Reveal a hint"}
                  </button>
                  {!used && <span class="muted"> (your teacher sees the hints you use)</span>}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {model.error.value && <ErrorNote error={model.error.value} />}
      <div class="cp-actions">
        <button type="button" class="primary" onClick={() => model.check()} disabled={model.checking.value}>
          {model.checking.value ? "Checking…" : "Check my progress"}
        </button>
        {!confirming.value ? (
          <button type="button" onClick={() => (confirming.value = true)} disabled={model.submitting.value}>
            Submit…
          </button>
        ) : (
          <ConfirmSubmit
            onYes={async () => {
              confirming.value = false;
              await model.submit();
            }}
            onNo={() => (confirming.value = false)}
          />
        )}
      </div>
    </section>
  );
}

// One student's attempt: score, each checkpoint as the grader explained it, the hints revealed, the transcript of
// the command log, and the cluster picture at the end of the attempt (the student's page's own component).
import { useEffect } from "preact/hooks";
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { AttemptModel } from "../models/gradebookAttempt.ts";
import { pictureView } from "../models/clusterPicture.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { ClusterPictureView } from "../components/ClusterPictureView.tsx";
import { Transcript } from "./Transcript.tsx";

export function AttemptPage({ course, slug, attemptId }: { course: string; slug: string; attemptId: string }) {
  const { client } = useServices();
  const m = useModel(() => new AttemptModel(client, attemptId));
  useEffect(() => void m.load(), [m]);
  const a = m.attempt.value;
  const cps = a?.results?.checkpoints ?? [];
  return (
    <section aria-labelledby="attempt-title" class="attempt">
      <p class="crumbs">
        <a href="/teach">Course {course}</a> › <a href={`/teach/labs/${slug}`}>{slug}</a> ›
      </p>
      <h1 id="attempt-title">{a ? `${a.user}'s attempt` : "Attempt"}</h1>
      {m.error.value && <ErrorNote error={m.error.value} retry={m.load} />}
      {m.missing.value && <p>There is no such attempt in your course.</p>}
      {!a && !m.missing.value && !m.error.value && <p aria-live="polite">Loading the attempt…</p>}
      {a && (
        <>
          <p class="meta">
            Score <strong data-testid="attempt-score">{a.score ?? "—"}</strong> / {a.maxScore ?? "—"} · started {new Date(a.startedAt).toLocaleString()}
            {a.submittedAt ? ` · submitted ${new Date(a.submittedAt).toLocaleString()}` : " · not submitted"}
          </p>
          <h2>Checkpoints</h2>
          <ul class="attempt-checkpoints">
            {cps.map((c) => (
              <li key={c.id} class={c.passed ? "cp-pass" : "cp-fail"} data-checkpoint={c.id}>
                <span class="cp-state">{c.passed ? "✓ passed" : "✗ failed"}</span> {c.title} ({c.points} / {c.maxPoints})
                {!c.passed && <p class="explanation">{c.explanation}</p>}
              </li>
            ))}
          </ul>
          <h2>Hints revealed</h2>
          {a.hints.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {a.hints.map((h, i) => (
                <li key={i}>
                  {cps.find((c) => c.id === h.checkpointId)?.title ?? h.checkpointId} at {new Date(h.at).toLocaleTimeString()}
                </li>
              ))}
            </ul>
          )}
          <h2>Transcript</h2>
          <Transcript entries={a.transcript} />
          <h2>The cluster at the end of the attempt</h2>
          {a.picture ? <ClusterPictureView view={pictureView(a.picture)} title="The cluster at the end of the attempt" /> : <p>The attempt's cluster is gone.</p>}
        </>
      )}
    </section>
  );
}

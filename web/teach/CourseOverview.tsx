// /teach: the course's labs, each with students started and submitted, the median score and time to finish.
import { useEffect } from "preact/hooks";
import { useModel } from "@preact/signals";
import { useServices } from "../context.ts";
import { CourseModel, duration } from "../models/gradebookCourse.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";

export function CourseOverview({ course }: { course: string }) {
  const { client } = useServices();
  const m = useModel(() => new CourseModel(client, course));
  useEffect(() => void m.load(), [m]);
  const labs = m.labs.value;
  return (
    <section aria-labelledby="course-title">
      <h1 id="course-title">Course {course}</h1>
      {m.error.value && <ErrorNote error={m.error.value} retry={m.load} />}
      {!labs && !m.error.value && <p aria-live="polite">Loading the course…</p>}
      {labs && (
        <div class="table-scroll">
          <table class="gb-table">
            <caption>The course's labs: open one for its grade book.</caption>
            <thead>
              <tr>
                <th scope="col">Lab</th>
                <th scope="col">Started</th>
                <th scope="col">Submitted</th>
                <th scope="col">Median score</th>
                <th scope="col">Median time to submit</th>
              </tr>
            </thead>
            <tbody>
              {labs.map((l) => (
                <tr key={l.slug} data-lab={l.slug}>
                  <th scope="row">
                    <a href={`/teach/labs/${l.slug}`}>{l.title}</a>
                  </th>
                  <td>{l.started}</td>
                  <td>{l.submitted}</td>
                  <td>{l.medianScore === null ? "—" : `${l.medianScore} / ${l.maxScore}`}</td>
                  <td>{duration(l.medianSecondsToSubmit)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// The instructor's pages: /teach (the course), /teach/labs/<slug> (a lab's grade book),
// /teach/labs/<slug>/attempts/<id> (one attempt). Students get a plain refusal; the course is the token's.
import "./teach.css";
import { useServices } from "../context.ts";
import { InstructorsOnly } from "./InstructorsOnly.tsx";
import { CourseOverview } from "./CourseOverview.tsx";
import { GradebookPage } from "./GradebookPage.tsx";
import { AttemptPage } from "./AttemptPage.tsx";

export function TeachRoutes({ rest, role }: { rest: string; role: string }) {
  const { session } = useServices();
  const s = session.state.value;
  const course = s.status === "signed-in" ? s.claims.course : undefined;
  if (role !== "instructor" && role !== "grader") return <InstructorsOnly role={role} />;
  if (!course)
    return (
      <section aria-labelledby="teach-title">
        <h1 id="teach-title">No course</h1>
        <p>Your sign-in names no course, so there is no grade book to show. Ask for a link that carries your course.</p>
      </section>
    );
  const readOnly = role === "grader";
  if (rest === "") return <CourseOverview course={course} />;
  const attempt = /^labs\/([a-z0-9][a-z0-9-]*)\/attempts\/([0-9a-fA-F-]{36})$/.exec(rest);
  if (attempt) return <AttemptPage key={attempt[2]} course={course} slug={attempt[1]} attemptId={attempt[2]} />;
  const lab = /^labs\/([a-z0-9][a-z0-9-]*)$/.exec(rest);
  if (lab) return <GradebookPage key={lab[1]} course={course} slug={lab[1]} readOnly={readOnly} />;
  return (
    <section aria-labelledby="teach-title">
      <h1 id="teach-title">Page not found</h1>
      <p>
        There is no instructor page at <code>/teach/{rest}</code>. <a href="/teach">Back to the course</a>.
      </p>
    </section>
  );
}

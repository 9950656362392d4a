// The hook for the instructor's pages (/teach, /teach/<rest>): they replace this component's body.
export function TeachPages({ rest, role }: { rest: string; role: string }) {
  return (
    <section aria-labelledby="teach-title">
      <h1 id="teach-title">Teaching</h1>
      <p>
        {role === "student" ? "These pages are for instructors." : "The instructor's pages are not built yet."} <a href="/">Back to the labs</a>
        {rest ? ` (${rest})` : ""}.
      </p>
    </section>
  );
}

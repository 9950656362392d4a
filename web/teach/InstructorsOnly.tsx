// What a student (or anyone not staff) sees at /teach.
export function InstructorsOnly({ role }: { role: string }) {
  return (
    <section aria-labelledby="teach-title" class="refusal" data-testid="instructors-only">
      <h1 id="teach-title">Instructors only</h1>
      <p>
        The grade book is for the course's instructors and graders. You are signed in as a {role}, so there is nothing for you here.
      </p>
      <p>
        <a href="/">Go to your labs</a>
      </p>
    </section>
  );
}

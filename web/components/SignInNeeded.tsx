import type { SessionState } from "../models/session.ts";

/** What the page says when it has no usable token, and what to do about it. */
export function SignInNeeded({ state }: { state: Exclude<SessionState, { status: "signed-in" }> }) {
  const what =
    state.status === "expired"
      ? `Your sign-in${state.claims.name ? ` (${state.claims.name})` : ""} has expired.`
      : state.status === "malformed"
        ? "The sign-in link is damaged: its token cannot be read."
        : state.status === "refused"
          ? `The lab server refused your sign-in: ${state.message}`
          : "You are not signed in.";
  return (
    <section class="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to kubelab</h1>
      <p role="alert">{what}</p>
      <p>
        Open the lab again from your course's page (the link your teacher gave you): it signs you in. In development,{" "}
        <code>npm run dev</code> prints a link for a student and one for the teacher.
      </p>
    </section>
  );
}

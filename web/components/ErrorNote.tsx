import type { ApiError } from "../api/client.ts";

/** A failed request, said plainly, with a retry when one makes sense. */
export function ErrorNote({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div class="error" role="alert">
      <p>{error.kind === "network" ? `${error.message} Check your connection; the page keeps what you did.` : error.message}</p>
      {retry && error.kind !== "auth" && (
        <button type="button" onClick={() => retry()}>
          Try again
        </button>
      )}
    </div>
  );
}

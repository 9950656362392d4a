// The command log as the terminal showed it: the prompt (with its host), the line, what it printed. Mutations made
// outside the terminal (apply, scale, sendRequests…) are shown by what they did.
import type { TranscriptEntry } from "../models/gradebookAttempt.ts";
import { promptOf } from "../models/gradebookAttempt.ts";

export function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  if (!entries.length) return <p>No command was run.</p>;
  return (
    <div class="transcript" tabIndex={0} role="region" aria-label="Transcript of the attempt" data-testid="transcript">
      {entries.map((e) => (
        <pre key={e.seq} data-seq={e.seq} class={e.exitCode === 0 ? "tx" : "tx tx-failed"}>
          <span class="tx-prompt">{e.operation === "exec" ? promptOf(e.host) : `(${e.operation}) `}</span>
          <span class="tx-input">{e.input}</span>
          {"\n"}
          {e.stdout}
          {e.stderr && <span class="tx-err">{e.stderr}</span>}
        </pre>
      ))}
    </div>
  );
}

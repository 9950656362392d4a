import { useSignal } from "@preact/signals";

/** One code block of a step: its commands, a button that types them into the terminal, a copy button. */
export function CodeBlock({ text, label, onType }: { text: string; label: string; onType?: (text: string) => void }) {
  const copied = useSignal<"" | "Copied" | "Copy failed: select the text instead">("");
  const lines = text.split("\n").filter((l) => l.trim()).length;
  return (
    <div class="codeblock">
      <pre tabIndex={0} aria-label={`Commands, ${label}`}>
        <code>{text}</code>
      </pre>
      <div class="actions">
        {onType && (
          <button type="button" onClick={() => onType(text)} title={lines > 1 ? "Types the first command; each Enter types the next" : "Types the command; you press Enter"}>
            Type into terminal
          </button>
        )}
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(text);
              copied.value = "Copied";
            } catch {
              copied.value = "Copy failed: select the text instead";
            }
            setTimeout(() => (copied.value = ""), 2000);
          }}
        >
          Copy
        </button>
        <span role="status" aria-live="polite" class="muted">
          {copied.value}
        </span>
      </div>
    </div>
  );
}

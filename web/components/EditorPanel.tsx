// The editor a terminal line opened (vi FILE, nano FILE, kubectl edit TYPE NAME), over the terminal's screen: the
// request's content in a monospace textarea. Ctrl-S (⌘-S) or Save runs the request's saveCommand with the text as
// stdin; Esc or Cancel runs its cancelCommand, if any. Either way the terminal takes the keyboard back.
import { useRef } from "preact/hooks";
import type { TerminalModelType } from "../models/terminal.ts";
import { useFocusOnMount } from "./useFocusOnMount.ts";

export function EditorPanel({ model }: { model: TerminalModelType }) {
  const req = model.editing.value;
  if (!req) return null;
  // keyed on the request: a new one starts from its own content
  return <EditorForm key={`${req.host}:${req.path}:${req.saveCommand}`} model={model} />;
}

function EditorForm({ model }: { model: TerminalModelType }) {
  const req = model.editing.value!;
  const busy = model.editorBusy.value;
  const text = useFocusOnMount<HTMLTextAreaElement>();
  const initial = useRef(req.content);
  const save = () => void model.saveEditor(text.current?.value ?? initial.current);
  const cancel = () => void model.cancelEditor();
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "s") {
      e.preventDefault();
      save();
    } else if (e.key === "Escape") {
      e.preventDefault();
      cancel();
    }
  };
  const where = req.host === "master01" ? req.path : `${req.host}:${req.path}`;
  return (
    <form
      class="editor-panel"
      aria-labelledby="editor-title"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div class="editor-head">
        <h3 id="editor-title">
          <label for="editor-text">
            {req.editor} — {where}
          </label>
        </h3>
        <span class="editor-keys" id="editor-keys">
          Ctrl-S saves · Esc cancels
        </span>
      </div>
      <textarea
        id="editor-text"
        class="editor-text"
        ref={text}
        defaultValue={initial.current}
        spellcheck={false}
        autocomplete="off"
        autocapitalize="off"
        wrap="off"
        aria-describedby="editor-keys"
        data-syntax={req.syntax}
        readOnly={busy}
      />
      <div class="editor-actions">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={cancel} disabled={busy}>
          Cancel
        </button>
        {busy && <span class="muted">Please wait…</span>}
      </div>
    </form>
  );
}

// The editor a terminal line opened (vi FILE, nano FILE, kubectl edit TYPE NAME), over the terminal's screen. Its
// screen — vim's modes and ex commands, or nano's keys and help lines, on CodeMirror with YAML highlighting — is a
// lazy chunk (web/editor/), loaded the first time an editor opens. Writing runs the request's saveCommand (through
// the terminal model); quitting gives the terminal the keyboard back.
import { useEffect } from "preact/hooks";
import { useSignal } from "@preact/signals";
import type { OpenEditor, TerminalModelType } from "../models/terminal.ts";
import { shownName } from "../editor/files.ts";

type ScreenModule = typeof import("../editor/ScreenEditor.tsx");
let loading: Promise<ScreenModule> | undefined;
const loadScreen = () => (loading ??= import("../editor/ScreenEditor.tsx").catch((e) => ((loading = undefined), Promise.reject(e))));

export function EditorPanel({ model }: { model: TerminalModelType }) {
  const req = model.editing.value;
  if (!req) return null;
  // keyed on the request: a new one starts from its own content
  return <EditorFrame key={`${req.host}:${req.path}:${req.saveCommand}`} model={model} req={req} />;
}

function EditorFrame({ model, req }: { model: TerminalModelType; req: OpenEditor }) {
  const screen = useSignal<ScreenModule | null>(null);
  const failed = useSignal<string | null>(null);
  useEffect(() => {
    loadScreen().then(
      (m) => (screen.value = m),
      (e: Error) => (failed.value = e.message),
    );
  }, []);
  const where = req.host === "master01" ? req.path : `${req.host}:${req.path}`;
  const name = shownName(req.path, req.cwd);
  const title = `${req.editor} — ${where}`;
  const Screen = screen.value?.ScreenEditor;
  return (
    <section class="editor-panel" aria-labelledby="editor-title" data-editor={req.editor}>
      <h3 id="editor-title" class={req.editor === "nano" ? "sr-only" : "editor-title"}>
        {title}
      </h3>
      {Screen ? (
        <Screen
          editor={req.editor}
          name={name}
          content={req.content}
          isNew={req.isNew}
          syntax={req.syntax}
          label={title}
          write={(text) => model.writeEditor(text)}
          quit={() => model.quitEditor()}
        />
      ) : failed.value !== null ? (
        <div role="alert" class="editor-failed">
          <p>The editor could not be loaded ({failed.value}). Reload the page, or leave without changes.</p>
          <button type="button" onClick={() => void model.quitEditor()}>
            Quit without writing
          </button>
        </div>
      ) : (
        <p class="muted">Opening the editor…</p>
      )}
    </section>
  );
}

// nano: its title bar, its keys (^O write out with the file-name prompt, ^X exit with "Save modified buffer?", ^K cut
// and ^U paste of lines, ^W search, ^C location, ^_ go to line, M-U/M-E undo/redo; F2 F3 F6 F9 F10 as in nano, for
// the browsers that keep ^W for closing the tab), the status line's messages ([ Wrote 12 lines ]) and the two help
// lines at the bottom — each shortcut there is also a button (nano -m), for phones without a Ctrl key.
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { EditorSelection, EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap, type Command } from "@codemirror/view";
import {
  cursorCharLeft,
  cursorCharRight,
  cursorDocEnd,
  cursorDocStart,
  cursorLineBoundaryBackward,
  cursorLineBoundaryForward,
  cursorLineDown,
  cursorLineUp,
  cursorPageDown,
  cursorPageUp,
  deleteCharBackward,
  deleteCharForward,
  insertNewline,
  insertTab,
  redo,
  standardKeymap,
  undo,
} from "@codemirror/commands";
import { commonExtensions, type ScreenProps } from "./setup.ts";
import { nanoOpened, nanoWrite, nanoWritten } from "./files.ts";

type Prompt =
  | { kind: "write"; exitAfter: boolean }
  | { kind: "search" }
  | { kind: "goto" }
  | { kind: "save?" };

const PROMPT_TEXT: Record<Prompt["kind"], string> = {
  write: "File Name to Write",
  search: "Search",
  goto: "Enter line number, column number",
  "save?": "Save modified buffer?",
};

/** nano's shortcut lists: the main one, and each prompt's. */
type Shortcut = { keys: string; label: string; run: () => void };

export function NanoScreen(p: ScreenProps) {
  const host = useRef<HTMLDivElement>(null);
  const status = useSignal<string | null>(nanoOpened(p.isNew, p.content));
  const prompt = useSignal<Prompt | null>(null);
  const answer = useSignal("");
  const modified = useSignal(false);
  const api = useRef<Record<string, () => void>>({});
  const promptApi = useRef<{ submit: (value: string) => void; cancel: () => void; yes: () => void; no: () => void } | null>(null);
  const input = useRef<HTMLInputElement>(null);
  /**
   * A key at an open prompt. `typedAhead`: it reached the text because the prompt's field has not taken the focus
   * yet (keys typed right after ^W): it is the prompt's all the same.
   */
  const promptKey = (e: KeyboardEvent, typedAhead: boolean): boolean => {
    const pr = prompt.peek();
    if (!pr) return false;
    const api = promptApi.current;
    if (e.key === "Escape" || (e.ctrlKey && e.key.toLowerCase() === "c")) api?.cancel();
    else if (pr.kind === "save?") {
      if (e.key.toLowerCase() === "y") api?.yes();
      else if (e.key.toLowerCase() === "n") api?.no();
      else if (!typedAhead) return false;
    } else if (e.key === "Enter") api?.submit(typedAhead ? answer.peek() : (e.target as HTMLInputElement).value);
    else if (!typedAhead) return false;
    else if (e.key === "Backspace") answer.value = answer.peek().slice(0, -1);
    else if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) answer.value = answer.peek() + e.key;
    e.preventDefault();
    return true;
  };
  const promptKeyRef = useRef(promptKey);
  promptKeyRef.current = promptKey;
  const yesNo = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current!;
    let saved = p.content;
    let busy = false;
    let cutBuffer = "";
    /** The state right after a ^K: a ^K from there adds to the cut buffer, as consecutive cuts do in nano. */
    let afterCut: EditorState | null = null;
    let lastSearch = "";
    /** Keystrokes since the status message appeared: nano blanks it after 20. */
    let sinceStatus = 0;
    const say = (text: string | null) => {
      status.value = text;
      sinceStatus = 0;
    };
    const notAvailable = (what: string) => () => say(`${what} is not available in the lab's nano`);
    const ask = (pr: Prompt, value = "") => {
      answer.value = value;
      prompt.value = pr;
      status.value = null;
    };

    const write = async (exitAfter: boolean) => {
      if (busy) return;
      busy = true;
      const buffer = view.state.doc.toString();
      const text = nanoWrite(buffer);
      const problem = await p.write(text);
      busy = false;
      if (problem !== null) return say(`Error writing ${p.name}: ${problem}`);
      saved = buffer;
      modified.value = view.state.doc.toString() !== saved;
      if (exitAfter) return void p.quit();
      say(nanoWritten(text));
      view.focus();
    };

    const cut: Command = (v) => {
      const sel = v.state.selection.main;
      let from: number, to: number;
      if (!sel.empty) {
        from = sel.from;
        to = sel.to;
      } else {
        const line = v.state.doc.lineAt(sel.head);
        from = line.from;
        to = line.to < v.state.doc.length ? line.to + 1 : line.to;
        if (from === to) return true; // the empty magic line: nothing to cut
      }
      const text = v.state.sliceDoc(from, to);
      cutBuffer = afterCut === v.state ? cutBuffer + text : text;
      v.dispatch({ changes: { from, to }, selection: EditorSelection.cursor(from), scrollIntoView: true, userEvent: "delete.cut" });
      afterCut = v.state;
      return true;
    };
    const paste: Command = (v) => {
      if (!cutBuffer) return true;
      const at = v.state.selection.main.head;
      v.dispatch({ changes: { from: at, insert: cutBuffer }, selection: EditorSelection.cursor(at + cutBuffer.length), scrollIntoView: true, userEvent: "input.paste" });
      return true;
    };
    const findNext = (v: EditorView, what: string) => {
      const doc = v.state.doc.toString().toLowerCase();
      const needle = what.toLowerCase();
      const here = v.state.selection.main.head;
      let at = doc.indexOf(needle, here + 1);
      let wrapped = false;
      if (at < 0) {
        at = doc.indexOf(needle);
        wrapped = at >= 0;
      }
      if (at < 0) return say(`"${what}" not found`);
      v.dispatch({ selection: EditorSelection.cursor(at), scrollIntoView: true });
      say(at === here ? "This is the only occurrence" : wrapped ? "Search Wrapped" : null);
    };
    const location = (v: EditorView) => {
      const head = v.state.selection.main.head;
      const line = v.state.doc.lineAt(head);
      const lines = v.state.doc.lines;
      const col = head - line.from + 1;
      const pct = (a: number, b: number) => (b ? Math.floor((100 * a) / b) : 0);
      say(`line ${line.number}/${lines} (${pct(line.number, lines)}%), col ${col}/${line.length + 1} (${pct(col, line.length + 1)}%), char ${head + 1}/${v.state.doc.length + 1} (${pct(head + 1, v.state.doc.length + 1)}%)`);
    };
    const exit = () => {
      if (view.state.doc.toString() !== saved) ask({ kind: "save?" });
      else void p.quit();
    };
    const run = (f: () => void): Command => () => {
      f();
      return true;
    };
    api.current = {
      help: () => say("The keys are listed at the bottom (^ is Ctrl, M- is Alt); ^X leaves nano"),
      writeOut: () => ask({ kind: "write", exitAfter: false }, p.name),
      whereIs: () => ask({ kind: "search" }),
      cut: () => (cut(view), view.focus()),
      execute: notAvailable("Execute"),
      location: () => (location(view), view.focus()),
      exit,
      readFile: notAvailable("Read File"),
      replace: notAvailable("Replace"),
      paste: () => (paste(view), view.focus()),
      justify: notAvailable("Justify"),
      goTo: () => ask({ kind: "goto" }),
      undo: () => (undo(view), view.focus()),
      redo: () => (redo(view), view.focus()),
    };
    const a = api.current;
    const nanoKeys = Prec.highest(
      keymap.of([
        { key: "Ctrl-g", run: run(a.help) },
        { key: "F1", run: run(a.help) },
        { key: "Ctrl-o", run: run(a.writeOut) },
        { key: "F3", run: run(a.writeOut) },
        { key: "Ctrl-s", run: run(() => void write(false)) },
        { key: "Ctrl-w", run: run(a.whereIs) },
        { key: "F6", run: run(a.whereIs) },
        { key: "Alt-w", run: (v) => (lastSearch ? findNext(v, lastSearch) : say("No current search pattern"), true) },
        { key: "Ctrl-k", run: cut },
        { key: "F9", run: cut },
        { key: "Ctrl-u", run: paste },
        { key: "F10", run: paste },
        { key: "Ctrl-c", run: (v) => (location(v), true) },
        { key: "F11", run: (v) => (location(v), true) },
        { key: "Ctrl-x", run: run(exit) },
        { key: "F2", run: run(exit) },
        { key: "Ctrl-_", run: run(a.goTo) },
        { key: "Ctrl-/", run: run(a.goTo) },
        { key: "Alt-g", run: run(a.goTo) },
        { key: "Ctrl-t", run: run(a.execute) },
        { key: "Ctrl-r", run: run(a.readFile) },
        { key: "Ctrl-\\", run: run(a.replace) },
        { key: "Ctrl-j", run: run(a.justify) },
        { key: "Alt-u", run: undo },
        { key: "Alt-e", run: redo },
        { key: "Ctrl-a", run: cursorLineBoundaryBackward },
        { key: "Ctrl-e", run: cursorLineBoundaryForward },
        { key: "Ctrl-p", run: cursorLineUp },
        { key: "Ctrl-n", run: cursorLineDown },
        { key: "Ctrl-f", run: cursorCharRight },
        { key: "Ctrl-b", run: cursorCharLeft },
        { key: "Ctrl-y", run: cursorPageUp },
        { key: "Ctrl-v", run: cursorPageDown },
        { key: "Ctrl-d", run: deleteCharForward },
        { key: "Ctrl-h", run: deleteCharBackward },
        { key: "Alt-\\", run: cursorDocStart },
        { key: "Alt-/", run: cursorDocEnd },
        { key: "Ctrl-l", run: () => true },
        { key: "Ctrl-z", run: () => true },
        { key: "Enter", run: insertNewline },
        { key: "Tab", run: insertTab },
      ]),
    );
    const view = new EditorView({
      parent: el,
      state: EditorState.create({
        doc: p.content,
        extensions: [
          commonExtensions(p, [Prec.highest(EditorView.domEventHandlers({ keydown: (e) => promptKeyRef.current(e, true) })), nanoKeys, keymap.of(standardKeymap)]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) modified.value = u.state.doc.toString() !== saved;
            if ((u.docChanged || u.selectionSet) && status.peek() !== null && ++sinceStatus >= 20) status.value = null;
          }),
        ],
      }),
    });

    promptApi.current = {
      submit(value) {
        const pr = prompt.peek();
        prompt.value = null;
        if (!pr) return;
        if (pr.kind === "write") {
          if (value !== p.name) {
            say(`The lab's nano writes only to ${p.name}`);
            return view.focus();
          }
          view.focus();
          void write(pr.exitAfter);
        } else if (pr.kind === "search") {
          const what = value || lastSearch;
          view.focus();
          if (!what) return say("Cancelled");
          lastSearch = what;
          findNext(view, what);
        } else if (pr.kind === "goto") {
          view.focus();
          const m = /^\s*(-?\d+)?\s*(?:[,\s]\s*(-?\d+))?\s*$/.exec(value);
          if (!m || (!m[1] && !m[2])) return say(value.trim() ? "Invalid line or column number" : "Cancelled");
          const doc = view.state.doc;
          const want = Number(m[1] ?? doc.lineAt(view.state.selection.main.head).number);
          const line = doc.line(Math.min(Math.max(want < 0 ? doc.lines + want + 1 : want, 1), doc.lines));
          const col = Math.min(Math.max(Number(m[2] ?? 1), 1), line.length + 1);
          view.dispatch({ selection: EditorSelection.cursor(line.from + col - 1), scrollIntoView: true });
        }
      },
      cancel() {
        prompt.value = null;
        say("Cancelled");
        view.focus();
      },
      yes() {
        ask({ kind: "write", exitAfter: true }, p.name);
      },
      no() {
        prompt.value = null;
        void p.quit();
      },
    };
    view.focus();
    return () => {
      promptApi.current = null;
      view.destroy();
    };
  }, []);

  // A prompt takes the keyboard while it is open, in the same commit that shows it (a layout effect, not an effect
  // run after the next paint): Y at the save question unmounts the focused question, and until the file-name field
  // has the focus the keyboard is the page body's, where nothing listens, so an Enter typed right after Y was lost.
  const pr = prompt.value;
  useLayoutEffect(() => {
    if (pr?.kind === "save?") yesNo.current?.focus();
    else if (pr && input.current) {
      const i = input.current;
      i.focus();
      i.setSelectionRange(i.value.length, i.value.length);
    }
  }, [pr]);

  const call = (name: string) => () => api.current[name]?.();
  const main: Shortcut[][] = [
    [
      { keys: "^G", label: "Help", run: call("help") },
      { keys: "^O", label: "Write Out", run: call("writeOut") },
      { keys: "^W", label: "Where Is", run: call("whereIs") },
      { keys: "^K", label: "Cut", run: call("cut") },
      { keys: "^T", label: "Execute", run: call("execute") },
      { keys: "^C", label: "Location", run: call("location") },
    ],
    [
      { keys: "^X", label: "Exit", run: call("exit") },
      { keys: "^R", label: "Read File", run: call("readFile") },
      { keys: "^\\", label: "Replace", run: call("replace") },
      { keys: "^U", label: "Paste", run: call("paste") },
      { keys: "^J", label: "Justify", run: call("justify") },
      { keys: "^_", label: "Go To Line", run: call("goTo") },
    ],
  ];
  const cancel: Shortcut = { keys: "^C", label: "Cancel", run: () => promptApi.current?.cancel() };
  const help: Shortcut[][] =
    pr?.kind === "save?"
      ? [[{ keys: "Y", label: "Yes", run: () => promptApi.current?.yes() }], [{ keys: "N", label: "No", run: () => promptApi.current?.no() }, cancel]]
      : pr
        ? [[{ keys: "Enter", label: pr.kind === "write" ? "Write" : pr.kind === "search" ? "Search" : "Go", run: () => promptApi.current?.submit(answer.peek()) }], [cancel]]
        : main;

  const onPromptKey = (e: KeyboardEvent) => promptKeyRef.current(e, false);

  return (
    <div class="screen nano-screen">
      <div class="nano-title" aria-hidden="true">
        <span>GNU nano 5.4</span>
        <span class="nano-name">{p.name}</span>
        <span>{modified.value ? "Modified" : ""}</span>
      </div>
      <div class="screen-text" ref={host} />
      <div class="nano-status" data-testid="nano-status">
        {pr?.kind === "save?" ? (
          <div class="nano-prompt" ref={yesNo} tabIndex={-1} role="group" aria-label={PROMPT_TEXT["save?"]} onKeyDown={onPromptKey}>
            {PROMPT_TEXT["save?"]}
          </div>
        ) : pr ? (
          <label class="nano-prompt">
            <span>{PROMPT_TEXT[pr.kind]}: </span>
            <input ref={input} value={answer.value} onInput={(e) => (answer.value = (e.currentTarget as HTMLInputElement).value)} onKeyDown={onPromptKey} spellcheck={false} autocomplete="off" autocapitalize="off" />
          </label>
        ) : (
          <span class="nano-msg" role="status" aria-live="polite">
            {status.value !== null ? `[ ${status.value} ]` : ""}
          </span>
        )}
      </div>
      <div class="nano-help" id="editor-keys">
        {help.map((row, i) => (
          <div class="nano-help-row" key={i}>
            {row.map((s) => (
              <button type="button" class="nano-key" key={s.keys} onMouseDown={(e) => e.preventDefault()} onClick={s.run}>
                <kbd>{s.keys}</kbd> {s.label}
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}

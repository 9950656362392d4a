// vi and vim: @replit/codemirror-vim's modes and keys (normal, insert, visual; i a o dd yy p u x, /search, counts,
// registers) on the file, the ex commands that leave or write it as vim's (:w :q :wq :x :q! ZZ ZQ and E37), and a
// last line like vim's: the mode (-- INSERT --), messages ("web.yaml" 12L, 240B written) and the ruler. vim's own
// command line (:…, /…) takes that line while it is open.
import { useEffect, useRef } from "preact/hooks";
import { useSignal } from "@preact/signals";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { defaultKeymap, historyKeymap } from "@codemirror/commands";
import { getCM, Vim, vim } from "@replit/codemirror-vim";
import { commonExtensions, tabKey, type ScreenProps } from "./setup.ts";
import { E37, vimBuffer, vimOpened, vimWrite, vimWritten } from "./files.ts";

type Cm = NonNullable<ReturnType<typeof getCM>>;
type ExParams = { argString?: string };

/** What an ex command asks of the screen it was typed in. */
interface ExTarget {
  ex(command: "write" | "quit" | "wq" | "xit", bang: boolean, arg: string): void;
}

const targets = new WeakMap<EditorView, ExTarget>();
let defined = false;

/** vim's ex commands that write or leave, once for the page (vim.js keeps one global command table). */
function defineExCommands() {
  if (defined) return;
  defined = true;
  const on = (command: "write" | "quit" | "wq" | "xit") => (cm: Cm, p: ExParams) => {
    const arg = (p.argString ?? "").trim();
    const bang = arg.startsWith("!");
    targets.get(cm.cm6)?.ex(command, bang, (bang ? arg.slice(1) : arg).trim());
  };
  Vim.defineEx("write", "w", on("write"));
  Vim.defineEx("wq", "wq", on("wq"));
  Vim.defineEx("wqall", "wqa", on("wq"));
  Vim.defineEx("xit", "x", on("xit"));
  Vim.defineEx("xall", "xa", on("xit"));
  Vim.defineEx("exit", "exi", on("xit"));
  Vim.defineEx("quit", "q", on("quit"));
  Vim.defineEx("qall", "qa", on("quit"));
  Vim.defineEx("quitall", "quita", on("quit"));
  Vim.defineAction("kubelabZZ", (cm: Cm) => targets.get(cm.cm6)?.ex("xit", false, ""));
  Vim.defineAction("kubelabZQ", (cm: Cm) => targets.get(cm.cm6)?.ex("quit", true, ""));
  Vim.mapCommand("ZZ", "action", "kubelabZZ", {}, { context: "normal" });
  Vim.mapCommand("ZQ", "action", "kubelabZQ", {}, { context: "normal" });
}

type Message = { text: string; error: boolean } | null;

function modeText(mode: string, subMode?: string): string {
  if (mode === "insert") return "-- INSERT --";
  if (mode === "replace") return "-- REPLACE --";
  if (mode === "visual") return subMode === "linewise" ? "-- VISUAL LINE --" : subMode === "blockwise" ? "-- VISUAL BLOCK --" : "-- VISUAL --";
  return "";
}

/** vim's ruler: line,column (0-1 on an empty line) and where the window is: All, Top, Bot or a percentage. */
function ruler(v: EditorView): string {
  const head = v.state.selection.main.head;
  const line = v.state.doc.lineAt(head);
  const col = line.length === 0 ? "0-1" : String(head - line.from + 1);
  const total = v.state.doc.lines;
  const rect = v.scrollDOM.getBoundingClientRect();
  const top = v.lineBlockAtHeight(v.scrollDOM.scrollTop);
  const bottom = v.lineBlockAtHeight(v.scrollDOM.scrollTop + rect.height - 1);
  const first = v.state.doc.lineAt(top.from).number;
  const last = v.state.doc.lineAt(Math.min(bottom.to, v.state.doc.length)).number;
  const above = first - 1;
  const below = total - last;
  const where = above === 0 && below === 0 ? "All" : above === 0 ? "Top" : below === 0 ? "Bot" : `${Math.floor((above * 100) / (above + below))}%`;
  return `${line.number},${col}`.padEnd(14) + where;
}

export function VimScreen(p: ScreenProps) {
  const host = useRef<HTMLDivElement>(null);
  const message = useSignal<Message>({ text: vimOpened({ name: p.name, isNew: p.isNew }, p.content), error: false });
  const mode = useSignal("");
  const pending = useSignal("");
  const position = useSignal("1,0-1");
  const actions = useRef<{ ex: ExTarget["ex"]; escape: () => void } | null>(null);

  useEffect(() => {
    defineExCommands();
    const el = host.current!;
    /** The buffer as last written (or as opened): what "changed" is measured against. */
    let saved = vimBuffer(p.content);
    let isNew = p.isNew;
    let busy = false;
    const view = new EditorView({
      parent: el,
      state: EditorState.create({
        doc: saved,
        extensions: [
          vim(),
          commonExtensions(p, [tabKey((v) => (getCM(v)?.state.vim?.insertMode ? " ".repeat(p.syntax === "text" ? 8 : 2) : null)), keymap.of([...defaultKeymap, ...historyKeymap])]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged || u.selectionSet || u.viewportChanged || u.geometryChanged) position.value = ruler(u.view);
          }),
        ],
      }),
    });
    const cm = getCM(view)!;
    cm.on("vim-mode-change", (e: { mode: string; subMode?: string }) => {
      message.value = null;
      mode.value = modeText(e.mode, e.subMode);
    });
    // 'showcmd': the keys of a command not yet complete (d, 2y, "a)
    const showcmd = () => (pending.value = (cm.state.vim?.status ?? "").slice(-10));
    cm.on("vim-keypress", showcmd);
    cm.on("vim-command-done", showcmd);
    // vim's command line: an input with a name (the page's axe check; a screen reader says what it is for)
    const nameInputs = () => el.querySelectorAll(".cm-vim-panel input:not([aria-label])").forEach((i) => i.setAttribute("aria-label", "vim command line"));
    cm.on("dialog", () => setTimeout(nameInputs));

    const write = async (): Promise<boolean> => {
      const buffer = view.state.doc.toString();
      const text = vimWrite(buffer, p.content);
      busy = true;
      message.value = null;
      const problem = await p.write(text);
      busy = false;
      if (problem !== null) {
        message.value = { text: `E212: Can't open file for writing: ${problem}`, error: true };
        return false;
      }
      message.value = { text: vimWritten({ name: p.name, isNew }, text), error: false };
      saved = buffer;
      isNew = false;
      return true;
    };
    const changed = () => view.state.doc.toString() !== saved;
    const ex: ExTarget["ex"] = (command, bang, arg) => {
      if (busy) return;
      if (arg && command !== "quit") {
        message.value = { text: `Not available here: :${command} FILE (the lab's vim writes only "${p.name}")`, error: true };
        return;
      }
      if (command === "quit") {
        if (changed() && !bang) message.value = { text: E37, error: true };
        else void p.quit();
      } else if (command === "write") void write();
      else if (command === "wq") void write().then((ok) => (ok ? p.quit() : undefined));
      else if (changed()) void write().then((ok) => (ok ? p.quit() : undefined));
      else void p.quit();
    };
    // a phone's keyboard has no Esc: the key line's button is one
    const escape = () => {
      Vim.handleKey(cm, "<Esc>", "user");
      view.focus();
    };
    actions.current = { ex, escape };
    targets.set(view, { ex });
    position.value = ruler(view);
    view.focus();
    return () => {
      targets.delete(view);
      actions.current = null;
      view.destroy();
    };
  }, []);

  const m = message.value;
  return (
    <div class="screen vim-screen">
      <p class="screen-keys" id="editor-keys">
        <kbd>i</kbd> insert ·{" "}
        <button type="button" class="link" onMouseDown={(e) => e.preventDefault()} onClick={() => actions.current?.escape()}>
          Esc
        </button>{" "}
        normal mode · <kbd>:w</kbd> write · <kbd>:q</kbd> quit ·{" "}
        <button type="button" class="link" onClick={() => actions.current?.ex("wq", false, "")}>
          :wq
        </button>{" "}
        write and quit ·{" "}
        <button type="button" class="link" onClick={() => actions.current?.ex("quit", true, "")}>
          :q!
        </button>{" "}
        quit without writing
      </p>
      <div class="screen-text" ref={host} />
      <div class="vim-last-line" data-testid="vim-last-line">
        <span class={m?.error ? "vim-msg vim-error" : "vim-msg"} role="status" aria-live="polite">
          {m ? m.text : mode.value}
        </span>
        <span class="vim-showcmd" aria-hidden="true">
          {pending.value}
        </span>
        <span class="vim-ruler" aria-hidden="true">
          {position.value}
        </span>
      </div>
    </div>
  );
}

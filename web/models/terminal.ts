// The terminal's behaviour without the view: input chunks → line editor → shell session → transport → text to
// write. The view (Terminal.tsx) only forwards xterm's onData here and writes what `write` is given. Input is
// queued while a line runs and fed on after the next prompt, so typed-ahead keys and pasted blocks run in order.
// A line that opens an editor (vi, nano, kubectl edit) holds the prompt until the editor panel quits. The panel writes
// through `writeEditor` (vim's :w, nano's ^O) and leaves through `quitEditor`; for kubectl edit the write is kept
// and applied when the editor quits, as kubectl reads its temporary file once the editor has exited. A line's echo
// is written with its answer (held-echo.ts), so the output is drawn in one frame with it.
import { computed, createModel, signal } from "@preact/signals";
import type { Client, ApiError } from "../api/client.ts";
import { ShellSession, enteredFrame, type HostInfo } from "../../engine/shell/session.ts";
import { applyCompletion, emptyEditor, feed, isPaste, render, type EditorState } from "../terminal/line-editor.ts";
import type { EditorRequest, Transport } from "../terminal/transport.ts";
import { heldEcho } from "../terminal/held-echo.ts";

/** A paste larger than this is refused whole (nothing of it typed): put long text in a file with a here-document. */
export const MAX_PASTE_CHARS = 64 * 1024;

export type TerminalStatus =
  | { kind: "loading" }
  | { kind: "ready" }
  | { kind: "running"; line: string }
  | { kind: "editing"; path: string; editor: EditorRequest["editor"] }
  | { kind: "lost"; line: string; retryInSeconds: number }
  | { kind: "gone"; message: string };

export const TERMINAL_START = `query TerminalStart($id: ID!) {
  cluster(id: $id) { version now nodes { name internalIP } commandLog(last: 500) { edges { node { operation input } } } }
}`;

export const COMPLETIONS = `query Completions($id: ID!, $line: String!, $host: String) {
  cluster(id: $id) { completions(line: $line, host: $host) { start candidates } }
}`;

const RED = (s: string) => `\x1b[31m${s}\x1b[0m`;
/** The page's own notes, in grey (bright black), apart from what the cluster printed. */
const DIM = (s: string) => `\x1b[90m${s}\x1b[0m`;

/** History lines from the command log: what was typed at the terminal (a here-document's first line). */
export function historyFromLog(entries: { operation: string; input: string | null }[]): string[] {
  return entries.filter((e) => e.operation === "exec" && e.input).map((e) => e.input!.split("\n")[0]);
}

export interface TerminalDeps {
  client: Client;
  clusterId: string;
  transport: Transport;
  /** The cluster is gone (deleted elsewhere): the workspace offers a new one. */
  onGone?: (message: string) => void;
  /** A line changed the cluster (the workspace refreshes what depends on it). */
  onChanged?: (version: number) => void;
}

export const TerminalModel = createModel((deps: TerminalDeps) => {
  const status = signal<TerminalStatus>({ kind: "loading" });
  const error = signal<ApiError | null>(null);
  /** Bumped when the terminal should take the keyboard (after "Type into terminal"). */
  const focusRequests = signal(0);
  /** The editor a line opened (vi notes.txt, kubectl edit deploy/web), until it quits; `cwd`: where it was started. */
  const editing = signal<OpenEditor | null>(null);
  /** The editor's write or quit is running. */
  const editorBusy = signal(false);
  let editorClosed: () => void = () => {};
  /** kubectl edit: the text last written (:w, ^O), applied when the editor quits. */
  let pendingWrite: string | undefined;
  const busy = computed(() => status.value.kind === "running" || status.value.kind === "lost" || status.value.kind === "loading");
  let hosts: HostInfo[] = [];
  let nowSeconds = 0;
  const session = new ShellSession(() => hosts);
  let editor: EditorState = emptyEditor();
  const queue: { chunk: string; paste: boolean }[] = [];
  let out: (text: string) => void = () => {};
  let working = false;
  /** The rest of a code block typed with "type into terminal": one line after each Enter. */
  let staged: string[] = [];
  let started = false;
  const pendingOutput: string[] = [];
  /** A line's echo waits for its answer (held-echo.ts); every write lets it out first. */
  const echo = heldEcho((text: string) => (started ? out(text) : pendingOutput.push(text)));
  const write = echo.write;

  /** Runs `fn` once the view has parsed everything written so far (at once without a view that says when). */
  let whenShown: (fn: () => void) => void = (fn) => fn();
  /** A line's answer came: the status says Ready with the prompt that follows its output, in the same frame. */
  let readyWithPrompt = false;
  /** Counts the lines sent: a Ready meant for one line must not land while a later one runs. */
  let sent = 0;
  /**
   * Ready once the view has shown what was written — unless by then a later line was sent (its own answer sets
   * Ready) or more of a paste is still queued to be fed (pump() asks again when the paste is through): a pasted
   * block is one piece of work, not Ready between its lines.
   */
  let readyAskedAt = -1;
  const readyOnceShown = () => {
    if (readyAskedAt === sent) return; // asked already for this line
    const at = (readyAskedAt = sent);
    whenShown(() => {
      if (readyAskedAt === at) readyAskedAt = -1;
      if (at === sent && !(working && queue.length) && status.peek().kind === "running") status.value = { kind: "ready" };
    });
  };
  const prompt = () => {
    write(session.prompt() + render(editor));
    if (!readyWithPrompt) return;
    readyWithPrompt = false;
    readyOnceShown();
  };

  async function start() {
    const r = await deps.client.request<{
      cluster: { version: number; now: string; nodes: { name: string; internalIP: string }[]; commandLog: { edges: { node: { operation: string; input: string | null } }[] } } | null;
    }>(TERMINAL_START, { id: deps.clusterId });
    if (!r.ok) {
      error.value = r.error;
      status.value = { kind: "gone", message: r.error.message };
      return;
    }
    if (!r.data.cluster) return gone(`cluster "${deps.clusterId}" not found`);
    deps.transport.seen(r.data.cluster.version);
    hosts = r.data.cluster.nodes.map((n) => ({ name: n.name, ip: n.internalIP }));
    nowSeconds = Date.parse(r.data.cluster.now) / 1000;
    editor = emptyEditor(historyFromLog(r.data.cluster.commandLog.edges.map((e) => e.node)));
    status.value = { kind: "ready" };
    prompt();
    void pump();
  }

  function gone(message: string) {
    status.value = { kind: "gone", message };
    write(RED(`kubelab: ${message}. This cluster no longer exists: start a new one for this lab (the button above the terminal).`) + "\r\n");
    deps.onGone?.(message);
  }

  /**
   * The view attaches here: everything written before (the first prompt) is flushed to it. `shown` (xterm's write
   * callback) runs a function once what was written is parsed, so the status bar changes in the frame that paints
   * the output: set before, its re-render could take a frame of its own and push the output to the next one.
   */
  function attach(writer: (text: string) => void, shown?: (fn: () => void) => void) {
    out = writer;
    whenShown = shown ?? ((fn) => fn());
    started = true;
    for (const t of pendingOutput.splice(0)) out(t);
  }

  function input(chunk: string) {
    if (status.peek().kind === "gone") return;
    if (chunk.length > MAX_PASTE_CHARS) {
      write(`\r\n${RED(`kubelab: the paste of ${Math.ceil(chunk.length / 1024)} KiB was not typed: the terminal takes at most ${MAX_PASTE_CHARS / 1024} KiB at once. Put long text in a file (cat > file.yaml <<'EOF' … EOF) in smaller parts.`)}\r\n`);
      if (!working) prompt();
      return;
    }
    queue.push({ chunk, paste: isPaste(chunk) });
    void pump();
  }

  async function pump() {
    if (working || status.peek().kind === "loading") return;
    working = true;
    try {
      while (queue.length && status.peek().kind !== "gone") {
        const item = queue.shift()!;
        const r = feed(editor, item.chunk, item.paste);
        editor = r.state;
        // a line's echo goes out with its answer (or once that is slow); keys that end no line are echoed at once
        if (r.event?.kind === "line") echo.hold(r.echo);
        else write(r.echo);
        if (r.rest) queue.unshift({ chunk: r.rest, paste: item.paste });
        if (r.ignored) write(`\r\n${DIM(`(${r.ignored} control character${r.ignored === 1 ? "" : "s"} in the paste ignored)`)}\r\n` + session.prompt() + render(editor));
        const ev = r.event;
        if (!ev) continue;
        if (ev.kind === "line") {
          await runLine(ev.line);
          if (staged.length) queue.unshift({ chunk: staged.shift()!, paste: true });
        } else if (ev.kind === "interrupt") {
          staged = [];
          session.interrupt();
          prompt();
        } else if (ev.kind === "clear") {
          write("\x1b[H\x1b[2J\x1b[3J");
          prompt();
        } else if (ev.kind === "complete") await completeLine(ev.before);
      }
    } finally {
      working = false;
      // a paste whose last line ran no command (a blank line, a here-document's text) is through here
      if (status.peek().kind === "running") readyOnceShown();
    }
  }

  async function clusterNow(): Promise<number | null> {
    const r = await deps.client.request<{ cluster: { now: string } | null }>(`query ClusterNow($id: ID!) { cluster(id: $id) { now } }`, { id: deps.clusterId });
    return r.ok && r.data.cluster ? Date.parse(r.data.cluster.now) / 1000 : null;
  }

  async function runLine(line: string) {
    // ssh's banner shows the cluster's clock: read it only then (asking for it with every line costs the server a
    // look at the cluster's state)
    if (/^\s*ssh\s/.test(line)) nowSeconds = (await clusterNow()) ?? nowSeconds;
    const step = session.line(line, nowSeconds);
    switch (step.kind) {
      case "none":
        return prompt();
      case "more":
        return write(step.prompt);
      case "print":
        write(step.text);
        return prompt();
      case "quit":
        write(DIM("(this is the lab's first shell: it stays open)") + "\r\n");
        return prompt();
      case "enter": {
        const r = await exec(step.check, step.host, line);
        if (r && r.exitCode === 0) session.enter(enteredFrame(step, r.stdout));
        else if (r) write(r.stdout + r.stderr);
        return status.peek().kind === "gone" ? undefined : prompt();
      }
      case "run": {
        const r = await exec(step.line, step.host, line);
        // vim's and nano's no-terminal warnings are not shown: the page has a screen for the editor
        if (r?.editor) await openEditor(r.editor);
        else if (r) write(r.stdout + r.stderr);
        return status.peek().kind === "gone" ? undefined : prompt();
      }
    }
  }

  async function exec(command: string, host: string, shown: string, stdin?: string) {
    const before = deps.transport.version.peek();
    const frame = session.frame;
    // the request goes out first; the status bar and the connection watch are set up while it runs
    const running = deps.transport.run(command, { host, cwd: frame.cwd, env: frame.env, stdin });
    sent++;
    status.value = { kind: "running", line: shown };
    const stop = watchConnection(shown);
    const r = await running;
    stop();
    if (!r.ok) {
      if (r.error.code === "NotFoundError") {
        gone(r.error.message);
        return null;
      }
      status.value = { kind: "ready" };
      write(RED(`kubelab: ${r.error.message}`) + "\r\n");
      return null;
    }
    // "Ready" comes with the prompt after the output (prompt()); a lost connection's note goes now
    if (status.peek().kind === "lost") status.value = { kind: "running", line: shown };
    readyWithPrompt = true;
    if (before !== null && r.cluster.version > before + 1) write(DIM("(the cluster also changed elsewhere — another tab or window — since your last command)") + "\r\n");
    if (r.recovered) write(DIM("(the connection dropped while this ran; here is its output from the command log)") + "\r\n");
    // the shell keeps where the line left it (cd, export, $?) for the next line on this host; a line recovered from
    // the log after a lost answer leaves it as it was
    if (r.result.shell && frame.host === host) Object.assign(frame, r.result.shell);
    deps.onChanged?.(r.cluster.version);
    return r.result;
  }

  function watchConnection(line: string) {
    let timer: ReturnType<typeof setInterval> | undefined;
    timer = setInterval(() => {
      const c = deps.transport.connection.peek();
      if (c.kind === "lost") status.value = { kind: "lost", line, retryInSeconds: c.retryInSeconds };
    }, 100);
    return () => clearInterval(timer);
  }

  async function completeLine(before: string) {
    const r = await deps.client.request<{ cluster: { completions: { start: number; candidates: string[] } } | null }>(COMPLETIONS, {
      id: deps.clusterId,
      line: before,
      host: session.frame.host,
    });
    if (!r.ok || !r.data.cluster) return write("\x07");
    const c = applyCompletion(editor, before, r.data.cluster.completions.start, r.data.cluster.completions.candidates);
    editor = c.state;
    write(c.echo);
    if (c.list) {
      write("\r\n" + c.list.join("  ") + "\r\n");
      prompt();
    }
  }

  /** Shows the editor panel; resolves when it is closed (quit, or dropped by a reset). */
  function openEditor(req: EditorRequest): Promise<void> {
    pendingWrite = undefined;
    editing.value = { ...req, cwd: session.frame.cwd };
    status.value = { kind: "editing", path: req.path, editor: req.editor };
    return new Promise((resolve) => (editorClosed = resolve));
  }

  function closeEditor() {
    editing.value = null;
    editorBusy.value = false;
    pendingWrite = undefined;
    if (status.peek().kind !== "gone") status.value = { kind: "ready" };
    focusRequests.value++;
    const done = editorClosed;
    editorClosed = () => {};
    done();
  }

  /** The request's saveCommand defers to the editor's exit (kubectl edit: it resumes kubectl, which applies). */
  const deferred = (req: EditorRequest) => req.cancelCommand !== undefined && req.cancelCommand !== null;

  /**
   * The editor writes its buffer (vim's :w, nano's ^O): a plain file is written now (saveCommand, the text as
   * stdin); kubectl edit's is kept until the editor quits. Resolves to null when written, or to what went wrong.
   */
  async function writeEditor(text: string): Promise<string | null> {
    const req = editing.peek();
    if (!req) return "no file is open";
    if (editorBusy.peek()) return "still writing";
    if (deferred(req)) {
      pendingWrite = text;
      return null;
    }
    editorBusy.value = true;
    const r = await exec(req.saveCommand, req.host, `writing ${req.path}`, text);
    if (status.peek().kind === "gone") {
      closeEditor();
      return "the cluster is gone";
    }
    editorBusy.value = false;
    status.value = { kind: "editing", path: req.path, editor: req.editor };
    if (!r) return "the lab server did not answer: not written";
    if (r.exitCode !== 0) return (r.stderr || r.stdout).trim() || `not written (exit code ${r.exitCode})`;
    return null;
  }

  /**
   * The editor quits. kubectl edit then goes on: with what was written it applies it (saveCommand: `edited`, `Edit
   * cancelled, no changes made.` for an unchanged object, or the validation error), without it cancelCommand.
   * vi and nano leave nothing on the terminal.
   */
  async function quitEditor() {
    const req = editing.peek();
    if (!req || editorBusy.peek()) return;
    if (deferred(req)) {
      editorBusy.value = true;
      const written = pendingWrite;
      const r = written !== undefined ? await exec(req.saveCommand, req.host, `kubectl edit: applying ${req.path}`, written) : await exec(req.cancelCommand!, req.host, `kubectl edit: closing ${req.path}`);
      if (r) write(r.stdout + r.stderr);
    }
    closeEditor();
  }

  /** Write then quit (vim's :wq, nano's ^X Y Enter); stays open when the write failed. */
  async function saveEditor(text: string) {
    if ((await writeEditor(text)) === null) await quitEditor();
  }

  /** Quit without writing (vim's :q!, nano's ^X N). */
  const cancelEditor = () => quitEditor();

  /** After resetCluster: back to the first host, a note, a fresh prompt (an open editor is dropped: its file is gone). */
  function wasReset() {
    const wasEditing = editing.peek() !== null;
    while (session.leave());
    session.interrupt();
    write("\r\n" + DIM("(the cluster was reset to the lab's start)") + "\r\n");
    // the line that opened the editor prompts once it is closed
    if (wasEditing) closeEditor();
    else prompt();
  }

  /**
   * Types a code block's commands without pressing Enter (the steps' "type into terminal" buttons): its first line
   * replaces the line being edited, each further line is typed after the student presses Enter.
   */
  function type(text: string) {
    const lines = text.replace(/\n+$/, "").split("\n");
    staged = lines.slice(1);
    queue.push({ chunk: "\x15", paste: false }, { chunk: lines[0], paste: true });
    focusRequests.value++;
    void pump();
  }

  return { status, error, busy, focusRequests, editing, editorBusy, writeEditor, quitEditor, saveEditor, cancelEditor, start, attach, input, type, wasReset };
});

export type TerminalModelType = InstanceType<typeof TerminalModel>;

/** An open editor: the request, and the directory the line ran in (editors show names relative to it). */
export type OpenEditor = EditorRequest & { cwd: string };

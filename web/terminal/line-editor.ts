// The terminal's line editor, pure: (state, chunk) → { state, echo, event, rest }. A chunk is what xterm's onData
// gives: one key, an escape sequence, or a whole paste (line breaks as \r). Editing stops at the first event — a
// submitted line, Ctrl-C, Ctrl-L, Tab — and hands back the unread `rest`, so the terminal can run the line, print
// its output and the next prompt, and only then feed the rest: a pasted block runs line by line, in order, and
// keys typed while a command runs wait their turn instead of being lost.

export interface EditorState {
  /** The line being edited. */
  buffer: string;
  /** Cursor position in `buffer` (UTF-16 index). */
  cursor: number;
  /** Earlier lines, oldest first. */
  history: string[];
  /** Which history line ↑/↓ shows: history.length = the line being typed. */
  histIndex: number;
  /** The typed line, kept while ↑/↓ browse the history. */
  draft: string;
}

export type EditorEvent =
  | { kind: "line"; line: string }
  | { kind: "interrupt" }
  | { kind: "clear" }
  | { kind: "complete"; before: string };

export interface FeedResult {
  state: EditorState;
  /** What to write to the terminal for the editing done (relative to the current cursor). */
  echo: string;
  event?: EditorEvent;
  /** The chunk's unread part, after the event. */
  rest: string;
  /** Control characters that mean nothing to the editor (a binary paste), dropped. */
  ignored: number;
}

export const HISTORY_LIMIT = 1000;

export function emptyEditor(history: string[] = []): EditorState {
  const h = history.slice(-HISTORY_LIMIT);
  return { buffer: "", cursor: 0, history: h, histIndex: h.length, draft: "" };
}

const CSI = "\x1b[";
const left = (n: number) => (n > 0 ? `${CSI}${n}D` : "");
const right = (n: number) => (n > 0 ? `${CSI}${n}C` : "");

/** Escape sequences the editor understands, longest first where one is a prefix of another. */
const KEYS: [string, string][] = [
  ["\x1b[3~", "delete"],
  ["\x1b[1~", "home"],
  ["\x1b[4~", "end"],
  ["\x1b[A", "up"],
  ["\x1b[B", "down"],
  ["\x1b[C", "right"],
  ["\x1b[D", "left"],
  ["\x1b[H", "home"],
  ["\x1b[F", "end"],
  ["\x1bOA", "up"],
  ["\x1bOB", "down"],
  ["\x1bOC", "right"],
  ["\x1bOD", "left"],
  ["\x1bOH", "home"],
  ["\x1bOF", "end"],
  ["\x1b[200~", "paste-start"],
  ["\x1b[201~", "paste-end"],
];

/** Replaces what the terminal shows of the line (from the cursor's column back to the line's start) with `next`. */
function redraw(s: EditorState, next: string, cursor = next.length): string {
  return left(s.cursor) + next + `${CSI}K` + left(next.length - cursor);
}

/**
 * A chunk of more than one character that is not one escape sequence is a paste: its line breaks submit lines,
 * but its control characters and escape sequences are not keys (a binary paste must not press Ctrl-C or ↑): they
 * are dropped and counted, and a tab becomes a space. The terminal passes the flag of the original chunk with its rest.
 */
export function isPaste(chunk: string): boolean {
  return chunk.length > 1 && chunk[0] !== "\x1b";
}

export function feed(state: EditorState, chunk: string, paste = isPaste(chunk)): FeedResult {
  let s = { ...state };
  let echo = "";
  let ignored = 0;
  let i = 0;
  const done = (event?: EditorEvent): FeedResult => ({ state: s, echo, event, rest: chunk.slice(i), ignored });
  while (i < chunk.length) {
    const ch = chunk[i];
    if (paste && ch !== "\r" && ch !== "\n" && (ch < " " || ch === "\x7f")) {
      i++;
      if (ch === "\t") chunk = chunk.slice(0, i - 1) + " " + chunk.slice(i);
      else if (ch === "\x1b") {
        const m = /^(\[[0-9;?]*[@-~]|O.)?/s.exec(chunk.slice(i))!;
        i += m[0].length;
        ignored++;
        continue;
      } else {
        ignored++;
        continue;
      }
      i--;
      continue;
    }
    if (ch === "\x1b") {
      const key = KEYS.find(([seq]) => chunk.startsWith(seq, i));
      if (!key) {
        // an unknown sequence: skip ESC [ params final, or a lone ESC
        const m = /^\x1b(\[[0-9;?]*[@-~]|O.|.)?/s.exec(chunk.slice(i))!;
        i += m[0].length;
        ignored++;
        continue;
      }
      i += key[0].length;
      switch (key[1]) {
        case "left":
          if (s.cursor > 0) (s.cursor--, (echo += left(1)));
          break;
        case "right":
          if (s.cursor < s.buffer.length) (s.cursor++, (echo += right(1)));
          break;
        case "home":
          echo += left(s.cursor);
          s.cursor = 0;
          break;
        case "end":
          echo += right(s.buffer.length - s.cursor);
          s.cursor = s.buffer.length;
          break;
        case "delete":
          if (s.cursor < s.buffer.length) {
            const next = s.buffer.slice(0, s.cursor) + s.buffer.slice(s.cursor + 1);
            echo += redraw(s, next, s.cursor);
            s.buffer = next;
          }
          break;
        case "up":
        case "down": {
          const to = key[1] === "up" ? s.histIndex - 1 : s.histIndex + 1;
          if (to < 0 || to > s.history.length) break;
          if (s.histIndex === s.history.length) s.draft = s.buffer;
          const next = to === s.history.length ? s.draft : s.history[to];
          echo += redraw(s, next);
          s = { ...s, buffer: next, cursor: next.length, histIndex: to };
          break;
        }
        // bracketed paste markers carry nothing for a line editor
      }
      continue;
    }
    i++;
    if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && chunk[i] === "\n") i++; // a pasted CRLF is one line break
      const line = s.buffer;
      echo += right(s.buffer.length - s.cursor) + "\r\n";
      const history = line.trim() && s.history[s.history.length - 1] !== line ? [...s.history, line].slice(-HISTORY_LIMIT) : s.history;
      s = { buffer: "", cursor: 0, history, histIndex: history.length, draft: "" };
      return done({ kind: "line", line });
    }
    if (ch === "\x03") {
      echo += right(s.buffer.length - s.cursor) + "^C\r\n";
      s = { ...s, buffer: "", cursor: 0, histIndex: s.history.length, draft: "" };
      return done({ kind: "interrupt" });
    }
    if (ch === "\x0c") return done({ kind: "clear" });
    if (ch === "\t") return done({ kind: "complete", before: s.buffer.slice(0, s.cursor) });
    if (ch === "\x7f" || ch === "\b") {
      if (s.cursor > 0) {
        const next = s.buffer.slice(0, s.cursor - 1) + s.buffer.slice(s.cursor);
        const tail = s.buffer.slice(s.cursor);
        echo += "\b" + tail + " " + left(tail.length + 1);
        s.buffer = next;
        s.cursor--;
      }
      continue;
    }
    if (ch === "\x01") {
      echo += left(s.cursor);
      s.cursor = 0;
      continue;
    }
    if (ch === "\x05") {
      echo += right(s.buffer.length - s.cursor);
      s.cursor = s.buffer.length;
      continue;
    }
    if (ch === "\x15") {
      // Ctrl-U: kill back to the line's start
      const next = s.buffer.slice(s.cursor);
      echo += redraw(s, next, 0);
      s.buffer = next;
      s.cursor = 0;
      continue;
    }
    if (ch === "\x0b") {
      // Ctrl-K: kill to the line's end
      echo += `${CSI}K`;
      s.buffer = s.buffer.slice(0, s.cursor);
      continue;
    }
    if (ch === "\x17") {
      // Ctrl-W: kill the word before the cursor
      const before = s.buffer.slice(0, s.cursor).replace(/\S+\s*$/, "");
      const next = before + s.buffer.slice(s.cursor);
      echo += redraw(s, next, before.length);
      s.buffer = next;
      s.cursor = before.length;
      continue;
    }
    if (ch < " " || ch === "\x7f" || (ch >= "\x80" && ch < "\xa0")) {
      ignored++;
      continue;
    }
    // printable text: take the whole run at once
    let j = i;
    while (j < chunk.length && chunk[j] >= " " && chunk[j] !== "\x7f" && !(chunk[j] >= "\x80" && chunk[j] < "\xa0")) j++;
    const text = chunk.slice(i - 1, j);
    i = j;
    const tail = s.buffer.slice(s.cursor);
    s.buffer = s.buffer.slice(0, s.cursor) + text + tail;
    s.cursor += text.length;
    echo += text + tail + left(tail.length);
  }
  return done();
}

/** The longest common prefix of words. */
export function commonPrefix(words: string[]): string {
  if (words.length === 0) return "";
  let p = words[0];
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export interface CompletionResult {
  state: EditorState;
  echo: string;
  /** Several candidates and nothing more to insert: list them (then redraw the prompt and the line). */
  list?: string[];
}

/**
 * Applies a completion (`start` in the text before the cursor, its candidates) as bash does: one candidate is
 * inserted with a space after it; several insert their common prefix, or are listed when there is none to add.
 */
export function applyCompletion(s: EditorState, before: string, start: number, candidates: string[]): CompletionResult {
  if (candidates.length === 0 || before !== s.buffer.slice(0, s.cursor)) return { state: s, echo: "\x07" };
  const typed = before.slice(start);
  const insert = candidates.length === 1 ? candidates[0] + (candidates[0].endsWith("/") ? "" : " ") : commonPrefix(candidates);
  if (insert.length <= typed.length || !insert.startsWith(typed)) return candidates.length > 1 ? { state: s, echo: "", list: candidates } : { state: s, echo: "" };
  const add = insert.slice(typed.length);
  const tail = s.buffer.slice(s.cursor);
  return {
    state: { ...s, buffer: before + add + tail, cursor: s.cursor + add.length },
    echo: add + tail + left(tail.length),
  };
}

/** The line as the terminal shows it after a prompt: the buffer, the cursor moved back to its place. */
export function render(s: EditorState): string {
  return s.buffer + left(s.buffer.length - s.cursor);
}

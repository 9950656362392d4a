// Interactive bash's history expansion, done on a typed line before the shell parses it: `!!`, `!n`, `!-n`,
// `!string`, `!?string?`, word designators (`!$`, `!^`, `!*`, `!!:2`, `!ls:1-2`) and `^old^new`. Single quotes and a
// backslash keep a `!` literal; so does a `!` before a blank, `=`, `(` or a closing double quote, `$!`, `${!x}` and
// `[!…]`. A line that names no event in the history is not run: `bash: !app: event not found` — which is why the
// course writes `kubectl get po -l '!app'` with single quotes (in double quotes bash expands it too). Only the
// nodes' interactive bash does this; a pod's sh and scripts do not.

/** The expanded line (`printOnly`: a `:p` modifier, which prints it instead of running it), or bash's error. */
export type Expansion = { line: string; changed: boolean; printOnly?: boolean } | { error: string };

/** Ends an event's search string (bash's history_search_delimiter_chars, plus blanks and `:`). */
const SEARCH_END = new Set([" ", "\t", "\n", ":", ";", "&", "(", ")", "|", "<", ">"]);

/** A history line's words as bash's history_tokenize splits them (quotes kept inside a word). */
export function historyWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const start = i;
    // a run of shell metacharacters is a word of its own
    if (/[;&|<>()]/.test(line[i])) {
      while (i < line.length && /[;&|<>]/.test(line[i]) && line[i] === line[start]) i++;
      if (i === start) i++;
      words.push(line.slice(start, i));
      continue;
    }
    while (i < line.length && !/\s/.test(line[i]) && !/[;&|<>()]/.test(line[i])) {
      const q = line[i];
      if (q === "\\") i += 2;
      else if (q === "'" || q === '"') {
        i++;
        while (i < line.length && line[i] !== q) i += q === '"' && line[i] === "\\" ? 2 : 1;
        i++;
      } else i++;
    }
    words.push(line.slice(start, Math.min(i, line.length)));
  }
  return words;
}

/** `n`, `n-m`, `n-`, `^`, `$`, `*`, `x-y` of a word list; undefined when out of range. */
function selectWords(words: string[], spec: string): string | undefined {
  const last = words.length - 1;
  const num = (s: string) => (s === "^" ? 1 : s === "$" ? last : /^\d+$/.test(s) ? Number(s) : NaN);
  if (spec === "*") return words.slice(1).join(" ");
  const range = /^(\d+|\^|\$)?-(\d+|\^|\$)?$/.exec(spec);
  let from: number, to: number;
  if (range) {
    from = range[1] === undefined ? 0 : num(range[1]);
    to = range[2] === undefined ? last - 1 : num(range[2]);
  } else if (/^\d+\*$/.test(spec)) {
    from = Number(spec.slice(0, -1));
    to = last;
    if (from > last) return "";
  } else from = to = num(spec);
  if (Number.isNaN(from) || Number.isNaN(to) || from < 0 || to > last || from > to) return undefined;
  return words.slice(from, to + 1).join(" ");
}

/** Is the `!` at `i` kept literal by bash (bash_history_inhibit_expansion and history_no_expand_chars)? */
function inhibited(line: string, i: number, inDouble: boolean): boolean {
  const next = line[i + 1];
  if (next === undefined || next === " " || next === "\t" || next === "\n" || next === "\r" || next === "=" || next === "(") return true;
  if (inDouble && next === '"') return true;
  if (i > 0 && line[i - 1] === "[" && line.indexOf("]", i + 1) >= 0) return true;
  if (i > 1 && line[i - 1] === "{" && line[i - 2] === "$" && line.indexOf("}", i + 1) >= 0) return true;
  if (i > 0 && line[i - 1] === "$") return true;
  return false;
}

/** Expands `line` against `history` (the lines before it, oldest first, already expanded). */
export function expandHistory(line: string, history: readonly string[]): Expansion {
  // ^old^new[^]: the previous line with the first old replaced
  if (line.startsWith("^")) {
    const m = /^\^([^^]*)\^([^^]*)\^?(.*)$/s.exec(line);
    const prev = history[history.length - 1];
    if (!m || prev === undefined) return { error: `bash: :s${line}: substitution failed` };
    if (!m[1] || !prev.includes(m[1])) return { error: `bash: :s${line}: substitution failed` };
    return { line: prev.replace(m[1], m[2]) + m[3], changed: true };
  }
  let out = "";
  let changed = false;
  let printOnly = false;
  let inSingle = false;
  let inDouble = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inSingle) {
      out += c;
      if (c === "'") inSingle = false;
      continue;
    }
    if (c === "\\") {
      out += line.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'" && !inDouble) {
      inSingle = true;
      out += c;
      continue;
    }
    if (c === '"') {
      inDouble = !inDouble;
      out += c;
      continue;
    }
    if (c !== "!" || inhibited(line, i, inDouble)) {
      out += c;
      continue;
    }
    // the event
    let j = i + 1;
    let event: string | undefined;
    let designator: string;
    if (line[j] === "!") {
      event = history[history.length - 1];
      j++;
    } else if (line[j] === "$" || line[j] === "^" || line[j] === "*" || line[j] === ":") {
      event = history[history.length - 1];
    } else if (/[-0-9]/.test(line[j])) {
      const m = /^-?\d+/.exec(line.slice(j));
      if (!m) return { error: `bash: ${line.slice(i, j + 1)}: event not found` };
      const n = Number(m[0]);
      event = n > 0 ? history[n - 1] : n < 0 ? history[history.length + n] : undefined;
      j += m[0].length;
    } else if (line[j] === "?") {
      const end = line.indexOf("?", j + 1);
      const stop = end < 0 ? (line.indexOf("\n", j) < 0 ? line.length : line.indexOf("\n", j)) : end;
      const needle = line.slice(j + 1, stop);
      event = [...history].reverse().find((h) => h.includes(needle));
      j = end < 0 ? stop : end + 1;
    } else {
      let k = j;
      while (k < line.length && !SEARCH_END.has(line[k]) && !(inDouble && line[k] === '"')) k++;
      const prefix = line.slice(j, k);
      event = [...history].reverse().find((h) => h.startsWith(prefix));
      j = k;
    }
    designator = line.slice(i, j);
    if (event === undefined) return { error: `bash: ${designator}: event not found` };
    // the word designator
    let text = event;
    const w = /^(?::(\d+\*|(?:\d+|\^|\$)?-(?:\d+|\^|\$)?|\d+|[$^*])|([$^*]))/.exec(line.slice(j));
    if (w) {
      const spec = w[1] ?? w[2];
      const picked = selectWords(historyWords(event), spec === "-" ? "0-" : spec);
      if (picked === undefined) return { error: `bash: ${w[0]}: bad word specifier` };
      text = picked;
      j += w[0].length;
    }
    // modifiers: :p prints instead of running; :h :t :r :e cut a path; :s/old/new/ (:gs every one) substitutes
    for (let m: RegExpExecArray | null; (m = /^:(g?s)(.)/.exec(line.slice(j)) ?? /^:([a-zA-Z&])/.exec(line.slice(j))); ) {
      const mod = m[1];
      if (mod === "s" || mod === "gs") {
        const delim = m[2];
        const rest = line.slice(j + m[0].length);
        const parts = rest.split(delim);
        const [from, to = ""] = parts;
        const used = m[0].length + from.length + 1 + to.length + (parts.length > 2 ? 1 : 0);
        if (!from || !text.includes(from)) return { error: `bash: :${mod}${delim}${from}${delim}${to}${delim}: substitution failed` };
        const repl = to.replaceAll("&", from);
        text = mod === "gs" ? text.replaceAll(from, repl) : text.replace(from, repl);
        j += used;
      } else if (mod === "p") {
        printOnly = true;
        j += 2;
      } else if (mod === "h" || mod === "t" || mod === "r" || mod === "e") {
        const slash = text.lastIndexOf("/");
        const dot = text.lastIndexOf(".");
        if (mod === "h") text = slash > 0 ? text.slice(0, slash) : slash === 0 ? "/" : text;
        else if (mod === "t") text = text.slice(slash + 1);
        else if (mod === "r") text = dot > slash ? text.slice(0, dot) : text;
        else text = dot > slash ? text.slice(dot) : "";
        j += 2;
      } else return { error: `bash: :${mod}: unrecognized history modifier` };
    }
    out += text;
    changed = true;
    i = j - 1;
  }
  return printOnly ? { line: out, changed, printOnly } : { line: out, changed };
}

/**
 * The history bash would hold after these typed lines: each expanded against the ones before it; a line whose
 * expansion failed never ran and is not kept, nor is an empty one.
 */
export function resolvedHistory(typed: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of typed) {
    if (!raw.trim()) continue;
    const x = needsExpansion(raw) ? expandHistory(raw, out) : { line: raw, changed: false };
    if ("error" in x) continue;
    out.push(x.line);
  }
  return out;
}

/**
 * Does this line use the history (a `!` event bash would expand, or a leading `^`)? A `!` in single quotes, before
 * `=` or a blank, and the like needs none, so a caller can skip reading the lines typed before.
 */
export function needsExpansion(line: string): boolean {
  if (!line.includes("!") && !line.startsWith("^")) return false;
  const x = expandHistory(line, []);
  return !("line" in x) || x.changed;
}

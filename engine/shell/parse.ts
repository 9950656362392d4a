// A small bash: the lexer and parser for what students type in the lab terminal. Quoting ('…', "…", \x),
// $VAR / ${VAR} / $? / $(…) / `…` expansions, pipelines, ; && || and newlines, redirections (< > >> 2> 2>&1 &>
// <<EOF <<<), assignments, and the compound commands while/until/for/if and { …; } / ( … ). Errors are bash's
// messages (`bash: syntax error near unexpected token `;'`).

export type Part =
  | { k: "lit"; s: string; q: boolean }
  | { k: "var"; name: string; q: boolean }
  | { k: "sub"; src: string; q: boolean };

export interface Word {
  parts: Part[];
  /** The word as typed (for messages and reserved-word checks). */
  raw: string;
}

export type RedirOp = "<" | ">" | ">>" | "2>" | "2>>" | "2>&1" | ">&2" | "&>" | "<<" | "<<<";
export interface Redir {
  op: RedirOp;
  target?: Word;
  /** Here-document body (for <<). */
  body?: string;
}

export interface SimpleCommand {
  t: "simple";
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirs: Redir[];
}
export interface LoopCommand {
  t: "while" | "until";
  cond: List;
  body: List;
  redirs: Redir[];
}
export interface ForCommand {
  t: "for";
  name: string;
  items: Word[] | undefined;
  body: List;
  redirs: Redir[];
}
export interface IfCommand {
  t: "if";
  branches: { cond: List; body: List }[];
  elseBody?: List;
  redirs: Redir[];
}
export interface GroupCommand {
  t: "group";
  body: List;
  subshell: boolean;
  redirs: Redir[];
}
export type Command = SimpleCommand | LoopCommand | ForCommand | IfCommand | GroupCommand;

export interface Pipeline {
  negate: boolean;
  commands: Command[];
}
export interface AndOr {
  first: Pipeline;
  rest: { op: "&&" | "||"; p: Pipeline }[];
}
export type List = AndOr[];

export class ShellSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShellSyntaxError";
  }
}

type Tok = { t: "word"; w: Word } | { t: "op"; v: string } | { t: "redir"; op: RedirOp } | { t: "nl" } | { t: "eof" };

const OPS = ["&&", "||", ";;", "|", "&", ";", "(", ")"];

function isBlank(c: string): boolean {
  return c === " " || c === "\t" || c === "\r";
}

/** Find the end of a `$(`…`)` starting right after the `(`; returns the index of the closing paren. */
function matchParen(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      if (j < 0) return -1;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "(") depth++;
    if (c === ")") {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

export function lex(src: string, heredocStdin?: string): Tok[] {
  const toks: Tok[] = [];
  const pendingHeredocs: { redir: Redir; delim: string; strip: boolean }[] = [];
  let i = 0;
  let heredocFallbackUsed = false;

  const readVarName = (): string | undefined => {
    const m = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])/.exec(src.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };

  const readDollar = (parts: Part[], q: boolean): boolean => {
    // at src[i] === "$"
    const next = src[i + 1];
    if (next === "(") {
      if (src[i + 2] === "(") throw new ShellSyntaxError("arithmetic expansion $((…)) is not supported in this terminal");
      const end = matchParen(src, i + 2);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
      parts.push({ k: "sub", src: src.slice(i + 2, end), q });
      i = end + 1;
      return true;
    }
    if (next === "{") {
      const end = src.indexOf("}", i + 2);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `}'");
      const name = src.slice(i + 2, end);
      if (!/^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9?#$@*!-])$/.test(name)) throw new ShellSyntaxError(`\${${name}}: bad substitution`);
      parts.push({ k: "var", name, q });
      i = end + 1;
      return true;
    }
    i++;
    const name = readVarName();
    if (name === undefined) {
      parts.push({ k: "lit", s: "$", q });
      return true;
    }
    parts.push({ k: "var", name, q });
    return true;
  };

  const readHeredocBodies = () => {
    // at the start of a line following a newline token
    for (const h of pendingHeredocs) {
      const lines: string[] = [];
      let closed = false;
      while (i < src.length) {
        let end = src.indexOf("\n", i);
        if (end < 0) end = src.length;
        let line = src.slice(i, end);
        i = Math.min(end + 1, src.length);
        if (h.strip) line = line.replace(/^\t+/, "");
        if (line === h.delim) {
          closed = true;
          break;
        }
        lines.push(line);
      }
      h.redir.body = lines.length ? lines.join("\n") + "\n" : "";
      if (!closed && lines.length === 0 && heredocStdin !== undefined) h.redir.body = heredocStdin;
    }
    pendingHeredocs.length = 0;
  };

  while (i < src.length) {
    const c = src[i];
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === "\n") {
      toks.push({ t: "nl" });
      i++;
      if (pendingHeredocs.length) readHeredocBodies();
      continue;
    }
    // redirections
    const rest = src.slice(i);
    const rm = /^(2>&1|>&2|1>&2|&>>|&>|2>>|2>|1>>|1>|>>|>|<<<|<<-|<<|<)/.exec(rest);
    if (rm) {
      let op = rm[1];
      i += op.length;
      if (op === "1>") op = ">";
      if (op === "1>>") op = ">>";
      if (op === "1>&2") op = ">&2";
      if (op === "&>>") op = "&>";
      if (op === "<<" || op === "<<-") {
        while (isBlank(src[i] ?? "")) i++;
        const m = /^(['"]?)([A-Za-z_0-9.-]+)\1/.exec(src.slice(i));
        if (!m) throw new ShellSyntaxError("syntax error near unexpected token `newline'");
        i += m[0].length;
        const redir: Redir = { op: "<<" };
        pendingHeredocs.push({ redir, delim: m[2], strip: op === "<<-" });
        toks.push({ t: "redir", op: "<<" });
        (toks[toks.length - 1] as { heredoc?: Redir }).heredoc = redir;
        continue;
      }
      toks.push({ t: "redir", op: op as RedirOp });
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      if (op === ";;") throw new ShellSyntaxError("syntax error near unexpected token `;;'");
      toks.push({ t: "op", v: op });
      i += op.length;
      continue;
    }
    // a word
    const parts: Part[] = [];
    const start = i;
    while (i < src.length) {
      const ch = src[i];
      if (isBlank(ch) || ch === "\n") break;
      if (";&|()<>".includes(ch)) break;
      if (ch === "\\") {
        if (src[i + 1] === "\n") {
          i += 2;
          continue;
        }
        if (i + 1 < src.length) parts.push({ k: "lit", s: src[i + 1], q: true });
        i += 2;
        continue;
      }
      if (ch === "'") {
        const end = src.indexOf("'", i + 1);
        if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
        parts.push({ k: "lit", s: src.slice(i + 1, end), q: true });
        i = end + 1;
        continue;
      }
      if (ch === '"') {
        i++;
        let buf = "";
        let closed = false;
        parts.push({ k: "lit", s: "", q: true }); // "" is an (empty) quoted word
        while (i < src.length) {
          const d = src[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === "\\" && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1])) {
            if (src[i + 1] !== "\n") buf += src[i + 1];
            i += 2;
            continue;
          }
          if (d === "$") {
            if (buf) parts.push({ k: "lit", s: buf, q: true });
            buf = "";
            readDollar(parts, true);
            continue;
          }
          if (d === "`") {
            const end = src.indexOf("`", i + 1);
            if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching ``'");
            if (buf) parts.push({ k: "lit", s: buf, q: true });
            buf = "";
            parts.push({ k: "sub", src: src.slice(i + 1, end), q: true });
            i = end + 1;
            continue;
          }
          buf += d;
          i++;
        }
        if (!closed) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
        if (buf) parts.push({ k: "lit", s: buf, q: true });
        continue;
      }
      if (ch === "$") {
        readDollar(parts, false);
        continue;
      }
      if (ch === "`") {
        const end = src.indexOf("`", i + 1);
        if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching ``'");
        parts.push({ k: "sub", src: src.slice(i + 1, end), q: false });
        i = end + 1;
        continue;
      }
      let j = i;
      while (j < src.length && !isBlank(src[j]) && !"\n;&|()<>\\'\"$`".includes(src[j])) j++;
      parts.push({ k: "lit", s: src.slice(i, j), q: false });
      i = j;
    }
    toks.push({ t: "word", w: { parts, raw: src.slice(start, i) } });
  }
  if (pendingHeredocs.length) {
    // No body in the text: the caller's stdin is the here-document (the grader's script convention).
    for (const h of pendingHeredocs) {
      h.redir.body = heredocFallbackUsed ? "" : (heredocStdin ?? "");
      heredocFallbackUsed = true;
    }
  }
  toks.push({ t: "eof" });
  return toks;
}

const RESERVED_END = new Set(["do", "done", "then", "fi", "else", "elif", "}", "esac"]);

/** A word that is a plain unquoted literal (reserved words only count then). */
function plain(w: Word): string | undefined {
  if (w.parts.length === 1 && w.parts[0].k === "lit" && !w.parts[0].q) return w.parts[0].s;
  return undefined;
}

class Parser {
  private p = 0;
  constructor(private toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.p];
  }
  private next(): Tok {
    return this.toks[this.p++];
  }
  private tokText(t: Tok): string {
    if (t.t === "word") return t.w.raw;
    if (t.t === "op") return t.v;
    if (t.t === "redir") return t.op;
    return "newline";
  }
  private unexpected(t: Tok): never {
    if (t.t === "eof") throw new ShellSyntaxError("syntax error: unexpected end of file");
    throw new ShellSyntaxError(`syntax error near unexpected token \`${this.tokText(t)}'`);
  }
  private skipNewlines(): void {
    while (this.peek().t === "nl") this.p++;
  }
  private isReserved(t: Tok, words: Set<string> | string): boolean {
    if (t.t !== "word") return false;
    const s = plain(t.w);
    if (s === undefined) return false;
    return typeof words === "string" ? s === words : words.has(s);
  }
  private expectWord(word: string): void {
    this.skipNewlines();
    const t = this.next();
    if (!this.isReserved(t, word)) this.unexpected(t);
  }

  parseProgram(): List {
    const list = this.parseList(new Set());
    const t = this.peek();
    if (t.t !== "eof") this.unexpected(t);
    return list;
  }

  /** A list up to one of `stops` (a reserved word) or `)` / eof. */
  parseList(stops: Set<string>): List {
    const list: List = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === "eof") break;
      if (t.t === "op" && t.v === ")") break;
      if (this.isReserved(t, stops)) break;
      if (t.t === "op" && (t.v === ";" || t.v === "&")) this.unexpected(t);
      list.push(this.parseAndOr(stops));
      const sep = this.peek();
      if (sep.t === "op" && (sep.v === ";" || sep.v === "&")) {
        this.p++;
        continue;
      }
      if (sep.t === "nl") continue;
      break;
    }
    return list;
  }

  private parseAndOr(stops: Set<string>): AndOr {
    const first = this.parsePipeline(stops);
    const rest: AndOr["rest"] = [];
    for (;;) {
      const t = this.peek();
      if (t.t === "op" && (t.v === "&&" || t.v === "||")) {
        this.p++;
        this.skipNewlines();
        rest.push({ op: t.v, p: this.parsePipeline(stops) });
        continue;
      }
      break;
    }
    return { first, rest };
  }

  private parsePipeline(stops: Set<string>): Pipeline {
    let negate = false;
    if (this.isReserved(this.peek(), "!")) {
      this.p++;
      negate = true;
    }
    const commands = [this.parseCommand(stops)];
    while (this.peek().t === "op" && (this.peek() as { v: string }).v === "|") {
      this.p++;
      this.skipNewlines();
      commands.push(this.parseCommand(stops));
    }
    return { negate, commands };
  }

  private parseRedirs(redirs: Redir[]): void {
    while (this.peek().t === "redir") {
      const r = this.next() as Tok & { t: "redir"; heredoc?: Redir };
      if (r.op === "<<") {
        redirs.push(r.heredoc!);
        continue;
      }
      const target = this.peek();
      if (r.op === "2>&1" || r.op === ">&2") {
        redirs.push({ op: r.op });
        continue;
      }
      if (target.t !== "word") this.unexpected(target);
      this.p++;
      redirs.push({ op: r.op, target: target.w });
    }
  }

  private parseCommand(stops: Set<string>): Command {
    const t = this.peek();
    if (t.t === "word") {
      const s = plain(t.w);
      if (s === "while" || s === "until") {
        this.p++;
        const cond = this.parseList(new Set(["do"]));
        this.expectWord("do");
        const body = this.parseList(new Set(["done"]));
        this.expectWord("done");
        const redirs: Redir[] = [];
        this.parseRedirs(redirs);
        if (cond.length === 0) this.unexpected({ t: "word", w: { parts: [], raw: "do" } });
        return { t: s, cond, body, redirs };
      }
      if (s === "for") {
        this.p++;
        const nameTok = this.next();
        if (nameTok.t !== "word" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(plain(nameTok.w) ?? "")) {
          throw new ShellSyntaxError(`\`${nameTok.t === "word" ? nameTok.w.raw : this.tokText(nameTok)}': not a valid identifier`);
        }
        let items: Word[] | undefined;
        const after = this.peek();
        if (this.isReserved(after, "in")) {
          this.p++;
          items = [];
          while (this.peek().t === "word" && !this.isReserved(this.peek(), "do")) items.push((this.next() as { w: Word }).w);
        }
        const sep = this.peek();
        if ((sep.t === "op" && sep.v === ";") || sep.t === "nl") this.p++;
        this.expectWord("do");
        const body = this.parseList(new Set(["done"]));
        this.expectWord("done");
        const redirs: Redir[] = [];
        this.parseRedirs(redirs);
        return { t: "for", name: plain(nameTok.w)!, items, body, redirs };
      }
      if (s === "if") {
        this.p++;
        const branches: IfCommand["branches"] = [];
        let elseBody: List | undefined;
        const cond = this.parseList(new Set(["then"]));
        this.expectWord("then");
        const body = this.parseList(new Set(["elif", "else", "fi"]));
        branches.push({ cond, body });
        for (;;) {
          this.skipNewlines();
          const k = this.next();
          if (this.isReserved(k, "fi")) break;
          if (this.isReserved(k, "elif")) {
            const c2 = this.parseList(new Set(["then"]));
            this.expectWord("then");
            branches.push({ cond: c2, body: this.parseList(new Set(["elif", "else", "fi"])) });
            continue;
          }
          if (this.isReserved(k, "else")) {
            elseBody = this.parseList(new Set(["fi"]));
            this.expectWord("fi");
            break;
          }
          this.unexpected(k);
        }
        const redirs: Redir[] = [];
        this.parseRedirs(redirs);
        return { t: "if", branches, elseBody, redirs };
      }
      if (s === "{") {
        this.p++;
        const body = this.parseList(new Set(["}"]));
        this.expectWord("}");
        const redirs: Redir[] = [];
        this.parseRedirs(redirs);
        return { t: "group", body, subshell: false, redirs };
      }
      if (s !== undefined && (RESERVED_END.has(s) || stops.has(s))) this.unexpected(t);
    }
    if (t.t === "op" && t.v === "(") {
      this.p++;
      const body = this.parseList(new Set());
      const close = this.next();
      if (!(close.t === "op" && close.v === ")")) this.unexpected(close);
      const redirs: Redir[] = [];
      this.parseRedirs(redirs);
      return { t: "group", body, subshell: true, redirs };
    }
    // simple command
    const cmd: SimpleCommand = { t: "simple", assigns: [], words: [], redirs: [] };
    for (;;) {
      const x = this.peek();
      if (x.t === "redir") {
        this.parseRedirs(cmd.redirs);
        continue;
      }
      if (x.t !== "word") break;
      if (cmd.words.length === 0) {
        const first = x.w.parts[0];
        const m = first && first.k === "lit" && !first.q ? /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.s) : null;
        if (m) {
          this.p++;
          const rest: Part[] = [{ k: "lit", s: (first as { s: string }).s.slice(m[0].length), q: false }, ...x.w.parts.slice(1)];
          cmd.assigns.push({ name: m[1], value: { parts: rest, raw: x.w.raw.slice(m[0].length) } });
          continue;
        }
        const s = plain(x.w);
        if (s !== undefined && cmd.words.length === 0 && (RESERVED_END.has(s) || stops.has(s))) break;
      }
      this.p++;
      cmd.words.push(x.w);
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirs.length === 0) this.unexpected(this.peek());
    return cmd;
  }
}

export function parse(src: string, heredocStdin?: string): List {
  return new Parser(lex(src, heredocStdin)).parseProgram();
}

// sed as GNU sed 4.2 (CentOS 7) runs the scripts students write: s/// with flags (g, p, N, i/I) and \U \L \u \l
// \E in the replacement, d, p, q, =, y, a/i/c text, addresses (N, $, /re/, first~step, ranges with addr,N addr,/re/
// addr,+N addr,~N, !), { } groups, -n, -e, -E/-r, -s, -i[SUFFIX]. Other commands and options say clearly that
// kubelab's sed does not support them.
import type { CommandFn, ShellCtx } from "../context.ts";
import { resolvePath } from "../context.ts";
import { isDir, readHostFile, writeHostFile } from "../fs.ts";
import { posixToJs } from "./grep.ts";

type Addr = { line: number } | { last: true } | { re: RegExp } | { first: number; step: number } | { plus: number } | { mult: number };
interface Cmd {
  a1?: Addr;
  a2?: Addr;
  neg: boolean;
  name: string;
  // s
  re?: RegExp;
  rep?: string;
  global?: boolean;
  nth?: number;
  print?: boolean;
  // a/i/c text, y maps
  text?: string;
  from?: string;
  to?: string;
  // { ... }
  block?: Cmd[];
  /** Range state: inside the range since this line. */
  active?: boolean;
  endLine?: number;
}

class SedError extends Error {}

class Parser {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly extended: boolean,
    private readonly expr: number,
  ) {}
  err(msg: string): never {
    throw new SedError(`sed: -e expression #${this.expr}, char ${this.i}: ${msg}`);
  }
  peek(): string {
    return this.s[this.i] ?? "";
  }
  ws(): void {
    while (this.i < this.s.length && /[ \t]/.test(this.s[this.i])) this.i++;
  }
  /** Text up to an unescaped delimiter (escaped delimiters become the delimiter itself). */
  delimited(delim: string, what: string): string {
    let out = "";
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === "\\" && this.s[this.i + 1] === delim) {
        out += delim;
        this.i += 2;
        continue;
      }
      if (c === "\\" && this.i + 1 < this.s.length) {
        out += c + this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (c === delim) {
        this.i++;
        return out;
      }
      if (c === "\n") break;
      out += c;
      this.i++;
    }
    this.i = this.s.length;
    return this.err(`unterminated ${what}`);
  }
  regex(src: string, flags = ""): RegExp {
    try {
      return new RegExp(posixToJs(src, this.extended), flags);
    } catch {
      return this.err("Invalid preceding regular expression");
    }
  }
  number(): number {
    let n = "";
    while (/[0-9]/.test(this.peek())) n += this.s[this.i++];
    return Number(n);
  }
  addr(second = false): Addr | undefined {
    const c = this.peek();
    // GNU's addr1,+N and addr1,~N (second address only)
    if (second && (c === "+" || c === "~")) {
      this.i++;
      const n = /[0-9]/.test(this.peek()) ? this.number() : 0;
      return c === "+" ? { plus: n } : { mult: n };
    }
    if (/[0-9]/.test(c)) {
      const n = this.number();
      // GNU's first~step
      if (this.peek() === "~") {
        this.i++;
        return { first: n, step: /[0-9]/.test(this.peek()) ? this.number() : 0 };
      }
      return { line: n };
    }
    if (c === "$") {
      this.i++;
      return { last: true };
    }
    if (c === "/" || c === "\\") {
      this.i++;
      const delim = c === "\\" ? this.s[this.i++] : "/";
      const src = this.delimited(delim, "address regex");
      let flags = "";
      if (this.peek() === "I") {
        flags = "i";
        this.i++;
      }
      return { re: this.regex(src, flags) };
    }
    return undefined;
  }
  script(inBlock = false): Cmd[] {
    const out: Cmd[] = [];
    for (;;) {
      while (this.i < this.s.length && /[ \t\n;]/.test(this.s[this.i])) this.i++;
      if (this.i >= this.s.length) {
        if (inBlock) this.err("unmatched `{'");
        return out;
      }
      if (this.peek() === "}") {
        if (!inBlock) {
          this.i++;
          this.err("unexpected `}'");
        }
        this.i++;
        return out;
      }
      out.push(this.command());
    }
  }
  command(): Cmd {
    const cmd: Cmd = { neg: false, name: "" };
    cmd.a1 = this.addr();
    if (cmd.a1 && this.peek() === ",") {
      this.i++;
      cmd.a2 = this.addr(true);
      if (!cmd.a2) this.err("unexpected `,'");
    }
    this.ws();
    if (this.peek() === "!") {
      cmd.neg = true;
      this.i++;
      this.ws();
    }
    const name = this.s[this.i++] ?? "";
    cmd.name = name;
    // line 0 only starts a 0,/re/ range (GNU says so once it has read the command)
    if (cmd.a1 && "line" in cmd.a1 && cmd.a1.line === 0 && !(cmd.a2 && "re" in cmd.a2)) this.err("invalid usage of line address 0");
    switch (name) {
      case "{":
        cmd.block = this.script(true);
        return cmd;
      case "d":
      case "p":
      case "=":
      case "q":
      case "Q":
      case "D":
      case "P":
      case "N":
      case "n":
      case "h":
      case "H":
      case "g":
      case "G":
      case "x":
        if (!"dp=qQn".includes(name)) this.err(`kubelab's sed does not support the \`${name}' command`);
        this.end();
        return cmd;
      case "s": {
        const delim = this.s[this.i++];
        if (!delim || delim === "\n" || delim === "\\") this.err("unterminated `s' command");
        const src = this.delimited(delim, "`s' command");
        const rep = this.delimited(delim, "`s' command");
        let flags = "";
        cmd.global = false;
        for (;;) {
          const f = this.peek();
          if (f === "g") cmd.global = true;
          else if (f === "p") cmd.print = true;
          else if (f === "i" || f === "I") flags += "i";
          else if (/[0-9]/.test(f)) {
            let n = "";
            while (/[0-9]/.test(this.peek())) n += this.s[this.i++];
            cmd.nth = Number(n);
            continue;
          } else if (f === "m" || f === "M" || f === "e" || f === "w") this.err(`kubelab's sed does not support the \`${f}' flag of \`s'`);
          else break;
          this.i++;
        }
        cmd.re = this.regex(src, "g" + flags);
        cmd.rep = rep;
        this.end("unknown option to `s'");
        return cmd;
      }
      case "y": {
        const delim = this.s[this.i++];
        const from = this.delimited(delim, "`y' command").replace(/\\\\/g, "\\");
        const to = this.delimited(delim, "`y' command").replace(/\\\\/g, "\\");
        if ([...from].length !== [...to].length) this.err("strings for `y' command are different lengths");
        cmd.from = from;
        cmd.to = to;
        this.end();
        return cmd;
      }
      case "a":
      case "i":
      case "c": {
        // GNU one-liner form: `a text`, `a\` newline text.
        if (this.s.startsWith("\\\n", this.i)) this.i += 2;
        else if (this.peek() === "\\") this.i++;
        else this.ws();
        let text = "";
        while (this.i < this.s.length && this.s[this.i] !== "\n") {
          if (this.s[this.i] === "\\" && this.i + 1 < this.s.length) {
            text += this.s[this.i + 1] === "n" ? "\n" : this.s[this.i + 1];
            this.i += 2;
            continue;
          }
          text += this.s[this.i++];
        }
        cmd.text = text;
        return cmd;
      }
      case "":
        return this.err("missing command");
      default:
        if ("bBtTrRwWlLzFevu#:".includes(name)) this.err(`kubelab's sed does not support the \`${name}' command`);
        return this.err(`unknown command: \`${name}'`);
    }
  }
  end(msg = "extra characters after command"): void {
    this.ws();
    const c = this.peek();
    if (c === "" || c === ";" || c === "\n" || c === "}") return;
    this.i++;
    this.err(msg);
  }
}

/**
 * The replacement text of one match: & the match, \1..\9 groups, \n newline, \t tab, and GNU's case conversions:
 * \U and \L up to \E (or the next of them), \u and \l for the next character.
 */
function expand(rep: string, m: RegExpExecArray): string {
  let out = "";
  let mode: "" | "U" | "L" = "";
  let once: "" | "u" | "l" = "";
  const emit = (text: string) => {
    if (!text) return;
    const conv = (t: string) => (mode === "U" ? t.toUpperCase() : mode === "L" ? t.toLowerCase() : t);
    if (once) {
      const [first, ...rest] = [...text];
      out += (once === "u" ? first.toUpperCase() : first.toLowerCase()) + conv(rest.join(""));
      once = "";
    } else out += conv(text);
  };
  for (let i = 0; i < rep.length; i++) {
    const c = rep[i];
    if (c === "&") emit(m[0]);
    else if (c === "\\" && i + 1 < rep.length) {
      const n = rep[++i];
      if (/[0-9]/.test(n)) emit(m[Number(n)] ?? "");
      else if (n === "U" || n === "L") [mode, once] = [n, ""];
      else if (n === "E") [mode, once] = ["", ""];
      else if (n === "u" || n === "l") once = n;
      else emit(n === "n" ? "\n" : n === "t" ? "\t" : n);
    } else emit(c);
  }
  return out;
}

function substitute(cmd: Cmd, line: string): { text: string; done: boolean } {
  const re = cmd.re!;
  re.lastIndex = 0;
  let out = "";
  let last = 0;
  let count = 0;
  let done = false;
  let m: RegExpExecArray | null;
  let prevEnd = -1;
  while ((m = re.exec(line))) {
    // as GNU's: an empty match right where the previous match ended is no match (s/l*/X/g on hello: XhXeXoX)
    if (m[0] === "" && m.index === prevEnd) {
      re.lastIndex++;
      if (re.lastIndex > line.length) break;
      continue;
    }
    prevEnd = m.index + m[0].length;
    count++;
    const want = cmd.nth ? count === cmd.nth || (cmd.global && count > cmd.nth) : true;
    if (want) {
      out += line.slice(last, m.index) + expand(cmd.rep!, m);
      last = m.index + m[0].length;
      done = true;
      if (!cmd.global) break;
    }
    if (m[0] === "") re.lastIndex++;
  }
  return { text: done ? out + line.slice(last) : line, done };
}

interface Run {
  /** The next input line (advancing the line number), or undefined at the end. */
  next(): string | undefined;
  quiet: boolean;
  out: string;
  quit?: boolean;
  lineNo: number;
  isLast: boolean;
  /** Output; GNU first writes the line end a last line lacked when anything follows it ($a, p then the line). */
  write(text: string): void;
  /** The pattern space as a line: without a line end when it is the input's last line and that had none. */
  print(ps: string): void;
}

function matches(a: Addr, line: string, r: Run): boolean {
  if ("line" in a) return r.lineNo === a.line;
  if ("last" in a) return r.isLast;
  if ("step" in a) return a.step > 0 ? r.lineNo >= a.first && (r.lineNo - a.first) % a.step === 0 : r.lineNo === a.first;
  if ("plus" in a || "mult" in a) return false;
  a.re.lastIndex = 0;
  return a.re.test(line);
}

function selected(cmd: Cmd, line: string, r: Run): boolean {
  let sel: boolean;
  if (!cmd.a1) sel = true;
  else if (!cmd.a2) sel = matches(cmd.a1, line, r);
  else if (cmd.active) {
    const a2 = cmd.a2;
    const ends = cmd.endLine !== undefined ? r.lineNo >= cmd.endLine : matches(a2, line, r);
    if (ends) cmd.active = false;
    sel = true;
  } else if (matches(cmd.a1, line, r) || ("line" in cmd.a1 && cmd.a1.line === 0 && r.lineNo === 1)) {
    sel = true;
    const a2 = cmd.a2;
    // A numeric end (N, +N, the next multiple of N past this line, as GNU's) at or before the start line closes the
    // range at once; 0,/re/
    // may end on line 1 itself.
    cmd.endLine = "line" in a2 ? a2.line : "plus" in a2 ? r.lineNo + a2.plus : "mult" in a2 ? (a2.mult > 0 ? (Math.floor(r.lineNo / a2.mult) + 1) * a2.mult : r.lineNo) : undefined;
    if ("line" in cmd.a1 && cmd.a1.line === 0 && "re" in a2) cmd.active = !matches(a2, line, r);
    else cmd.active = cmd.endLine !== undefined ? cmd.endLine > r.lineNo : !("last" in a2 && r.isLast);
  } else sel = false;
  return cmd.neg ? !sel : sel;
}

/** Runs the commands on one pattern space; false when the cycle ended early (d). */
function exec(cmds: Cmd[], state: { ps: string; append: string[] }, r: Run): boolean {
  for (const cmd of cmds) {
    if (!selected(cmd, state.ps, r)) continue;
    switch (cmd.name) {
      case "{":
        if (!exec(cmd.block!, state, r)) return false;
        break;
      case "d":
        return false;
      case "p":
        r.print(state.ps);
        break;
      case "=":
        r.write(`${r.lineNo}\n`);
        break;
      case "q":
        r.quit = true;
        return true;
      case "n": {
        if (!r.quiet) r.print(state.ps);
        const next = r.next();
        if (next === undefined) {
          r.quit = true;
          state.ps = "";
          return false;
        }
        state.ps = next;
        break;
      }
      case "Q":
        r.quit = true;
        state.ps = "\0quit";
        return false;
      case "s": {
        const s = substitute(cmd, state.ps);
        state.ps = s.text;
        if (s.done && cmd.print) r.print(state.ps);
        break;
      }
      case "y": {
        const from = [...cmd.from!];
        const to = [...cmd.to!];
        state.ps = [...state.ps].map((ch) => (from.includes(ch) ? to[from.indexOf(ch)] : ch)).join("");
        break;
      }
      case "a":
        state.append.push(cmd.text!);
        break;
      case "i":
        r.write(cmd.text + "\n");
        break;
      case "c":
        if (!cmd.a2 || !cmd.active) r.write(cmd.text + "\n");
        return false;
    }
  }
  return true;
}

function runScript(cmds: Cmd[], text: string, quiet: boolean): { out: string; quit: boolean } {
  const ls = text === "" ? [] : text.split("\n");
  const trailingNewline = ls.length > 0 && ls[ls.length - 1] === "";
  if (trailingNewline) ls.pop();
  let i = 0;
  const r: Run = {
    quiet,
    out: "",
    lineNo: 0,
    isLast: false,
    write(text) {
      if (r.out && !r.out.endsWith("\n")) r.out += "\n";
      r.out += text;
    },
    print(ps) {
      r.write(ps + (r.isLast && !trailingNewline ? "" : "\n"));
    },
    next() {
      if (i + 1 >= ls.length) return undefined;
      i++;
      r.lineNo = i + 1;
      r.isLast = i === ls.length - 1;
      return ls[i];
    },
  };
  for (; i < ls.length && !r.quit; i++) {
    r.lineNo = i + 1;
    r.isLast = i === ls.length - 1;
    const state = { ps: ls[i], append: [] as string[] };
    const keep = exec(cmds, state, r);
    if (keep && !quiet) r.print(state.ps);
    for (const a of state.append) r.write(a + "\n");
  }
  return { out: r.out, quit: !!r.quit };
}

const USAGE = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...\n";

export const sed: CommandFn = (ctx: ShellCtx, argv, io) => {
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let extended = false;
  let inPlace: string | undefined;
  let separate = false;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-n" || a === "--quiet" || a === "--silent") quiet = true;
    else if (a === "-E" || a === "-r" || a === "--regexp-extended") extended = true;
    else if (a === "-e" || a === "--expression") {
      if (i + 1 >= args.length) return { stdout: "", stderr: `sed: option requires an argument -- 'e'\n${USAGE}`, code: 1 };
      scripts.push(args[++i]);
    } else if (a.startsWith("--expression=")) scripts.push(a.slice(13));
    else if (a.startsWith("-i") || a.startsWith("--in-place")) inPlace = a.startsWith("-i") ? a.slice(2) : a.includes("=") ? a.slice(a.indexOf("=") + 1) : "";
    else if (a === "-s" || a === "--separate") separate = true;
    else if (/^-[nErs]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === "n") quiet = true;
        else if (f === "E" || f === "r") extended = true;
        else if (f === "s") separate = true;
      }
    } else if (/^-[nEr]*i/.test(a)) {
      for (const f of a.slice(1, a.indexOf("i"))) {
        if (f === "n") quiet = true;
        else extended = true;
      }
      inPlace = a.slice(a.indexOf("i") + 1);
    } else if (a.startsWith("-") && a !== "-") {
      return { stdout: "", stderr: `sed: kubelab's sed does not support the option ${a}\n${USAGE}`, code: 1 };
    } else files.push(a);
  }
  if (!scripts.length) {
    if (!files.length) return { stdout: "", stderr: USAGE, code: 1 };
    scripts.push(files.shift()!);
  }
  let cmds: Cmd[];
  try {
    cmds = scripts.flatMap((s, n) => new Parser(s, extended, n + 1).script());
  } catch (e) {
    if (e instanceof SedError) return { stdout: "", stderr: e.message + "\n", code: 1 };
    throw e;
  }
  const fresh = () => {
    for (const c of walk(cmds)) {
      delete c.active;
      delete c.endLine;
    }
    return cmds;
  };
  if (inPlace !== undefined) {
    if (!files.length) return { stdout: "", stderr: "sed: no input files\n", code: 1 };
    let err = "";
    for (const f of files) {
      const p = resolvePath(ctx.st.cwd, f);
      const text = readHostFile(ctx, p);
      if (text === undefined) {
        err += isDir(ctx, p) ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: can't read ${f}: No such file or directory\n`;
        continue;
      }
      if (inPlace) writeHostFile(ctx, p + inPlace, text);
      writeHostFile(ctx, p, runScript(fresh(), text, quiet).out);
    }
    return { stdout: "", stderr: err, code: err ? 2 : 0 };
  }
  // The inputs, one text each; without -s they are one stream, a file without a last line end ending its line there.
  const texts: string[] = [];
  let err = "";
  if (!files.length) texts.push(io.stdin ?? "");
  for (const f of files) {
    if (f === "-") {
      texts.push(io.stdin ?? "");
      continue;
    }
    const p = resolvePath(ctx.st.cwd, f);
    const content = readHostFile(ctx, p);
    if (content === undefined) err += isDir(ctx, p) ? `sed: read error on ${f}: Is a directory\n` : `sed: can't read ${f}: No such file or directory\n`;
    else texts.push(content);
  }
  let stdout = "";
  if (separate)
    for (const t of texts) {
      const r = runScript(fresh(), t, quiet);
      stdout += (stdout && !stdout.endsWith("\n") && r.out ? "\n" : "") + r.out;
      if (r.quit) break;
    }
  else stdout = runScript(fresh(), texts.reduce((all, t) => all + (all && !all.endsWith("\n") && t ? "\n" : "") + t, ""), quiet).out;
  return { stdout, stderr: err, code: err ? 2 : 0 };
};

function* walk(cmds: Cmd[]): Generator<Cmd> {
  for (const c of cmds) {
    yield c;
    if (c.block) yield* walk(c.block);
  }
}

// The text tools students pipe kubectl and curl output into: grep, awk '{print $N}', head, tail, wc, sort, uniq,
// cut, tr, plus cat/echo/ls/cd and friends. Messages follow GNU coreutils/grep/gawk on CentOS 7.
import type { CmdIO, CmdResult, CommandFn, ShellCtx } from "./context.ts";
import { fail, ok, resolvePath, hostName, podHost } from "./context.ts";
import { isDir, listDir, readHostFile, writeHostFile } from "./fs.ts";

function lines(text: string): string[] {
  if (text === "") return [];
  const ls = text.split("\n");
  if (ls[ls.length - 1] === "") ls.pop();
  return ls;
}
function unlines(ls: string[]): string {
  return ls.length ? ls.join("\n") + "\n" : "";
}

/** Read the named files (or stdin) as one text; errors in GNU style for `tool`. */
function inputs(ctx: ShellCtx, tool: string, files: string[], io: CmdIO): { text: string; err: string; bad: boolean } {
  if (files.length === 0 || (files.length === 1 && files[0] === "-")) return { text: io.stdin ?? "", err: "", bad: false };
  let text = "";
  let err = "";
  let bad = false;
  for (const f of files) {
    if (f === "-") {
      text += io.stdin ?? "";
      continue;
    }
    const p = resolvePath(ctx.st.cwd, f);
    const content = readHostFile(ctx, p);
    if (content === undefined) {
      bad = true;
      err += isDir(ctx, p) ? `${tool}: ${f}: Is a directory\n` : `${tool}: ${f}: No such file or directory\n`;
      continue;
    }
    text += content;
  }
  return { text, err, bad };
}

const echo: CommandFn = (_ctx, argv) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes("n")) newline = false;
    if (args[0].includes("e")) escapes = true;
    if (args[0].includes("E")) escapes = false;
    args = args.slice(1);
  }
  let s = args.join(" ");
  if (escapes) s = s.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
  return ok(s + (newline ? "\n" : ""));
};

const printf: CommandFn = (_ctx, argv) => {
  if (argv.length < 2) return fail("printf: usage: printf [-v var] format [arguments]", 2);
  const fmt = argv[1];
  const args = argv.slice(2);
  let out = "";
  let ai = 0;
  do {
    out += fmt
      .replace(/%([-0-9]*)([sd%])/g, (_m, width: string, conv: string) => {
        if (conv === "%") return "%";
        const v = args[ai++] ?? (conv === "d" ? "0" : "");
        const w = Number(width.replace("-", "")) || 0;
        return width.startsWith("-") ? v.padEnd(w) : v.padStart(w);
      })
      .replace(/\\n/g, "\n")
      .replace(/\\t/g, "\t");
  } while (ai < args.length && /%[-0-9]*[sd]/.test(fmt));
  return ok(out);
};

const cat: CommandFn = (ctx, argv, io) => {
  const files = argv.slice(1).filter((a) => a === "-" || !a.startsWith("-"));
  const r = inputs(ctx, "cat", files, io);
  return { stdout: r.text, stderr: r.err, code: r.bad ? 1 : 0 };
};

const tee: CommandFn = (ctx, argv, io) => {
  const append = argv.includes("-a");
  for (const f of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const p = resolvePath(ctx.st.cwd, f);
    writeHostFile(ctx, p, (append ? (readHostFile(ctx, p) ?? "") : "") + (io.stdin ?? ""));
  }
  return ok(io.stdin ?? "");
};

const ls: CommandFn = (ctx, argv) => {
  const long = argv.some((a) => /^-[a-zA-Z]*l/.test(a));
  const targets = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (targets.length === 0) targets.push(".");
  let out = "";
  let err = "";
  for (const t of targets) {
    const p = resolvePath(ctx.st.cwd, t);
    if (isDir(ctx, p)) {
      const names = listDir(ctx, p);
      if (targets.length > 1) out += `${t}:\n`;
      if (long) {
        out += `total ${names.length * 4}\n`;
        for (const n of names) {
          const full = (p === "/" ? "" : p) + "/" + n;
          const dir = isDir(ctx, full) && readHostFile(ctx, full) === undefined;
          const size = dir ? 4096 : (readHostFile(ctx, full) ?? "").length;
          out += `${dir ? "drwxr-xr-x. 2" : "-rw-r--r--. 1"} root root ${String(size).padStart(5)} Dec  5 16:00 ${n}\n`;
        }
      } else if (names.length) out += names.join("  ") + "\n";
    } else if (readHostFile(ctx, p) !== undefined) {
      out += `${t}\n`;
    } else {
      err += `ls: cannot access ${t}: No such file or directory\n`;
    }
  }
  return { stdout: out, stderr: err, code: err ? 2 : 0 };
};

const cd: CommandFn = (ctx, argv) => {
  const target = argv[1] ?? "/root";
  const p = resolvePath(ctx.st.cwd, target === "-" ? "/root" : target);
  if (!isDir(ctx, p)) {
    if (readHostFile(ctx, p) !== undefined) return fail(`bash: cd: ${target}: Not a directory`);
    return fail(`bash: cd: ${target}: No such file or directory`);
  }
  ctx.st.cwd = p;
  return ok();
};

const pwd: CommandFn = (ctx) => ok(ctx.st.cwd + "\n");

const mkdir: CommandFn = (ctx, argv) => {
  for (const d of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const p = resolvePath(ctx.st.cwd, d);
    if (!isDir(ctx, p)) writeHostFile(ctx, p + "/.keep", "");
  }
  return ok();
};

const rm: CommandFn = (ctx, argv) => {
  let err = "";
  for (const f of argv.slice(1).filter((a) => !a.startsWith("-"))) {
    const p = resolvePath(ctx.st.cwd, f);
    if (readHostFile(ctx, p) === undefined || ctx.c.readFile(p, ctx.st.host) === undefined) {
      if (!argv.some((a) => /^-[a-zA-Z]*f/.test(a))) err += `rm: cannot remove '${f}': No such file or directory\n`;
      continue;
    }
    const files = ctx.c.state.files[ctx.st.host];
    if (files) delete files[p];
  }
  return { stdout: "", stderr: err, code: err ? 1 : 0 };
};

// ---- grep ----

const POSIX_CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
};

/** Translate a POSIX basic/extended regular expression to a JavaScript one. */
export function posixToJs(re: string, extended: boolean): string {
  let out = "";
  let i = 0;
  while (i < re.length) {
    const c = re[i];
    if (c === "[") {
      // bracket expression: copy through, translating [:class:]
      let j = i + 1;
      let cls = "[";
      if (re[j] === "^") {
        cls += "^";
        j++;
      }
      if (re[j] === "]") {
        cls += "\\]";
        j++;
      }
      while (j < re.length && re[j] !== "]") {
        const m = /^\[:([a-z]+):\]/.exec(re.slice(j));
        if (m) {
          cls += POSIX_CLASSES[m[1]] ?? "";
          j += m[0].length;
          continue;
        }
        if (re[j] === "\\") cls += "\\\\";
        else cls += re[j];
        j++;
      }
      out += cls + "]";
      i = j + 1;
      continue;
    }
    if (c === "\\") {
      const n = re[i + 1] ?? "";
      if (!extended && "|(){}+?".includes(n)) out += n;
      else if (n === "<" || n === ">") out += "\\b";
      else out += "\\" + n;
      i += 2;
      continue;
    }
    if (!extended && "|(){}+?".includes(c)) {
      out += "\\" + c;
      i++;
      continue;
    }
    if (c === "/") {
      out += "\\/";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const grep: CommandFn = (ctx, argv, io) => {
  let invert = false,
    icase = false,
    extended = argv[0] === "egrep",
    fixed = argv[0] === "fgrep",
    count = false,
    number = false,
    only = false,
    quiet = false,
    word = false,
    filesWithMatches = false;
  const patterns: string[] = [];
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-e" || a === "--regexp") {
      if (i + 1 >= args.length) return fail("grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.", 2);
      patterns.push(args[++i]);
      continue;
    }
    if (a.startsWith("--")) {
      const long: Record<string, () => void> = {
        "--invert-match": () => (invert = true),
        "--ignore-case": () => (icase = true),
        "--extended-regexp": () => (extended = true),
        "--fixed-strings": () => (fixed = true),
        "--count": () => (count = true),
        "--line-number": () => (number = true),
        "--only-matching": () => (only = true),
        "--quiet": () => (quiet = true),
        "--silent": () => (quiet = true),
        "--word-regexp": () => (word = true),
        "--color": () => {},
        "--color=auto": () => {},
        "--color=never": () => {},
        "--color=always": () => {},
      };
      const f = long[a];
      if (!f) return fail(`grep: unrecognized option '${a}'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.`, 2);
      f();
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (const ch of a.slice(1)) {
        switch (ch) {
          case "v": invert = true; break;
          case "i": icase = true; break;
          case "E": extended = true; break;
          case "F": fixed = true; break;
          case "G": extended = false; break;
          case "c": count = true; break;
          case "n": number = true; break;
          case "o": only = true; break;
          case "q": quiet = true; break;
          case "w": word = true; break;
          case "l": filesWithMatches = true; break;
          case "s": case "h": case "H": break;
          default:
            return fail(`grep: invalid option -- '${ch}'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.`, 2);
        }
      }
      continue;
    }
    if (patterns.length === 0 && !args.slice(0, i).some((x) => x === "-e")) patterns.push(a);
    else files.push(a);
  }
  if (patterns.length === 0) return fail("Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.", 2);
  let res: RegExp[];
  try {
    res = patterns.map((p) => {
      let src = fixed ? p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : posixToJs(p, extended);
      if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      return new RegExp(src, icase ? "gi" : "g");
    });
  } catch {
    return fail(extended ? "grep: Unmatched ( or \\(" : "grep: Unmatched [ or [^", 2);
  }
  const r = inputs(ctx, "grep", files, io);
  const out: string[] = [];
  let matches = 0;
  const multi = files.length > 1;
  const ls = lines(r.text);
  ls.forEach((line, idx) => {
    const hit = res.some((re) => {
      re.lastIndex = 0;
      return re.test(line);
    });
    if (hit === invert) return;
    matches++;
    if (only && !invert) {
      for (const re of res) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0]) out.push((number ? `${idx + 1}:` : "") + m[0]);
      }
      return;
    }
    out.push((multi ? "(standard input):" : "") + (number ? `${idx + 1}:` : "") + line);
  });
  const code = r.bad && matches === 0 ? 2 : matches > 0 ? 0 : 1;
  if (quiet) return { stdout: "", stderr: r.err, code };
  if (filesWithMatches) return { stdout: matches ? "(standard input)\n" : "", stderr: r.err, code };
  if (count) return { stdout: `${matches}\n`, stderr: r.err, code };
  return { stdout: unlines(out), stderr: r.err, code };
};

// ---- awk (the subset students use: print of fields, patterns, -F) ----

type AwkExpr = (f: string[], nr: number, line: string) => string;

function awkProgram(src: string): { pattern?: (f: string[], nr: number, line: string) => boolean; action?: AwkExpr[]; begin?: boolean; end?: boolean }[] {
  const rules: { pattern?: (f: string[], nr: number, line: string) => boolean; action?: AwkExpr[]; begin?: boolean; end?: boolean }[] = [];
  let i = 0;
  const s = src.trim();
  const skipWs = () => {
    while (i < s.length && /[\s;]/.test(s[i])) i++;
  };
  const parseValue = (): AwkExpr => {
    skipWs();
    if (s[i] === '"') {
      let j = i + 1;
      let str = "";
      while (j < s.length && s[j] !== '"') {
        if (s[j] === "\\" && s[j + 1] === "t") {
          str += "\t";
          j += 2;
          continue;
        }
        if (s[j] === "\\" && s[j + 1] === "n") {
          str += "\n";
          j += 2;
          continue;
        }
        str += s[j++];
      }
      if (s[j] !== '"') throw new Error("unterminated string");
      i = j + 1;
      return () => str;
    }
    if (s[i] === "$") {
      i++;
      if (s.startsWith("NF", i)) {
        i += 2;
        return (f) => (f.length > 1 ? f[f.length - 1] : "");
      }
      if (s[i] === "(") {
        const m = /^\(NF\s*-\s*(\d+)\)/.exec(s.slice(i));
        if (!m) throw new Error("unsupported");
        i += m[0].length;
        const off = Number(m[1]);
        return (f) => f[f.length - 1 - off] ?? "";
      }
      const m = /^\d+/.exec(s.slice(i));
      if (!m) throw new Error("bad field");
      i += m[0].length;
      const n = Number(m[0]);
      return (f, _nr, line) => (n === 0 ? line : (f[n] ?? ""));
    }
    if (s.startsWith("NR", i)) {
      i += 2;
      return (_f, nr) => String(nr);
    }
    if (s.startsWith("NF", i)) {
      i += 2;
      return (f) => String(f.length - 1);
    }
    const m = /^-?\d+(\.\d+)?/.exec(s.slice(i));
    if (m) {
      i += m[0].length;
      return () => m[0];
    }
    throw new Error("syntax");
  };
  const parseConcat = (): AwkExpr => {
    const parts: AwkExpr[] = [parseValue()];
    for (;;) {
      const save = i;
      skipWsNoSemi();
      if (i >= s.length || s[i] === "," || s[i] === "}" || s[i] === ";" || s[i] === ")" || /[=!<>~]/.test(s[i])) {
        i = save;
        break;
      }
      try {
        parts.push(parseValue());
      } catch {
        i = save;
        break;
      }
    }
    return (f, nr, line) => parts.map((p) => p(f, nr, line)).join("");
  };
  const skipWsNoSemi = () => {
    while (i < s.length && /[ \t]/.test(s[i])) i++;
  };
  const parseCond = (): ((f: string[], nr: number, line: string) => boolean) => {
    skipWs();
    if (s[i] === "/") {
      const j = s.indexOf("/", i + 1);
      if (j < 0) throw new Error("regex");
      const re = new RegExp(posixToJs(s.slice(i + 1, j), true));
      i = j + 1;
      return (_f, _nr, line) => re.test(line);
    }
    const left = parseConcat();
    skipWsNoSemi();
    const m = /^(==|!=|>=|<=|>|<|~|!~)/.exec(s.slice(i));
    if (!m) return (f, nr, line) => {
      const v = left(f, nr, line);
      return v !== "" && v !== "0";
    };
    i += m[0].length;
    skipWsNoSemi();
    if (m[0] === "~" || m[0] === "!~") {
      if (s[i] !== "/") throw new Error("regex");
      const j = s.indexOf("/", i + 1);
      const re = new RegExp(posixToJs(s.slice(i + 1, j), true));
      i = j + 1;
      return (f, nr, line) => re.test(left(f, nr, line)) === (m[0] === "~");
    }
    const right = parseConcat();
    return (f, nr, line) => {
      const a = left(f, nr, line);
      const b = right(f, nr, line);
      const na = Number(a), nb = Number(b);
      const numeric = a !== "" && b !== "" && !Number.isNaN(na) && !Number.isNaN(nb);
      const cmp = numeric ? na - nb : a < b ? -1 : a > b ? 1 : 0;
      switch (m[0]) {
        case "==": return cmp === 0;
        case "!=": return cmp !== 0;
        case ">": return cmp > 0;
        case "<": return cmp < 0;
        case ">=": return cmp >= 0;
        default: return cmp <= 0;
      }
    };
  };
  const parseAction = (): AwkExpr[] => {
    // at "{"
    i++;
    skipWs();
    const exprs: AwkExpr[] = [];
    if (s[i] === "}") {
      i++;
      return [(_f, _nr, line) => line];
    }
    if (!s.startsWith("print", i)) throw new Error("unsupported statement");
    i += 5;
    skipWsNoSemi();
    if (s[i] === "}" || s[i] === ";") exprs.push((_f, _nr, line) => line);
    else {
      exprs.push(parseConcat());
      for (;;) {
        skipWsNoSemi();
        if (s[i] === ",") {
          i++;
          exprs.push(parseConcat());
          continue;
        }
        break;
      }
    }
    skipWs();
    if (s[i] !== "}") throw new Error("syntax");
    i++;
    return exprs;
  };
  while (i < s.length) {
    skipWs();
    if (i >= s.length) break;
    let begin = false, end = false;
    let pattern: ((f: string[], nr: number, line: string) => boolean) | undefined;
    if (s.startsWith("BEGIN", i)) {
      begin = true;
      i += 5;
    } else if (s.startsWith("END", i)) {
      end = true;
      i += 3;
    } else if (s[i] !== "{") pattern = parseCond();
    skipWs();
    let action: AwkExpr[] | undefined;
    if (s[i] === "{") action = parseAction();
    rules.push({ pattern, action, begin, end });
  }
  return rules;
}

const awk: CommandFn = (ctx, argv, io) => {
  let fs: string | undefined;
  const args = argv.slice(1);
  let prog: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-F") {
      fs = args[++i];
      continue;
    }
    if (a.startsWith("-F")) {
      fs = a.slice(2);
      continue;
    }
    if (prog === undefined) prog = a;
    else files.push(a);
  }
  if (prog === undefined) return fail("usage: awk [POSIX or GNU style options] -f progfile [--] file ...\nusage: awk [POSIX or GNU style options] [--] 'program' file ...", 2);
  let rules;
  try {
    rules = awkProgram(prog);
  } catch {
    return fail(`awk: cmd. line:1: ${prog}\nawk: cmd. line:1: ^ syntax error (kubelab's awk knows print, $N, $NF, NR, NF, /re/ and comparisons)`, 1);
  }
  const r = inputs(ctx, "awk", files, io);
  let out = "";
  const run = (rule: (typeof rules)[number], f: string[], nr: number, line: string) => {
    const exprs = rule.action ?? [(_f: string[], _nr: number, l: string) => l];
    out += exprs.map((e) => e(f, nr, line)).join(" ") + "\n";
  };
  for (const rule of rules) if (rule.begin) run(rule, [""], 0, "");
  let nr = 0;
  for (const line of lines(r.text)) {
    nr++;
    const fields = fs === undefined ? line.trim().split(/[ \t]+/).filter((x) => x !== "") : fs === "\\t" || fs === "\t" ? line.split("\t") : line.split(fs.length === 1 ? fs : new RegExp(fs));
    const f = ["", ...fields];
    for (const rule of rules) {
      if (rule.begin || rule.end) continue;
      if (rule.pattern && !rule.pattern(f, nr, line)) continue;
      run(rule, f, nr, line);
    }
  }
  for (const rule of rules) if (rule.end) run(rule, [""], nr, "");
  return { stdout: out, stderr: r.err, code: r.bad ? 2 : 0 };
};

// ---- head / tail / wc / sort / uniq / cut / tr / seq ----

function countArg(argv: string[], def: number): { n: number; plus: boolean; files: string[]; bad?: string } {
  let n = def;
  let plus = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let v: string | undefined;
    if (a === "-n" || a === "--lines") v = argv[++i];
    else if (a.startsWith("-n")) v = a.slice(2);
    else if (a.startsWith("--lines=")) v = a.slice(8);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (a.startsWith("-") && a !== "-") return { n, plus, files, bad: a };
    else {
      files.push(a);
      continue;
    }
    if (v === undefined || !/^[+-]?\d+$/.test(v)) return { n, plus, files, bad: `invalid number of lines: ‘${v ?? ""}’` };
    plus = v.startsWith("+");
    n = Math.abs(Number(v));
  }
  return { n, plus, files };
}

const head: CommandFn = (ctx, argv, io) => {
  const a = countArg(argv, 10);
  if (a.bad) return fail(a.bad.startsWith("invalid") ? `head: ${a.bad}` : `head: invalid option -- '${a.bad.slice(1)}'\nTry 'head --help' for more information.`);
  const r = inputs(ctx, "head", a.files, io);
  return { stdout: unlines(lines(r.text).slice(0, a.n)), stderr: r.err, code: r.bad ? 1 : 0 };
};

const tail: CommandFn = (ctx, argv, io) => {
  const a = countArg(argv.filter((x) => x !== "-f"), 10);
  if (a.bad) return fail(a.bad.startsWith("invalid") ? `tail: ${a.bad}` : `tail: invalid option -- '${a.bad.slice(1)}'\nTry 'tail --help' for more information.`);
  const r = inputs(ctx, "tail", a.files, io);
  const ls = lines(r.text);
  const out = a.plus ? ls.slice(Math.max(0, a.n - 1)) : a.n === 0 ? [] : ls.slice(-a.n);
  return { stdout: unlines(out), stderr: r.err, code: r.bad ? 1 : 0 };
};

const wc: CommandFn = (ctx, argv, io) => {
  const flags = argv.slice(1).filter((a) => a.startsWith("-") && a !== "-").join("");
  const files = argv.slice(1).filter((a) => !a.startsWith("-") || a === "-");
  const r = inputs(ctx, "wc", files, io);
  const l = (r.text.match(/\n/g) ?? []).length;
  const w = r.text.split(/\s+/).filter((x) => x).length;
  const c = new TextEncoder().encode(r.text).length;
  const want: number[] = [];
  if (flags.includes("l")) want.push(l);
  if (flags.includes("w")) want.push(w);
  if (flags.includes("c") || flags.includes("m")) want.push(c);
  const vals = want.length ? want : [l, w, c];
  const suffix = files.length ? ` ${files.join(" ")}` : "";
  const out = vals.length === 1 && !files.length ? String(vals[0]) : vals.map((v) => String(v).padStart(vals.length === 1 ? 1 : 7)).join(vals.length === 1 ? "" : " ");
  return { stdout: out + suffix + "\n", stderr: r.err, code: r.bad ? 1 : 0 };
};

const sort: CommandFn = (ctx, argv, io) => {
  let reverse = false, numeric = false, unique = false, key: number | undefined, sep: string | undefined;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-k") key = parseInt(argv[++i], 10);
    else if (a.startsWith("-k")) key = parseInt(a.slice(2), 10);
    else if (a === "-t") sep = argv[++i];
    else if (a.startsWith("-t")) sep = a.slice(2);
    else if (a.startsWith("-") && a !== "-") {
      for (const ch of a.slice(1)) {
        if (ch === "r") reverse = true;
        else if (ch === "n" || ch === "h" || ch === "V") numeric = true;
        else if (ch === "u") unique = true;
      }
    } else files.push(a);
  }
  const r = inputs(ctx, "sort", files, io);
  const field = (l: string) => {
    if (key === undefined) return l;
    const parts = sep === undefined ? l.trim().split(/\s+/) : l.split(sep);
    return parts.slice(key - 1).join(sep ?? " ");
  };
  let ls = lines(r.text);
  ls = ls.sort((a, b) => {
    const fa = field(a), fb = field(b);
    if (numeric) {
      const d = (parseFloat(fa) || 0) - (parseFloat(fb) || 0);
      if (d !== 0) return d;
    }
    return fa < fb ? -1 : fa > fb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  if (reverse) ls.reverse();
  if (unique) ls = ls.filter((l, i) => i === 0 || field(l) !== field(ls[i - 1]));
  return { stdout: unlines(ls), stderr: r.err, code: r.bad ? 2 : 0 };
};

const uniq: CommandFn = (ctx, argv, io) => {
  const count = argv.includes("-c");
  const r = inputs(ctx, "uniq", argv.slice(1).filter((a) => !a.startsWith("-")), io);
  const out: string[] = [];
  let prev: string | undefined;
  let n = 0;
  const flush = () => {
    if (prev !== undefined) out.push(count ? `${String(n).padStart(7)} ${prev}` : prev);
  };
  for (const l of lines(r.text)) {
    if (l === prev) n++;
    else {
      flush();
      prev = l;
      n = 1;
    }
  }
  flush();
  return { stdout: unlines(out), stderr: r.err, code: 0 };
};

const cut: CommandFn = (ctx, argv, io) => {
  let delim = "\t";
  let fieldsSpec: string | undefined;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-d") delim = argv[++i] ?? "\t";
    else if (a.startsWith("-d")) delim = a.slice(2);
    else if (a === "-f") fieldsSpec = argv[++i];
    else if (a.startsWith("-f")) fieldsSpec = a.slice(2);
    else files.push(a);
  }
  if (!fieldsSpec) return fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.");
  const want = new Set<number>();
  let from: number | undefined;
  for (const part of fieldsSpec.split(",")) {
    const m = /^(\d*)-(\d*)$/.exec(part);
    if (m) {
      const a = Number(m[1] || 1), b = m[2] ? Number(m[2]) : undefined;
      if (b === undefined) from = a;
      else for (let k = a; k <= b; k++) want.add(k);
    } else want.add(Number(part));
  }
  const r = inputs(ctx, "cut", files, io);
  const out = lines(r.text).map((l) => {
    if (!l.includes(delim)) return l;
    return l
      .split(delim)
      .filter((_x, idx) => want.has(idx + 1) || (from !== undefined && idx + 1 >= from))
      .join(delim);
  });
  return { stdout: unlines(out), stderr: r.err, code: r.bad ? 1 : 0 };
};

const tr: CommandFn = (_ctx, argv, io) => {
  const del = argv[1] === "-d";
  const squeeze = argv[1] === "-s";
  const args = argv.slice(del || squeeze ? 2 : 1);
  const expand = (set: string) =>
    set
      .replace(/\\n/g, "\n")
      .replace(/\\t/g, "\t")
      .replace(/\[:upper:\]/g, "A-Z")
      .replace(/\[:lower:\]/g, "a-z")
      .replace(/\[:space:\]/g, " \t\n")
      .replace(/(.)-(.)/g, (_m, a: string, b: string) => {
        let s = "";
        for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) s += String.fromCharCode(c);
        return s;
      });
  const text = io.stdin ?? "";
  if (del) {
    const set = expand(args[0] ?? "");
    return ok([...text].filter((c) => !set.includes(c)).join(""));
  }
  if (squeeze) {
    const set = expand(args[0] ?? "");
    return ok(text.replace(/(.)\1+/g, (m, c: string) => (set.includes(c) ? c : m)));
  }
  const a = expand(args[0] ?? ""), b = expand(args[1] ?? "");
  if (!b) return fail("tr: missing operand after ‘" + (args[0] ?? "") + "’\nTwo strings must be given when translating.\nTry 'tr --help' for more information.");
  return ok([...text].map((c) => (a.includes(c) ? (b[a.indexOf(c)] ?? b[b.length - 1]) : c)).join(""));
};

const seq: CommandFn = (_ctx, argv) => {
  const nums = argv.slice(1).filter((a) => !(a.startsWith("-") && Number.isNaN(Number(a))));
  if (nums.length === 0) return fail("seq: missing operand\nTry 'seq --help' for more information.");
  const v = nums.map(Number);
  if (v.some((x) => Number.isNaN(x))) return fail(`seq: invalid floating point argument: ${nums.find((x) => Number.isNaN(Number(x)))}\nTry 'seq --help' for more information.`);
  const [first, step, last] = v.length === 1 ? [1, 1, v[0]] : v.length === 2 ? [v[0], 1, v[1]] : [v[0], v[1], v[2]];
  if (step === 0) return fail("seq: invalid Zero increment value: ‘0’\nTry 'seq --help' for more information.");
  const out: string[] = [];
  for (let x = first; step > 0 ? x <= last : x >= last; x += step) {
    out.push(String(x));
    if (out.length > 100000) break;
  }
  return ok(unlines(out));
};

function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : m[2] === "d" ? n * 86400 : n;
}

/** `sleep N` and kubelab's `wait N`: advance the virtual clock (probes and controllers run meanwhile). */
const sleep: CommandFn = (ctx, argv) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    if (argv[0] === "wait") return ok(); // bash's `wait` with no jobs
    return fail("sleep: missing operand\nTry 'sleep --help' for more information.");
  }
  let total = 0;
  for (const a of args) {
    const d = parseDuration(a);
    if (d === undefined) return fail(argv[0] === "wait" ? `bash: wait: \`${a}': not a pid or valid job spec (kubelab: wait N advances the clock N seconds)` : `sleep: invalid time interval ‘${a}’\nTry 'sleep --help' for more information.`);
    total += d;
  }
  ctx.c.advance(total);
  return ok();
};

const trueCmd: CommandFn = () => ok();
const falseCmd: CommandFn = () => ({ stdout: "", stderr: "", code: 1 });

const hostname: CommandFn = (ctx, argv) => {
  const name = hostName(ctx.st.host);
  if (argv[1] === "-i" || argv[1] === "-I") {
    const pod = podHost(ctx.st.host);
    if (pod) {
      try {
        const p = ctx.c.get("Pod", pod.name, pod.namespace) as { status: { podIP?: string } };
        return ok(`${p.status.podIP ?? ""}${argv[1] === "-I" ? " " : ""}\n`);
      } catch {
        return ok("\n");
      }
    }
    const h = ctx.c.hosts().find((x) => x.name === name);
    if (argv[1] === "-i") return ok(`${h?.ip ?? "127.0.0.1"}\n`);
    const ips = ctx.c.hostInterfaces(name).filter((i) => i.dev !== "lo").flatMap((i) => i.addrs.map((a) => a.ip));
    return ok(ips.join(" ") + " \n");
  }
  return ok(name + "\n");
};

const whoami: CommandFn = () => ok("root\n");

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const date: CommandFn = (ctx) => {
  const d = new Date(ctx.c.nowSeconds() * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return ok(`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}\n`);
};

const clear: CommandFn = () => ok("\x1b[H\x1b[2J");

const exportCmd: CommandFn = (ctx, argv) => {
  for (const a of argv.slice(1)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (m) ctx.st.env[m[1]] = m[2];
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a) && a !== "-n") return fail(`bash: export: \`${a}': not a valid identifier`);
  }
  return ok();
};

const unset: CommandFn = (ctx, argv) => {
  for (const a of argv.slice(1)) delete ctx.st.env[a];
  return ok();
};

const exitCmd: CommandFn = (ctx, argv) => {
  const code = argv[1] === undefined ? ctx.lastStatus : Number(argv[1]) & 255;
  ctx.st.exited = Number.isNaN(code) ? 2 : code;
  return { stdout: "", stderr: Number.isNaN(code) ? `bash: exit: ${argv[1]}: numeric argument required\n` : "", code: ctx.st.exited };
};

const envCmd: CommandFn = (ctx) =>
  ok(unlines(Object.entries({ HOSTNAME: hostName(ctx.st.host), HOME: "/root", PWD: ctx.st.cwd, USER: "root", ...ctx.st.env }).map(([k, v]) => `${k}=${v}`)));

export const TEXT_COMMANDS: Record<string, CommandFn> = {
  echo,
  printf,
  cat,
  tee,
  ls,
  ll: (ctx, argv, io) => ls(ctx, ["ls", "-l", ...argv.slice(1)], io),
  cd,
  pwd,
  mkdir,
  rm,
  grep,
  egrep: grep,
  fgrep: grep,
  awk,
  gawk: awk,
  head,
  tail,
  wc,
  sort,
  uniq,
  cut,
  tr,
  seq,
  sleep,
  wait: sleep,
  true: trueCmd,
  ":": trueCmd,
  false: falseCmd,
  hostname,
  whoami,
  date,
  clear,
  export: exportCmd,
  unset,
  exit: exitCmd,
  logout: exitCmd,
  env: envCmd,
  history: () => ok(),
};

export type { CmdResult };

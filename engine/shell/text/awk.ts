// awk: the subset students use (print of fields, patterns, -F), with its own small parser.
import type { CommandFn } from "../context.ts";
import { fail } from "../context.ts";
import { inputs, lines } from "./common.ts";
import { posixToJs } from "./grep.ts";

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

export const awk: CommandFn = (ctx, argv, io) => {
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


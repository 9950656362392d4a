// jq 1.6 in the lab terminal, for `kubectl … -o json | jq …`: a pure TypeScript implementation of the filters
// people use (parse.ts, eval.ts). Options (anywhere on the line, as jq reads them, until `--`): -r, -j, -c, -S, -e,
// -n, -s, -a, --arg, --argjson, --tab, --indent N, -M/-C (no colour either way). jq 1.6's other options and
// builtins say kubelab's jq does not support them; unknown ones get jq's own refusal. Exit codes as jq's: 2 usage / bad input,
// 3 compile error, 5 runtime error, 1 with -e when the last output is false or null.
import type { CommandFn } from "../context.ts";
import { resolvePath } from "../context.ts";
import { readHostFile } from "../fs.ts";
import { parse, JqCompileError } from "./parse.ts";
import { Evaluator, JqRuntimeError, PROGRAM, type Json } from "./eval.ts";

/** What jq 1.6 prints when it is given no filter (its short usage). */
const USAGE =
  "jq - commandline JSON processor [version 1.6]\n\nUsage:\tjq [options] <jq filter> [file...]\n\tjq [options] --args <jq filter> [strings...]\n\tjq [options] --jsonargs <jq filter> [JSON_TEXTS...]\n\n" +
  "jq is a tool for processing JSON inputs, applying the given filter to\nits JSON text inputs and producing the filter's results as JSON on\nstandard output.\n\n" +
  "The simplest filter is ., which copies jq's input to its output\nunmodified (except for formatting, but note that IEEE754 is used\nfor number representation internally, with all that that implies).\n\n" +
  'For more advanced filters see the jq(1) manpage ("man jq")\nand/or https://stedolan.github.io/jq\n\nExample:\n\n\t$ echo \'{"foo": 0}\' | jq .\n\t{\n\t\t"foo": 0\n\t}\n\nFor a listing of options, use jq --help.\n';
/** The two lines jq 1.6 adds under a usage error. */
const SEE_HELP = "Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://stedolan.github.io/jq\n";

/** The JSON texts of an input, one after another (whitespace between them), with the line each ends on. */
function jsonStream(text: string): { values: { v: Json; line: number }[] } | { error: string } {
  const values: { v: Json; line: number }[] = [];
  let i = 0;
  // jq reads on to the next value before reporting: the line is the newlines read up to there.
  const line = (at: number) => {
    let j = at;
    while (j < text.length && /\s/.test(text[j])) j++;
    return text.slice(0, j).split("\n").length - 1;
  };
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inStr = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (inStr) {
        if (c === "\\") i++;
        else if (c === '"') inStr = false;
        if (!inStr && depth === 0) {
          i++;
          break;
        }
        continue;
      }
      if (c === '"') inStr = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    const chunk = text.slice(start, i);
    try {
      values.push({ v: JSON.parse(chunk) as Json, line: line(i) });
    } catch {
      const bad = /^[-0-9]/.test(chunk) || /^[a-z]/i.test(chunk) ? "Invalid numeric literal" : "Unfinished JSON term";
      const nl = text.slice(0, i).split("\n");
      return { error: `parse error: ${bad} at line ${nl.length + (text[i] === "\n" ? 1 : 0)}, column ${text[i] === "\n" ? 0 : nl[nl.length - 1].length}` };
    }
  }
  return { values };
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}

function render(v: Json, o: { raw: boolean; compact: boolean; sort: boolean; ascii: boolean; indent: string }): string {
  if (o.raw && typeof v === "string") return v;
  const x = o.sort ? sortKeys(v) : v;
  let s = o.compact ? JSON.stringify(x) : JSON.stringify(x, null, o.indent);
  // jq prints numbers like 1.0 as 1 (JSON.stringify already does) and escapes DEL as \u007f.
  s = s.replace(/\u007f/g, "\\u007f");
  if (o.ascii) s = s.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return s;
}

export const jq: CommandFn = (ctx, argv, io) => {
  const args = argv.slice(1);
  const o = { raw: false, compact: false, sort: false, ascii: false, indent: "  ", join: false, exit: false, nullInput: false, slurp: false };
  const vars: Record<string, Json> = {};
  let filter: string | undefined;
  const files: string[] = [];
  const usageError = (msg: string) => ({ stdout: "", stderr: `jq: ${msg}\n${SEE_HELP}`, code: 2 });
  // As jq 1.6 reads its command line: options anywhere (before or after the filter and the files) until `--`.
  let argsDone = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!argsDone && a === "--") {
      if (filter === undefined) return { stdout: "", stderr: USAGE, code: 2 };
      argsDone = true;
      continue;
    }
    // jq 1.6's isoptish: `-` then a letter or another `-` (so `-1 | todate` is a filter)
    if (!argsDone && /^-[-a-zA-Z]/.test(a)) {
      if (a === "--arg" || a === "--argjson") {
        const [name, value] = [args[i + 1], args[i + 2]];
        if (value === undefined) return usageError(`${a} takes two parameters (e.g. ${a} varname ${a === "--arg" ? "value" : "text"})`);
        if (a === "--arg") vars[name] = value;
        else
          try {
            vars[name] = JSON.parse(value) as Json;
          } catch {
            return usageError("invalid JSON text passed to --argjson");
          }
        i += 2;
        continue;
      }
      if (a === "--indent") {
        if (args[i + 1] === undefined) return usageError("--indent takes one parameter");
        const n = Number(args[++i]);
        if (!Number.isInteger(n) || n < -1 || n > 7) return usageError("--indent takes a number between -1 and 7");
        o.indent = n === -1 ? "\t" : " ".repeat(n);
        if (n === 0) o.compact = true;
        continue;
      }
      const long: Record<string, string> = { "--raw-output": "r", "--join-output": "j", "--compact-output": "c", "--sort-keys": "S", "--exit-status": "e", "--null-input": "n", "--slurp": "s", "--ascii-output": "a", "--monochrome-output": "M", "--color-output": "C", "--tab": "T" };
      const flags = a.startsWith("--") ? long[a] : a.slice(1);
      if (flags === undefined || ![...flags].every((f) => "rjcSensaTMC".includes(f))) {
        // jq 1.6's options that kubelab's jq does not have are named as such; anything else is jq's own refusal.
        const known = ["--seq", "--stream", "--raw-input", "--slurpfile", "--rawfile", "--args", "--jsonargs", "--unbuffered", "--run-tests", "--from-file", "-R", "-f", "-L", "-h", "--help", "--version", "--debug-dump-disasm", "--debug-trace"];
        if (known.includes(a)) return usageError(`kubelab's jq does not support the option ${a}`);
        return usageError(`Unknown option ${a}`);
      }
      for (const f of flags) {
        if (f === "r") o.raw = true;
        else if (f === "j") o.raw = o.join = true;
        else if (f === "c") o.compact = true;
        else if (f === "S") o.sort = true;
        else if (f === "e") o.exit = true;
        else if (f === "n") o.nullInput = true;
        else if (f === "s") o.slurp = true;
        else if (f === "a") o.ascii = true;
        else if (f === "T") o.indent = "\t";
      }
      continue;
    }
    if (filter === undefined) filter = a;
    else files.push(a);
  }
  if (filter === undefined) return { stdout: "", stderr: USAGE, code: 2 };
  let prog;
  try {
    prog = parse(filter);
  } catch (e) {
    if (e instanceof JqCompileError) return { stdout: "", stderr: e.message + "\n", code: 3 };
    throw e;
  }
  let text = "";
  let source = "<stdin>";
  if (!files.length) text = io.stdin ?? "";
  let openErrors = "";
  for (const f of files) {
    const t = readHostFile(ctx, resolvePath(ctx.st.cwd, f));
    if (t === undefined) {
      // jq says so and goes on with the other files; the exit status is 2 at the end
      openErrors += `jq: error: Could not open file ${f}: No such file or directory\n`;
      continue;
    }
    text += t;
    source = f;
  }
  if (openErrors && text === "" && !o.nullInput) return { stdout: "", stderr: openErrors, code: 2 };
  let inputs: { v: Json; line: number }[];
  if (o.nullInput) inputs = [{ v: null, line: 0 }];
  else {
    const s = jsonStream(text);
    if ("error" in s) return { stdout: "", stderr: `jq: error (at ${source}:${text.split("\n").length - 1}): Cannot parse input: ${s.error}\n`.replace(/^jq: error \(at [^)]*\): Cannot parse input: /, ""), code: 2 };
    inputs = o.slurp ? [{ v: s.values.map((x) => x.v), line: s.values[s.values.length - 1]?.line ?? 0 }] : s.values;
  }
  // jq names the file an input came from (<stdin> for stdin, null with -n); kubelab reads several files as one stream
  // and names one only when it is the only file read
  const readFiles = files.filter((f) => readHostFile(ctx, resolvePath(ctx.st.cwd, f)) !== undefined);
  const ev = new Evaluator(vars, o.nullInput ? null : !files.length ? "<stdin>" : readFiles.length === 1 ? readFiles[0] : null);
  let out = "";
  let last: Json | undefined;
  let produced = false;
  for (const inp of inputs) {
    try {
      for (const r of ev.run(prog, inp.v)) {
        out += render(r, o) + (o.join ? "" : "\n");
        last = r;
        produced = true;
      }
    } catch (e) {
      // with -n there is no input to name: jq says <unknown>
      if (e instanceof JqRuntimeError) return { stdout: out, stderr: `${openErrors}jq: error (at ${o.nullInput ? "<unknown>" : `${source}:${inp.line}`}): ${e.message}\n`, code: 5 };
      if (e instanceof JqCompileError) return { stdout: "", stderr: e.message.replace(PROGRAM, filter) + "\n", code: 3 };
      throw e;
    }
  }
  const code = openErrors ? 2 : o.exit ? (!produced ? 4 : last === null || last === false ? 1 : 0) : 0;
  return { stdout: out, stderr: openErrors, code };
};

// Line tools: head, tail, wc, sort, uniq, cut, tr, seq (GNU coreutils).
import type { CommandFn } from "../context.ts";
import { fail, ok } from "../context.ts";
import { inputs, lines, unlines } from "./common.ts";

// ---- head / tail / wc / sort / uniq / cut / tr / seq ----

/** head's and tail's count: -n N / -N / --lines=N, or -c N / --bytes=N (GNU: the last one given wins). */
function countArg(argv: string[], def: number): { n: number; plus: boolean; minus: boolean; bytes: boolean; files: string[]; bad?: string } {
  let n = def;
  let plus = false;
  let minus = false;
  let bytes = false;
  const files: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    let v: string | undefined;
    let isBytes = false;
    if (a === "-n" || a === "--lines") v = argv[++i];
    else if (a.startsWith("-n")) v = a.slice(2);
    else if (a.startsWith("--lines=")) v = a.slice(8);
    else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (a === "-c" || a === "--bytes") [v, isBytes] = [argv[++i], true];
    else if (a.startsWith("-c")) [v, isBytes] = [a.slice(2), true];
    else if (a.startsWith("--bytes=")) [v, isBytes] = [a.slice(8), true];
    else if (a.startsWith("-") && a !== "-") return { n, plus, minus, bytes, files, bad: a };
    else {
      files.push(a);
      continue;
    }
    if (v === undefined || !/^[+-]?\d+$/.test(v)) return { n, plus, minus, bytes, files, bad: `invalid number of ${isBytes ? "bytes" : "lines"}: ‘${v ?? ""}’` };
    plus = v.startsWith("+");
    minus = v.startsWith("-");
    bytes = isBytes;
    n = Math.abs(Number(v));
  }
  return { n, plus, minus, bytes, files };
}

const toBytes = (text: string) => new TextEncoder().encode(text);
const fromBytes = (b: Uint8Array) => new TextDecoder().decode(b);

export const head: CommandFn = (ctx, argv, io) => {
  const a = countArg(argv, 10);
  if (a.bad) return fail(a.bad.startsWith("invalid") ? `head: ${a.bad}` : `head: invalid option -- '${a.bad.slice(1)}'\nTry 'head --help' for more information.`);
  const r = inputs(ctx, "head", a.files, io);
  let stdout: string;
  if (a.bytes) {
    const b = toBytes(r.text);
    stdout = fromBytes(a.minus ? b.subarray(0, Math.max(0, b.length - a.n)) : b.subarray(0, a.n));
  } else {
    const ls = lines(r.text);
    stdout = unlines(a.minus ? ls.slice(0, Math.max(0, ls.length - a.n)) : ls.slice(0, a.n));
  }
  return { stdout, stderr: r.err, code: r.bad ? 1 : 0 };
};

export const tail: CommandFn = (ctx, argv, io) => {
  const a = countArg(argv.filter((x) => x !== "-f"), 10);
  if (a.bad) return fail(a.bad.startsWith("invalid") ? `tail: ${a.bad}` : `tail: invalid option -- '${a.bad.slice(1)}'\nTry 'tail --help' for more information.`);
  const r = inputs(ctx, "tail", a.files, io);
  if (a.bytes) {
    const b = toBytes(r.text);
    const part = a.plus ? b.subarray(Math.max(0, a.n - 1)) : a.n === 0 ? b.subarray(b.length) : b.subarray(Math.max(0, b.length - a.n));
    return { stdout: fromBytes(part), stderr: r.err, code: r.bad ? 1 : 0 };
  }
  const ls = lines(r.text);
  const out = a.plus ? ls.slice(Math.max(0, a.n - 1)) : a.n === 0 ? [] : ls.slice(-a.n);
  return { stdout: unlines(out), stderr: r.err, code: r.bad ? 1 : 0 };
};

export const wc: CommandFn = (ctx, argv, io) => {
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

export const sort: CommandFn = (ctx, argv, io) => {
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

export const uniq: CommandFn = (ctx, argv, io) => {
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

export const cut: CommandFn = (ctx, argv, io) => {
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

export const tr: CommandFn = (_ctx, argv, io) => {
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

export const seq: CommandFn = (_ctx, argv) => {
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


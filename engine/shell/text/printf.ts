// bash's printf builtin (4.2, CentOS 7's) and the backslash escapes it shares with `echo -e`: the format is read
// once per round and reused while arguments remain; escapes are read in the format (not in the arguments, except
// through %b); conversions s b c d i u o x X f F e E g G %, with flags - 0 + space #, width and precision (or *).
import type { CommandFn } from "../context.ts";

const SIMPLE: Record<string, string> = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'", "?": "?" };

/**
 * Reads the escape after a backslash at `text[i]` (i is the backslash). `echoStyle`: echo -e / %b octal is \0NNN
 * (and \c ends the output); printf's format octal is \NNN. Returns the text and the index after the escape.
 */
export function readEscape(text: string, i: number, echoStyle: boolean): { out: string; next: number; stop?: boolean } {
  const c = text[i + 1];
  if (c === undefined) return { out: "\\", next: i + 1 };
  if (c in SIMPLE && !(echoStyle && (c === '"' || c === "'" || c === "?"))) return { out: SIMPLE[c], next: i + 2 };
  if (c === "c" && echoStyle) return { out: "", next: text.length, stop: true };
  const digits = (re: RegExp, from: number, max: number) => {
    let j = from;
    while (j < text.length && j - from < max && re.test(text[j])) j++;
    return j;
  };
  if (/[0-7]/.test(c) && (!echoStyle || c === "0")) {
    const from = echoStyle ? i + 2 : i + 1;
    const end = digits(/[0-7]/, from, 3);
    return { out: String.fromCharCode(end > from ? parseInt(text.slice(from, end), 8) & 0xff : 0), next: end };
  }
  if (c === "x" || c === "u" || c === "U") {
    const end = digits(/[0-9a-fA-F]/, i + 2, c === "x" ? 2 : c === "u" ? 4 : 8);
    if (end === i + 2) return { out: "\\" + c, next: i + 2 };
    const code = parseInt(text.slice(i + 2, end), 16);
    return { out: code <= 0x10ffff ? String.fromCodePoint(code) : "", next: end };
  }
  return { out: "\\" + c, next: i + 2 };
}

/** Every escape of a text, echo -e's way; `stop` when \c ended it. */
export function interpretEscapes(text: string): { text: string; stop: boolean } {
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text[i] !== "\\") {
      out += text[i++];
      continue;
    }
    const e = readEscape(text, i, true);
    out += e.out;
    if (e.stop) return { text: out, stop: true };
    i = e.next;
  }
  return { text: out, stop: false };
}

/** A number argument as bash reads it: decimal, 0x hex, 0 octal, 'c or "c (the character's code); NaN if none. */
function numberArg(arg: string): { value: number; ok: boolean } {
  const s = arg.trim();
  if (s === "") return { value: 0, ok: true };
  if (/^['"]/.test(s)) return { value: s.length > 1 ? s.codePointAt(1)! : 0, ok: true };
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (m) {
    const body = m[2];
    const v = /^0[xX]/.test(body) ? parseInt(body, 16) : body.length > 1 && body.startsWith("0") ? parseInt(body, 8) : Number(body);
    return { value: m[1] === "-" ? -v : v, ok: true };
  }
  const lead = /^[+-]?\d+/.exec(s);
  return { value: lead ? Number(lead[0]) : 0, ok: false };
}

function floatArg(arg: string): { value: number; ok: boolean } {
  const s = arg.trim();
  if (s === "") return { value: 0, ok: true };
  if (/^['"]/.test(s)) return { value: s.length > 1 ? s.codePointAt(1)! : 0, ok: true };
  const v = Number(s);
  if (!Number.isNaN(v) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { value: v, ok: true };
  const lead = /^[+-]?(\d+\.?\d*|\.\d+)/.exec(s);
  return { value: lead ? Number(lead[0]) : 0, ok: false };
}

/** C's %e exponent: at least two digits. */
const cExp = (s: string) => s.replace(/e([+-])(\d)$/, "e$10$2");

function formatG(v: number, prec: number, alt: boolean): string {
  const p = prec === 0 ? 1 : prec;
  if (v === 0) return alt ? (0).toFixed(p - 1) : "0";
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toExponential(p - 1)))));
  let s = exp < -4 || exp >= p ? cExp(v.toExponential(p - 1)) : v.toFixed(Math.max(0, p - 1 - exp));
  if (!alt) s = s.replace(/\.?0+(e|$)/, "$1").replace(/(\.\d*?)0+(e|$)/, "$1$2");
  return s;
}

interface Spec {
  flags: string;
  width?: number;
  prec?: number;
  conv: string;
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const w = spec.width ?? 0;
  const len = sign.length + [...body].length;
  if (len >= w) return sign + body;
  if (spec.flags.includes("-")) return sign + body + " ".repeat(w - len);
  if (numeric && spec.flags.includes("0") && (spec.prec === undefined || "fFeEgG".includes(spec.conv))) return sign + "0".repeat(w - len) + body;
  return " ".repeat(w - len) + sign + body;
}

function convert(spec: Spec, arg: string | undefined, errors: string[]): { text: string; stop?: boolean } {
  const a = arg ?? "";
  switch (spec.conv) {
    case "s":
      return { text: pad(spec.prec === undefined ? a : [...a].slice(0, spec.prec).join(""), "", spec, false) };
    case "b": {
      const e = interpretEscapes(a);
      return { text: pad(spec.prec === undefined ? e.text : e.text.slice(0, spec.prec), "", spec, false), stop: e.stop };
    }
    case "c":
      return { text: pad([...a][0] ?? "", "", spec, false) };
    case "d":
    case "i":
    case "u":
    case "o":
    case "x":
    case "X": {
      const n = numberArg(a);
      if (!n.ok) errors.push(`bash: printf: ${a}: invalid number`);
      const v = Math.trunc(n.value);
      const signed = spec.conv === "d" || spec.conv === "i";
      // the unsigned conversions read a negative number as its 64-bit two's complement, as C does
      const magnitude = !signed && v < 0 ? BigInt.asUintN(64, BigInt(v)) : BigInt(Math.abs(v));
      let digits = magnitude.toString(spec.conv === "o" ? 8 : spec.conv === "x" || spec.conv === "X" ? 16 : 10);
      if (spec.conv === "X") digits = digits.toUpperCase();
      if (spec.prec !== undefined) digits = spec.prec === 0 && v === 0 ? "" : digits.padStart(spec.prec, "0");
      if (spec.flags.includes("#") && v !== 0) digits = spec.conv === "o" ? "0" + digits : spec.conv === "x" ? "0x" + digits : spec.conv === "X" ? "0X" + digits : digits;
      const sign = !signed ? "" : v < 0 ? "-" : spec.flags.includes("+") ? "+" : spec.flags.includes(" ") ? " " : "";
      return { text: pad(digits, sign, spec, true) };
    }
    default: {
      const n = floatArg(a);
      if (!n.ok) errors.push(`bash: printf: ${a}: invalid number`);
      const v = n.value;
      const prec = spec.prec ?? 6;
      const alt = spec.flags.includes("#");
      const abs = Math.abs(v);
      let body: string;
      if (!Number.isFinite(abs)) body = Number.isNaN(abs) ? "nan" : "inf";
      else if (spec.conv === "f" || spec.conv === "F") body = abs.toFixed(prec) + (alt && prec === 0 ? "." : "");
      else if (spec.conv === "e" || spec.conv === "E") body = cExp(abs.toExponential(prec));
      else body = formatG(abs, prec, alt);
      if (spec.conv === spec.conv.toUpperCase()) body = body.toUpperCase();
      const sign = v < 0 || Object.is(v, -0) ? "-" : spec.flags.includes("+") ? "+" : spec.flags.includes(" ") ? " " : "";
      return { text: pad(body, sign, spec, true) };
    }
  }
}

/** The whole printf: output, the error lines, and whether the format was refused (exit 1 either way on an error). */
export function formatPrintf(fmt: string, args: string[]): { out: string; errors: string[]; refused: boolean } {
  const errors: string[] = [];
  let out = "";
  let ai = 0;
  const next = () => args[ai++];
  for (;;) {
    let consumed = false;
    for (let i = 0; i < fmt.length; ) {
      const ch = fmt[i];
      if (ch === "\\") {
        const e = readEscape(fmt, i, false);
        out += e.out;
        i = e.next;
        continue;
      }
      if (ch !== "%") {
        out += ch;
        i++;
        continue;
      }
      const m = /^%([-+ 0#]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])?/.exec(fmt.slice(i))!;
      i += m[0].length;
      const conv = m[4];
      if (conv === "%") {
        out += "%";
        continue;
      }
      if (conv === undefined) {
        errors.push("bash: printf: `%': missing format character");
        return { out, errors, refused: true };
      }
      if (!"sbcdiuoxXfFeEgG".includes(conv)) {
        errors.push(`bash: printf: \`${conv}': invalid format character`);
        return { out, errors, refused: true };
      }
      consumed = true;
      const star = (v: string | undefined) => (v === "*" ? numberArg(next() ?? "").value : v === undefined ? undefined : Number(v || 0));
      let width = star(m[2]);
      let flags = m[1];
      if (width !== undefined && width < 0) [flags, width] = [flags + "-", -width];
      const prec = star(m[3]);
      const r = convert({ flags, width, prec: prec !== undefined && prec < 0 ? undefined : prec, conv }, next(), errors);
      out += r.text;
      if (r.stop) return { out, errors, refused: false };
    }
    if (!consumed || ai >= args.length) break;
  }
  return { out, errors, refused: false };
}

export const printf: CommandFn = (_ctx, argv) => {
  let args = argv.slice(1);
  if (args[0] === "--") args = args.slice(1);
  if (args.length < 1) return { stdout: "", stderr: "bash: printf: usage: printf [-v var] format [arguments]\n", code: 2 };
  const r = formatPrintf(args[0], args.slice(1));
  return { stdout: r.out, stderr: r.errors.map((e) => e + "\n").join(""), code: r.errors.length ? 1 : 0 };
};

// YAML as kubectl v1.19 prints it: sigs.k8s.io/yaml turns the object's JSON into gopkg.in/yaml.v2 (v2.2.8) values
// and yaml.v2 marshals them. This is that emitter's behaviour for JSON-shaped data:
// - map keys in yaml.v2's natural order (runs of digits compare as numbers, non-letters before letters);
// - block style, 2-space indentation, sequences not indented under their key, `{}` / `[]` when empty;
// - a string is plain unless it would read back as something else (YAML 1.1: y/yes/on/off/null/~, numbers
//   including 0x/0o/0b/1_000, base-60 `1:20`, timestamps `2021-12-05`) — then double-quoted; a string that may not
//   be plain (an indicator first, `: ` or ` #` inside, leading/trailing space) is single-quoted; one with a line
//   break is a literal block (`|`, `|-`, `|+`, `|2`) unless it has a space before a break or characters YAML
//   cannot print (tab, control, DEL, U+0085, outside the BMP), which force double quotes with yaml.v2's escapes;
// - plain and quoted scalars folded at a space once past column 80 (yaml.v2's best_width).

const BEST_WIDTH = 80;

// ---- what a plain string would resolve to (yaml.v2 resolve.go) ----

const YAML11_SPECIAL = new Set([
  "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
  "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
  "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
]);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** Go's strconv.ParseInt/ParseUint with base 0 (sign, 0x/0o/0b prefixes, legacy 0-octal), on 64 bits. */
function goParsesAsInt(s: string): boolean {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const body = m[2];
  let n: bigint;
  if (/^0[xXoObB]/.test(body)) n = BigInt(body.toLowerCase().replace(/^0o/, "0o"));
  else if (body.length > 1 && body[0] === "0") n = BigInt(`0o${body.slice(1)}`);
  else n = BigInt(body);
  if (m[1] === "-") return n <= 2n ** 63n;
  return n <= 2n ** 64n - 1n;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function validDate(y: string, mo: string, d: string): boolean {
  const m = Number(mo), day = Number(d), yr = Number(y);
  if (m < 1 || m > 12 || day < 1) return false;
  const leap = (yr % 4 === 0 && yr % 100 !== 0) || yr % 400 === 0;
  return day <= (m === 2 && !leap ? 28 : DAYS[m - 1]);
}
/** yaml.v2 parseTimestamp: Go's time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (and `t`), "2006-1-2 15:4:5.999999999", "2006-1-2". */
function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m || !validDate(m[1], m[2], m[3])) return false;
  if (m[4] === undefined) return true;
  if (Number(m[5]) > 23 || Number(m[6]) > 59 || Number(m[7]) > 59) return false;
  return m[4] === " " ? m[9] === undefined : m[9] !== undefined;
}

/** Whether yaml.v2 writes the string plain as far as its meaning goes (resolve gives !!str and it is no base-60 float). */
function plainKeepsString(s: string): boolean {
  if (YAML11_SPECIAL.has(s)) return false;
  const c = s[0];
  if (c === ".") return !YAML_FLOAT.test(s);
  if (c === "+" || c === "-" || (c >= "0" && c <= "9")) {
    if (isTimestamp(s)) return false;
    const plain = s.replace(/_/g, "");
    if (goParsesAsInt(plain) || YAML_FLOAT.test(plain)) return false;
    if (/^-?0b[01]+$/.test(plain)) return false;
  }
  return !BASE60_FLOAT.test(s);
}

// ---- what the emitter allows (yaml.v2 emitterc.go yaml_emitter_analyze_scalar) ----

const isBreak = (c: string) => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlank = (c: string | undefined) => c === " " || c === "\t";
function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(s: string): Analysis {
  const cs = [...s];
  let blockIndicators = s.startsWith("---") || s.startsWith("...");
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  let lineBreaks = false, special = false;
  let precededByWhitespace = true;
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i];
    const followedByWhitespace = i + 1 >= cs.length || isBlank(cs[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      else if ((c === "?" || c === ":" || c === "-") && followedByWhitespace) blockIndicators = true;
    } else if ((c === ":" && followedByWhitespace) || (c === "#" && precededByWhitespace)) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === cs.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cs.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  const a: Analysis = { multiline: lineBreaks, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) a.blockPlain = a.singleQuoted = false;
  if (spaceBreak || special) a.blockPlain = a.singleQuoted = a.block = false;
  if (lineBreaks || blockIndicators) a.blockPlain = false;
  return a;
}

type Style = "plain" | "single" | "double" | "literal";

function styleOf(s: string, simpleKey: boolean): Style {
  const a = analyze(s);
  let style: Style = s.includes("\n") ? "literal" : plainKeepsString(s) ? "plain" : "double";
  if (simpleKey && a.multiline) style = "double";
  if (style === "plain" && !a.blockPlain) style = "single";
  if (style === "single" && !a.singleQuoted) style = "double";
  if (style === "literal" && (!a.block || simpleKey)) style = "double";
  return style;
}

// ---- writing ----

const ESCAPES: Record<number, string> = { 0: "0", 7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 27: "e", 0x22: '"', 0x5c: "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P" };

class Writer {
  out = "";
  column = 0;
  openEnded = false;
  put(s: string): void {
    this.out += s;
    this.column += [...s].length;
  }
  newline(indent: number): void {
    this.out += "\n" + " ".repeat(indent);
    this.column = indent;
  }

  scalar(s: string, indent: number, simpleKey: boolean): void {
    const style = styleOf(s, simpleKey);
    const breaks = !simpleKey;
    const cs = [...s];
    if (style === "literal") return this.literal(cs, indent);
    if (style === "plain") {
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        if (cs[i] === " ") {
          if (breaks && !spaces && this.column > BEST_WIDTH && cs[i + 1] !== " ") this.newline(indent);
          else this.put(" ");
          spaces = true;
        } else {
          this.put(cs[i]);
          spaces = false;
        }
      }
      return;
    }
    const q = style === "single" ? "'" : '"';
    this.put(q);
    let spaces = false;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i];
      if (c === " ") {
        const last = i === cs.length - 1;
        if (breaks && !spaces && this.column > BEST_WIDTH && i > 0 && !last && (style === "double" || cs[i + 1] !== " ")) {
          this.newline(indent);
          if (style === "double" && cs[i + 1] === " ") this.put("\\");
        } else this.put(" ");
        spaces = true;
        continue;
      }
      spaces = false;
      if (style === "single") this.put(c === "'" ? "''" : c);
      else {
        const cp = c.codePointAt(0)!;
        if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === "\\") {
          const e = ESCAPES[cp];
          const hex = cp.toString(16).toUpperCase();
          this.put("\\" + (e ?? (cp <= 0xff ? "x" + hex.padStart(2, "0") : cp <= 0xffff ? "u" + hex.padStart(4, "0") : "U" + hex.padStart(8, "0"))));
        } else this.put(c);
      }
    }
    this.put(q);
  }

  literal(cs: string[], indent: number): void {
    let hints = "|";
    if (cs[0] === " " || isBreak(cs[0])) hints += "2";
    this.openEnded = false;
    const last = cs.length - 1;
    if (!isBreak(cs[last])) hints += "-";
    else if (last === 0 || isBreak(cs[last - 1])) {
      hints += "+";
      this.openEnded = true;
    }
    this.put(hints);
    let lineStart = true;
    this.out += "\n";
    this.column = 0;
    for (const c of cs) {
      if (isBreak(c)) {
        this.out += "\n";
        this.column = 0;
        lineStart = true;
      } else {
        if (lineStart) this.put(" ".repeat(indent));
        this.put(c);
        lineStart = false;
      }
    }
    // The next entry starts on a fresh line: the emitter's write_indent sees column 0 after the last break.
    if (!lineStart) return;
    this.column = -1;
  }
}

function isEmptyContainer(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : !!v && typeof v === "object" && Object.keys(v).length === 0;
}

function scalarText(w: Writer, v: unknown, indent: number): void {
  if (v === null || v === undefined) w.put("null");
  else if (typeof v === "boolean" || typeof v === "number") w.put(String(v));
  else w.scalar(String(v), indent, false);
}

/** A line break before a new entry at `indent`, unless a block scalar just ended on a fresh line. */
function startLine(w: Writer, indent: number): void {
  if (w.column === -1) {
    w.put(" ".repeat(indent));
    w.column = indent;
  } else w.newline(indent);
}

function mapping(w: Writer, o: Record<string, unknown>, indent: number, inline: boolean): void {
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(naturalLess);
  keys.forEach((k, i) => {
    if (!(inline && i === 0)) startLine(w, indent);
    w.scalar(k, indent, true);
    w.put(":");
    value(w, o[k], indent, "map");
  });
}

function sequence(w: Writer, a: unknown[], indent: number, inline: boolean): void {
  a.forEach((v, i) => {
    if (!(inline && i === 0)) startLine(w, indent);
    w.put("-");
    value(w, v, indent, "seq");
  });
}

/** A value after `key:` (its key at `indent`) or after `-` (the dash at `indent`). */
function value(w: Writer, v: unknown, indent: number, ctx: "map" | "seq"): void {
  if (v !== null && typeof v === "object" && !isEmptyContainer(v)) {
    if (Array.isArray(v)) {
      if (ctx === "map") sequence(w, v, indent, false);
      else {
        w.put(" ");
        sequence(w, v, indent + 2, true);
      }
    } else if (ctx === "map") mapping(w, v as Record<string, unknown>, indent + 2, false);
    else {
      w.put(" ");
      mapping(w, v as Record<string, unknown>, indent + 2, true);
    }
    return;
  }
  w.put(" ");
  if (Array.isArray(v)) w.put("[]");
  else if (v !== null && typeof v === "object") w.put("{}");
  else scalarText(w, v, indent + 2);
}

/** yaml.Marshal of a JSON-shaped value, as kubectl's -o yaml prints it. */
export function goYaml(doc: unknown): string {
  const w = new Writer();
  if (doc !== null && typeof doc === "object" && !isEmptyContainer(doc)) {
    if (Array.isArray(doc)) sequence(w, doc, 0, true);
    else mapping(w, doc as Record<string, unknown>, 0, true);
  } else if (Array.isArray(doc)) w.put("[]");
  else if (doc !== null && typeof doc === "object") w.put("{}");
  else scalarText(w, doc, 0);
  let out = w.column === -1 ? w.out : w.out + "\n";
  if (w.openEnded) out += "...\n";
  return out;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** yaml.v2 keyList.Less for string keys. */
export function naturalLess(x: string, y: string): number {
  const a = [...x], b = [...y];
  for (let i = 0; i < a.length && i < b.length; i++) {
    if (a[i] === b[i]) continue;
    const al = isLetter(a[i]), bl = isLetter(b[i]);
    if (al && bl) return a[i] < b[i] ? -1 : 1;
    if (al || bl) return bl ? -1 : 1;
    let an = 0n, bn = 0n;
    if (a[i] === "0" || b[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(a[j]); j--)
        if (a[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
    }
    let ai = i, bi = i;
    for (; ai < a.length && isDigit(a[ai]); ai++) an = an * 10n + BigInt(a[ai].charCodeAt(0) - 48);
    for (; bi < b.length && isDigit(b[bi]); bi++) bn = bn * 10n + BigInt(b[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn ? -1 : 1;
    if (ai !== bi) return ai < bi ? -1 : 1;
    return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

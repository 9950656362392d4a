// The jq language as far as kubelab's jq runs it (jq 1.6's grammar and precedence): paths (.a.b, .["k"], .[n],
// .[m:n], .[], ..), pipes, commas, literals, [..] and {..} construction, string interpolation, arithmetic,
// comparisons, and/or/not, //, if/elif/else/end, `as $x`, `reduce`, `?`, function calls and @formats.

export type Node =
  | { t: "identity" }
  | { t: "recurse" }
  | { t: "field"; of: Node; name: string; opt: boolean }
  | { t: "index"; of: Node; index: Node; opt: boolean }
  | { t: "slice"; of: Node; from?: Node; to?: Node; opt: boolean }
  | { t: "iterate"; of: Node; opt: boolean }
  | { t: "literal"; value: unknown }
  | { t: "string"; parts: (string | Node)[]; format?: string }
  | { t: "format"; name: string }
  | { t: "array"; of?: Node }
  | { t: "object"; entries: { key: Node; value?: Node }[] }
  | { t: "pipe"; left: Node; right: Node }
  | { t: "comma"; left: Node; right: Node }
  | { t: "binop"; op: string; left: Node; right: Node }
  | { t: "neg"; of: Node }
  | { t: "alt"; left: Node; right: Node }
  | { t: "and" | "or"; left: Node; right: Node }
  | { t: "assign"; op: string; left: Node; right: Node }
  | { t: "if"; cond: Node; then: Node; elifs: { cond: Node; then: Node }[]; else?: Node }
  | { t: "try"; body: Node; catch?: Node }
  | { t: "as"; source: Node; name: string; body: Node }
  | { t: "reduce"; source: Node; name: string; init: Node; update: Node }
  | { t: "var"; name: string }
  | { t: "call"; name: string; args: Node[] };

export class JqCompileError extends Error {}

type Tok = { k: "num"; v: number } | { k: "str"; parts: (string | Node)[] } | { k: "id"; v: string } | { k: "field"; v: string } | { k: "var"; v: string } | { k: "fmt"; v: string } | { k: "op"; v: string } | { k: "eof" };

const KEYWORDS = new Set(["if", "then", "elif", "else", "end", "as", "reduce", "foreach", "try", "catch", "and", "or", "not_kw", "def", "import", "include", "label"]);
const OPS = ["|=", "+=", "-=", "*=", "/=", "%=", "//=", "==", "!=", "<=", ">=", "//", "..", "and", "or", "|", ",", "+", "-", "*", "/", "%", "=", "<", ">", ".", "[", "]", "(", ")", "{", "}", ":", ";", "?"];

function syntax(src: string, what: string): JqCompileError {
  return new JqCompileError(`jq: error: syntax error, unexpected ${what} (Unix shell quoting issues?) at <top-level>, line 1:\n${src}\njq: 1 compile error`);
}

class Lexer {
  i = 0;
  constructor(readonly src: string) {}
  toks(): Tok[] {
    const out: Tok[] = [];
    for (;;) {
      const t = this.next();
      out.push(t);
      if (t.k === "eof") return out;
    }
  }
  next(): Tok {
    const s = this.src;
    while (this.i < s.length) {
      if (/\s/.test(s[this.i])) this.i++;
      else if (s[this.i] === "#") while (this.i < s.length && s[this.i] !== "\n") this.i++;
      else break;
    }
    if (this.i >= s.length) return { k: "eof" };
    const c = s[this.i];
    const rest = s.slice(this.i);
    let m: RegExpExecArray | null;
    if ((m = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(rest))) {
      this.i += m[0].length;
      return { k: "num", v: Number(m[0]) };
    }
    if (c === '"') return { k: "str", parts: this.string() };
    if ((m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) {
      this.i += m[0].length;
      return { k: "field", v: m[1] };
    }
    if ((m = /^\$(__loc__|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest))) {
      this.i += m[0].length;
      return { k: "var", v: m[1] };
    }
    if ((m = /^@([A-Za-z0-9_]+)/.exec(rest))) {
      this.i += m[0].length;
      return { k: "fmt", v: m[1] };
    }
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest))) {
      this.i += m[0].length;
      if (m[0] === "and" || m[0] === "or") return { k: "op", v: m[0] };
      return { k: "id", v: m[0] };
    }
    for (const op of OPS) {
      if (rest.startsWith(op) && !/^[a-z]/.test(op)) {
        this.i += op.length;
        return { k: "op", v: op };
      }
    }
    throw syntax(this.src, "INVALID_CHARACTER");
  }
  /** A string literal with \(…) interpolations, after the opening quote. */
  string(): (string | Node)[] {
    const s = this.src;
    this.i++;
    const parts: (string | Node)[] = [];
    let cur = "";
    while (this.i < s.length && s[this.i] !== '"') {
      const c = s[this.i];
      if (c === "\\") {
        const n = s[this.i + 1];
        if (n === "(") {
          // find the matching paren
          let depth = 1;
          let j = this.i + 2;
          let inStr = false;
          for (; j < s.length && depth > 0; j++) {
            if (inStr) {
              if (s[j] === "\\") j++;
              else if (s[j] === '"') inStr = false;
            } else if (s[j] === '"') inStr = true;
            else if (s[j] === "(") depth++;
            else if (s[j] === ")") depth--;
          }
          if (depth) throw syntax(this.src, "end of file");
          if (cur) parts.push(cur);
          cur = "";
          parts.push(parse(s.slice(this.i + 2, j - 1)));
          this.i = j;
          continue;
        }
        const map: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", '"': '"', "\\": "\\", "/": "/" };
        if (n === "u") {
          cur += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
          this.i += 6;
          continue;
        }
        if (!(n in map)) throw syntax(this.src, "INVALID_CHARACTER");
        cur += map[n];
        this.i += 2;
        continue;
      }
      cur += c;
      this.i++;
    }
    if (this.i >= s.length) throw syntax(this.src, "$end, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END");
    this.i++;
    if (cur || !parts.length) parts.push(cur);
    return parts;
  }
}

export function parse(src: string): Node {
  const p = new Parser(src, new Lexer(src).toks());
  const n = p.pipe();
  if (p.peek().k !== "eof") throw syntax(src, describe(p.peek()));
  return n;
}

function describe(t: Tok): string {
  switch (t.k) {
    case "eof":
      return "$end";
    case "id":
      return KEYWORDS.has(t.v) ? t.v : "IDENT";
    case "op":
      return `'${t.v}'`;
    case "num":
      return "LITERAL";
    case "str":
      return "QQSTRING_START";
    default:
      return t.k.toUpperCase();
  }
}

class Parser {
  j = 0;
  constructor(
    readonly src: string,
    readonly toks: Tok[],
  ) {}
  peek(): Tok {
    return this.toks[this.j];
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.k === "op" && t.v === v;
  }
  isId(v: string): boolean {
    const t = this.peek();
    return t.k === "id" && t.v === v;
  }
  expectOp(v: string): void {
    if (!this.isOp(v)) throw syntax(this.src, describe(this.peek()));
    this.j++;
  }
  expectId(v: string): void {
    if (!this.isId(v)) throw syntax(this.src, describe(this.peek()));
    this.j++;
  }
  /** pipe: lowest precedence, right-associative; `E as $x | body` binds here. */
  pipe(): Node {
    const left = this.comma();
    if (this.isId("as")) {
      this.j++;
      const v = this.peek();
      // destructuring (`. as [$a, $b]`, `. as {name: $n}`) is jq 1.6's, not this one's
      if (v.k === "op" && (v.v === "[" || v.v === "{")) throw new JqCompileError("jq: error: kubelab's jq does not support destructuring (`as [...]`, `as {...}`)\njq: 1 compile error");
      if (v.k !== "var") throw syntax(this.src, describe(v));
      this.j++;
      this.expectOp("|");
      return { t: "as", source: left, name: v.v, body: this.pipe() };
    }
    if (this.isOp("|")) {
      this.j++;
      return { t: "pipe", left, right: this.pipe() };
    }
    return left;
  }
  comma(): Node {
    let left = this.alt();
    while (this.isOp(",")) {
      this.j++;
      left = { t: "comma", left, right: this.alt() };
    }
    return left;
  }
  alt(): Node {
    const left = this.assign();
    if (this.isOp("//")) {
      this.j++;
      return { t: "alt", left, right: this.alt() };
    }
    return left;
  }
  assign(): Node {
    const left = this.or();
    const t = this.peek();
    if (t.k === "op" && ["=", "|=", "+=", "-=", "*=", "/=", "%=", "//="].includes(t.v)) {
      this.j++;
      return { t: "assign", op: t.v, left, right: this.alt() };
    }
    return left;
  }
  or(): Node {
    let left = this.and();
    while (this.isOp("or")) {
      this.j++;
      left = { t: "or", left, right: this.and() };
    }
    return left;
  }
  and(): Node {
    let left = this.compare();
    while (this.isOp("and")) {
      this.j++;
      left = { t: "and", left, right: this.compare() };
    }
    return left;
  }
  compare(): Node {
    const left = this.additive();
    const t = this.peek();
    if (t.k === "op" && ["==", "!=", "<", "<=", ">", ">="].includes(t.v)) {
      this.j++;
      return { t: "binop", op: t.v, left, right: this.additive() };
    }
    return left;
  }
  additive(): Node {
    let left = this.multiplicative();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "+" || t.v === "-")) {
        this.j++;
        left = { t: "binop", op: t.v, left, right: this.multiplicative() };
      } else return left;
    }
  }
  multiplicative(): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t.k === "op" && (t.v === "*" || t.v === "/" || t.v === "%")) {
        this.j++;
        left = { t: "binop", op: t.v, left, right: this.unary() };
      } else return left;
    }
  }
  unary(): Node {
    if (this.isOp("-")) {
      this.j++;
      return { t: "neg", of: this.postfix() };
    }
    return this.postfix();
  }
  postfix(): Node {
    let n = this.term();
    for (;;) {
      const t = this.peek();
      if (t.k === "field") {
        this.j++;
        n = { t: "field", of: n, name: t.v, opt: this.optional() };
      } else if (t.k === "op" && t.v === "." && this.toks[this.j + 1]?.k === "str") {
        this.j++;
        const s = this.toks[this.j++] as { parts: (string | Node)[] };
        n = { t: "index", of: n, index: { t: "string", parts: s.parts }, opt: this.optional() };
      } else if (t.k === "op" && (t.v === "[" || (t.v === "." && this.toks[this.j + 1]?.k === "op" && (this.toks[this.j + 1] as { v: string }).v === "["))) {
        if (t.v === ".") this.j++;
        n = this.bracket(n);
      } else if (t.k === "op" && t.v === "?") {
        this.j++;
        n = { t: "try", body: n };
      } else return n;
    }
  }
  optional(): boolean {
    if (this.isOp("?")) {
      this.j++;
      return true;
    }
    return false;
  }
  bracket(of: Node): Node {
    this.expectOp("[");
    if (this.isOp("]")) {
      this.j++;
      return { t: "iterate", of, opt: this.optional() };
    }
    if (this.isOp(":")) {
      this.j++;
      const to = this.pipe();
      this.expectOp("]");
      return { t: "slice", of, to, opt: this.optional() };
    }
    const index = this.pipe();
    if (this.isOp(":")) {
      this.j++;
      const to = this.isOp("]") ? undefined : this.pipe();
      this.expectOp("]");
      return { t: "slice", of, from: index, to, opt: this.optional() };
    }
    this.expectOp("]");
    return { t: "index", of, index, opt: this.optional() };
  }
  term(): Node {
    const t = this.peek();
    switch (t.k) {
      case "num":
        this.j++;
        return { t: "literal", value: t.v };
      case "str":
        this.j++;
        return { t: "string", parts: t.parts };
      case "field":
        this.j++;
        return { t: "field", of: { t: "identity" }, name: t.v, opt: this.optional() };
      case "var":
        this.j++;
        return { t: "var", name: t.v };
      case "fmt": {
        this.j++;
        const next = this.peek();
        if (next.k === "str") {
          this.j++;
          return { t: "string", parts: next.parts, format: t.v };
        }
        return { t: "format", name: t.v };
      }
      case "op":
        if (t.v === ".") {
          this.j++;
          const n = this.peek();
          if (n.k === "str") {
            this.j++;
            return { t: "index", of: { t: "identity" }, index: { t: "string", parts: n.parts }, opt: this.optional() };
          }
          if (n.k === "op" && n.v === "[") return this.bracket({ t: "identity" });
          return { t: "identity" };
        }
        if (t.v === "..") {
          this.j++;
          return { t: "recurse" };
        }
        if (t.v === "(") {
          this.j++;
          const n = this.pipe();
          this.expectOp(")");
          return n;
        }
        if (t.v === "[") {
          this.j++;
          if (this.isOp("]")) {
            this.j++;
            return { t: "array" };
          }
          const n = this.pipe();
          this.expectOp("]");
          return { t: "array", of: n };
        }
        if (t.v === "{") return this.object();
        throw syntax(this.src, describe(t));
      case "id":
        return this.word(t.v);
      default:
        throw syntax(this.src, describe(t));
    }
  }
  word(w: string): Node {
    this.j++;
    if (w === "if") {
      const cond = this.pipe();
      this.expectId("then");
      const then = this.pipe();
      const elifs: { cond: Node; then: Node }[] = [];
      let els: Node | undefined;
      for (;;) {
        if (this.isId("elif")) {
          this.j++;
          const c = this.pipe();
          this.expectId("then");
          elifs.push({ cond: c, then: this.pipe() });
        } else if (this.isId("else")) {
          this.j++;
          els = this.pipe();
        } else break;
      }
      this.expectId("end");
      return { t: "if", cond, then, elifs, else: els };
    }
    if (w === "try") {
      const body = this.postfix();
      if (this.isId("catch")) {
        this.j++;
        return { t: "try", body, catch: this.postfix() };
      }
      return { t: "try", body };
    }
    if (w === "reduce") {
      const source = this.postfix();
      this.expectId("as");
      const v = this.peek();
      if (v.k !== "var") throw syntax(this.src, describe(v));
      this.j++;
      this.expectOp("(");
      const init = this.pipe();
      this.expectOp(";");
      const update = this.pipe();
      this.expectOp(")");
      return { t: "reduce", source, name: v.v, init, update };
    }
    if (w === "def" || w === "foreach" || w === "label" || w === "import" || w === "include")
      throw new JqCompileError(`jq: error: kubelab's jq does not support \`${w}'\njq: 1 compile error`);
    if (KEYWORDS.has(w)) throw syntax(this.src, w);
    if (w === "true" || w === "false" || w === "null") return { t: "literal", value: w === "null" ? null : w === "true" };
    const args: Node[] = [];
    if (this.isOp("(")) {
      this.j++;
      args.push(this.pipe());
      while (this.isOp(";")) {
        this.j++;
        args.push(this.pipe());
      }
      this.expectOp(")");
    }
    return { t: "call", name: w, args };
  }
  object(): Node {
    this.expectOp("{");
    const entries: { key: Node; value?: Node }[] = [];
    while (!this.isOp("}")) {
      const t = this.peek();
      let key: Node;
      if (t.k === "id") {
        this.j++;
        key = { t: "literal", value: t.v };
      } else if (t.k === "var") {
        this.j++;
        key = { t: "literal", value: t.v };
        if (!this.isOp(":")) {
          entries.push({ key, value: { t: "var", name: t.v } });
          if (!this.isOp("}")) this.expectOp(",");
          continue;
        }
      } else if (t.k === "str") {
        this.j++;
        key = { t: "string", parts: t.parts };
      } else if (t.k === "num") {
        throw syntax(this.src, "LITERAL");
      } else if (t.k === "op" && t.v === "(") {
        this.j++;
        key = this.pipe();
        this.expectOp(")");
      } else throw syntax(this.src, describe(t));
      let value: Node | undefined;
      if (this.isOp(":")) {
        this.j++;
        value = this.objectValue();
      }
      entries.push({ key, value });
      if (!this.isOp("}")) this.expectOp(",");
    }
    this.j++;
    return { t: "object", entries };
  }
  /** jq's ExpD: terms joined by `|` (no commas). */
  objectValue(): Node {
    let n = this.alt();
    while (this.isOp("|")) {
      this.j++;
      n = { t: "pipe", left: n, right: this.alt() };
    }
    return n;
  }
}

// Decoding a request body as Go's encoding/json does, for the apiserver's own words when it refuses one: the syntax
// errors of its scanner (`invalid character 's' looking for beginning of object key string`, `unexpected end of JSON
// input`) and the type errors of Unmarshal into a Go type (`json: cannot unmarshal array into Go value of type
// map[string]interface {}`). Students meet these when the shell eats the quotes of `kubectl patch -p '{...}'`.

export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GoJsonError";
  }
}

/** Go's quoteChar: the offending byte as the scanner's message shows it. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 0x5c: "\\\\" };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, "0")}'`;
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, "0")}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * Throws the error Go's checkValid gives for `text` (as UTF-8 bytes), or returns nothing when it is one valid JSON
 * value. A transcription of the scanner's states (encoding/json/scanner.go), not of its code.
 */
export function checkGoJson(text: string): void {
  const b = new TextEncoder().encode(text);
  const stack: ("key" | "value" | "array")[] = [];
  let i = 0;
  const fail = (context: string): never => {
    throw new GoJsonError(`invalid character ${quoteChar(b[i])} ${context}`);
  };
  const eof = (): never => {
    throw new GoJsonError("unexpected end of JSON input");
  };
  const skip = () => {
    while (i < b.length && isSpace(b[i])) i++;
  };
  const literal = (word: string) => {
    for (let k = 1; k < word.length; k++) {
      i++;
      if (i >= b.length) eof();
      if (b[i] !== word.charCodeAt(k)) fail(`in literal ${word} (expecting '${word[k]}')`);
    }
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= b.length) eof();
      const c = b[i];
      if (c === 0x22) return void i++;
      if (c === 0x5c) {
        i++;
        if (i >= b.length) eof();
        const e = b[i];
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= b.length) eof();
            if (!isHex(b[i])) fail("in \\u hexadecimal character escape");
          }
        } else if (!"bfnrt\\/\"".includes(String.fromCharCode(e))) fail("in string escape code");
        i++;
        continue;
      }
      if (c < 0x20) fail("in string literal");
      i++;
    }
  };
  const number = () => {
    if (b[i] === 0x2d) {
      i++;
      if (i >= b.length) eof();
      if (!isDigit(b[i])) fail("in numeric literal");
    }
    if (b[i] === 0x30) i++;
    else while (i < b.length && isDigit(b[i])) i++;
    if (i < b.length && b[i] === 0x2e) {
      i++;
      if (i >= b.length) eof();
      if (!isDigit(b[i])) fail("after decimal point in numeric literal");
      while (i < b.length && isDigit(b[i])) i++;
    }
    if (i < b.length && (b[i] === 0x65 || b[i] === 0x45)) {
      i++;
      if (i < b.length && (b[i] === 0x2b || b[i] === 0x2d)) i++;
      if (i >= b.length) eof();
      if (!isDigit(b[i])) fail("in exponent of numeric literal");
      while (i < b.length && isDigit(b[i])) i++;
    }
  };
  /** A value's first byte, at i (spaces skipped). Returns true when it opened an object or array. */
  const beginValue = (): boolean => {
    skip();
    if (i >= b.length) eof();
    const c = b[i];
    if (c === 0x7b) {
      i++;
      skip();
      if (i >= b.length) eof();
      if (b[i] === 0x7d) {
        i++;
        return false;
      }
      if (b[i] !== 0x22) fail("looking for beginning of object key string");
      string();
      stack.push("key");
      return true;
    }
    if (c === 0x5b) {
      i++;
      skip();
      if (i >= b.length) eof();
      if (b[i] === 0x5d) {
        i++;
        return false;
      }
      stack.push("array");
      return beginValue() || true;
    }
    if (c === 0x22) string();
    else if (c === 0x2d || isDigit(c)) number();
    else if (c === 0x74) literal("true");
    else if (c === 0x66) literal("false");
    else if (c === 0x6e) literal("null");
    else fail("looking for beginning of value");
    return false;
  };
  beginValue();
  while (stack.length) {
    skip();
    if (i >= b.length) eof();
    const top = stack[stack.length - 1];
    const c = b[i];
    if (top === "key") {
      if (c !== 0x3a) fail("after object key");
      i++;
      stack[stack.length - 1] = "value";
      beginValue();
    } else if (top === "value") {
      if (c === 0x2c) {
        i++;
        skip();
        if (i >= b.length) eof();
        if (b[i] !== 0x22) fail("looking for beginning of object key string");
        string();
        stack[stack.length - 1] = "key";
      } else if (c === 0x7d) {
        i++;
        stack.pop();
      } else fail("after object key:value pair");
    } else if (c === 0x2c) {
      i++;
      beginValue();
    } else if (c === 0x5d) {
      i++;
      stack.pop();
    } else fail("after array element");
  }
  skip();
  if (i < b.length) fail("after top-level value");
}

/** The JSON type name Go's UnmarshalTypeError uses for a decoded value. */
export function goValueKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  return typeof v === "object" ? "object" : typeof v === "boolean" ? "bool" : typeof v;
}

/**
 * json.Unmarshal(text, &target) where the target is a map (`map[string]interface {}`) or a slice (e.g.
 * `jsonpatch.Patch`): the value, or Go's error. A JSON null leaves the target empty: an empty object or list.
 */
export function unmarshalGo(text: string, target: { shape: "map" | "slice"; goType: string }): Record<string, unknown> | unknown[] {
  checkGoJson(text);
  const v = JSON.parse(text) as unknown;
  if (v === null) return target.shape === "map" ? {} : [];
  const kind = goValueKind(v);
  if ((target.shape === "map") !== (kind === "object") || (target.shape === "slice") !== (kind === "array"))
    throw new GoJsonError(`json: cannot unmarshal ${kind} into Go value of type ${target.goType}`);
  return v as Record<string, unknown> | unknown[];
}

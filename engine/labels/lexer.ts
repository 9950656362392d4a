// Tokenizer for the label-selector grammar (behaviour of apimachinery v0.19 pkg/labels Lexer).
//
// Quirks kept on purpose because they are observable:
// - whitespace is only ' ', '\t', '\r', '\n';
// - an identifier is any run of characters that are neither whitespace nor one of `= ! ( ) , > <`
//   (so `||`, `~`, `$y` are identifiers and are rejected later by key/value validation);
// - "in" and "notin" are keywords, but the parser treats them as identifiers where a value is expected;
// - a NUL character ends the input, like the end of the string (Go's lexer uses byte 0 as its EOF marker).

export type TokenKind =
  | "EndOfStringToken"
  | "ClosedParToken"
  | "CommaToken"
  | "DoesNotExistToken"
  | "DoubleEqualsToken"
  | "EqualsToken"
  | "GreaterThanToken"
  | "IdentifierToken"
  | "InToken"
  | "LessThanToken"
  | "NotEqualsToken"
  | "NotInToken"
  | "OpenParToken";

export interface Token {
  kind: TokenKind;
  literal: string;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function isSpecial(c: number): boolean {
  // = ! ( ) , > <
  return c === 61 || c === 33 || c === 40 || c === 41 || c === 44 || c === 62 || c === 60;
}

function specialKind(ch: string): TokenKind {
  switch (ch) {
    case "=":
      return "EqualsToken";
    case "!":
      return "DoesNotExistToken";
    case "(":
      return "OpenParToken";
    case ")":
      return "ClosedParToken";
    case ",":
      return "CommaToken";
    case ">":
      return "GreaterThanToken";
    default:
      return "LessThanToken";
  }
}

/** Splits `input` into tokens, the last one always EndOfStringToken (nothing after it is looked at). */
export function tokenize(input: string): Token[] {
  const out: Token[] = [];
  const n = input.length;
  let i = 0;
  for (;;) {
    while (i < n && isWhitespace(input.charCodeAt(i))) i++;
    if (i >= n || input.charCodeAt(i) === 0) {
      out.push({ kind: "EndOfStringToken", literal: "" });
      return out;
    }
    const c = input.charCodeAt(i);
    if (isSpecial(c)) {
      // Longest match among the operator tokens: the only two-character ones are "==" and "!=".
      const next = i + 1 < n ? input.charCodeAt(i + 1) : -1;
      if (next === 61 && (c === 61 || c === 33)) {
        out.push({ kind: c === 61 ? "DoubleEqualsToken" : "NotEqualsToken", literal: input.slice(i, i + 2) });
        i += 2;
      } else {
        const ch = input[i];
        out.push({ kind: specialKind(ch), literal: ch });
        i++;
      }
      continue;
    }
    const start = i;
    while (i < n) {
      const d = input.charCodeAt(i);
      if (d === 0 || isWhitespace(d) || isSpecial(d)) break;
      i++;
    }
    const lit = input.slice(start, i);
    out.push({ kind: lit === "in" ? "InToken" : lit === "notin" ? "NotInToken" : "IdentifierToken", literal: lit });
  }
}

// Label selectors with the semantics and texts of Kubernetes v1.19 (apimachinery v0.19 pkg/labels and
// metav1.LabelSelectorAsSelector): requirements, the selector grammar used by `kubectl -l`, canonical String(),
// and matching. Every error thrown here is a SelectorParseError whose message is exactly upstream's error text.

import type { LabelSelector, Labels } from "../objects.ts";
import { isQualifiedName, isValidLabelValue } from "../validation/names.ts";
import { type Token, type TokenKind, tokenize } from "./lexer.ts";

/** selection.Operator, spelled as upstream's string values ("gt"/"lt" are printed as `>`/`<`). */
export type Operator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** In/NotIn: the value set (parsed selectors keep it sorted and de-duplicated); =, ==, !=, gt, lt: one value. */
  readonly values: readonly string[];
}

/** The one error type of this module; `message` is upstream v1.19's error text. */
export class SelectorParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SelectorParseError";
  }
}

// ---- Go-compatible helpers ----

/** Go's %q for strings (strconv.Quote), close enough for every printable/control character a user can type. */
export function goQuoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else if ((c >= 0x80 && c <= 0x9f) || c === 0xad || (c >= 0xd800 && c <= 0xdfff)) out += "\\u" + c.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, at least one decimal digit, int64 range; else undefined. */
export function parseInt64(s: string): bigint | undefined {
  const n = s.length;
  let i = 0;
  if (n === 0) return undefined;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 || c0 === 45) i = 1;
  if (i === n || n - i > 25) return undefined;
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return undefined;
  }
  const v = BigInt(s[0] === "+" ? s.slice(1) : s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function hasOwn(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

// ---- requirements ----

function keyError(key: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? `invalid label key ${goQuoteString(key)}: ${errs.join("; ")}` : undefined;
}

function valueError(key: string, value: string): string | undefined {
  const errs = isValidLabelValue(value);
  return errs.length ? `invalid label value: ${goQuoteString(value)}: at key: ${goQuoteString(key)}: ${errs.join("; ")}` : undefined;
}

/** labels.NewRequirement (v1.19): validates and throws SelectorParseError with the first problem found. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const ke = keyError(key);
  if (ke) throw new SelectorParseError(ke);
  switch (operator) {
    case "in":
    case "notin":
      if (values.length === 0) throw new SelectorParseError("for 'in', 'notin' operators, values set can't be empty");
      break;
    case "=":
    case "==":
    case "!=":
      if (values.length !== 1) throw new SelectorParseError("exact-match compatibility requires one single value");
      break;
    case "exists":
    case "!":
      if (values.length !== 0) throw new SelectorParseError("values set must be empty for exists and does not exist");
      break;
    case "gt":
    case "lt":
      if (values.length !== 1) throw new SelectorParseError("for 'Gt', 'Lt' operators, exactly one value is required");
      for (const v of values) {
        if (parseInt64(v) === undefined) throw new SelectorParseError("for 'Gt', 'Lt' operators, the value must be an integer");
      }
      break;
    default:
      throw new SelectorParseError(`operator '${String(operator)}' is not recognized`);
  }
  for (const v of values) {
    const ve = valueError(key, v);
    if (ve) throw new SelectorParseError(ve);
  }
  return { key, operator, values: [...values] };
}

/** Requirement.String() (v1.19): `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k>n`, `k<n`, `k in (a,b)`, `k notin (a,b)`. */
export function formatRequirement(r: Requirement): string {
  let s = r.operator === "!" ? "!" + r.key : r.key;
  let paren = false;
  switch (r.operator) {
    case "=":
    case "==":
    case "!=":
      s += r.operator;
      break;
    case "in":
    case "notin":
      s += ` ${r.operator} (`;
      paren = true;
      break;
    case "gt":
      s += ">";
      break;
    case "lt":
      s += "<";
      break;
    case "exists":
    case "!":
      return s;
  }
  s += r.values.length === 1 ? r.values[0] : sortedCopy(r.values).join(",");
  return paren ? s + ")" : s;
}

function sortedCopy(values: readonly string[]): string[] {
  return [...values].sort(compareStrings);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Predicate = (labels: Labels) => boolean;

/** Compiles one requirement to a predicate once, so matching a selector over many objects does no parsing. */
function compileRequirement(r: Requirement): Predicate {
  const key = r.key;
  const vals = r.values;
  switch (r.operator) {
    case "in":
    case "=":
    case "==": {
      if (vals.length === 1) {
        const want = vals[0];
        return (l) => hasOwn(l, key) && l[key] === want;
      }
      const set = new Set(vals);
      return (l) => hasOwn(l, key) && set.has(l[key]);
    }
    case "notin":
    case "!=": {
      if (vals.length === 1) {
        const bad = vals[0];
        return (l) => !hasOwn(l, key) || l[key] !== bad;
      }
      const set = new Set(vals);
      return (l) => !hasOwn(l, key) || !set.has(l[key]);
    }
    case "exists":
      return (l) => hasOwn(l, key);
    case "!":
      return (l) => !hasOwn(l, key);
    case "gt":
    case "lt": {
      const bound = vals.length === 1 ? parseInt64(vals[0]) : undefined;
      if (bound === undefined) return () => false;
      const gt = r.operator === "gt";
      return (l) => {
        if (!hasOwn(l, key)) return false;
        const v = parseInt64(l[key]);
        if (v === undefined) return false;
        return gt ? v > bound : v < bound;
      };
    }
    default:
      return () => false; // the zero Requirement (no operator) never matches
  }
}

// ---- selectors ----

/**
 * An immutable selector: an AND of requirements kept sorted by key (stable), or the special "nothing" selector
 * (labels.Nothing(), what a nil LabelSelector converts to) that matches no object.
 */
export class Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing: boolean;
  private readonly predicates: readonly Predicate[];
  private canonical: string | undefined;

  /**
   * Requirements are sorted by key (stable), as labels.Parse and Selector.Add do. `keepOrder` keeps the given order
   * instead (a Go internalSelector literal); `nothing` makes the match-nothing selector.
   */
  constructor(requirements: readonly Requirement[], opts: { nothing?: boolean; keepOrder?: boolean } = {}) {
    const nothing = opts.nothing ?? false;
    this.requirements = nothing ? [] : opts.keepOrder ? [...requirements] : [...requirements].sort((a, b) => compareStrings(a.key, b.key));
    this.nothing = nothing;
    this.predicates = this.requirements.map(compileRequirement);
  }

  matches(labels: Labels | undefined | null): boolean {
    if (this.nothing) return false;
    const preds = this.predicates;
    if (preds.length === 0) return true;
    const l = labels ?? EMPTY_LABELS;
    for (let i = 0; i < preds.length; i++) if (!preds[i](l)) return false;
    return true;
  }

  /** True when the selector does not restrict anything (Everything()); false for Nothing(). */
  empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  /** Canonical String(): requirements joined by "," with no spaces. */
  toString(): string {
    if (this.canonical === undefined) this.canonical = this.requirements.map(formatRequirement).join(",");
    return this.canonical;
  }

  /** Selector.Add: a new selector with more requirements (re-sorted by key). */
  add(...reqs: Requirement[]): Selector {
    if (this.nothing) return this;
    return new Selector([...this.requirements, ...reqs]);
  }

  /** RequiresExactMatch: the value the first requirement on `label` pins it to, when it is =, == or a 1-value in. */
  requiresExactMatch(label: string): { value: string; found: boolean } {
    for (const r of this.requirements) {
      if (r.key !== label) continue;
      if ((r.operator === "=" || r.operator === "==" || r.operator === "in") && r.values.length === 1) {
        return { value: r.values[0], found: true };
      }
      return { value: "", found: false };
    }
    return { value: "", found: false };
  }
}

const EMPTY_LABELS: Labels = Object.freeze({}) as Labels;

const EVERYTHING = new Selector([]);
const NOTHING = new Selector([], { nothing: true });

/** labels.Everything(): matches every object; String() is "". */
export function everything(): Selector {
  return EVERYTHING;
}

/** labels.Nothing(): matches no object; String() is "". */
export function nothing(): Selector {
  return NOTHING;
}

export function matchesSelector(sel: Selector, labels: Labels | undefined | null): boolean {
  return sel.matches(labels);
}

export function formatSelector(sel: Selector): string {
  return sel.toString();
}

export function selectorRequiresExactMatch(sel: Selector, label: string): { value: string; found: boolean } {
  return sel.requiresExactMatch(label);
}

/** labels.SelectorFromSet: AND of key=value for every entry, no validation (Service spec.selector). Empty => everything. */
export function selectorFromSet(labels: Labels | undefined | null): Selector {
  if (!labels) return EVERYTHING;
  const keys = Object.keys(labels);
  if (keys.length === 0) return EVERYTHING;
  return new Selector(keys.map((k) => ({ key: k, operator: "=" as const, values: [labels[k]] })));
}

/** labels.ValidatedSelectorFromSet: like selectorFromSet but every key and value is validated (throws). */
export function validatedSelectorFromSet(labels: Labels | undefined | null): Selector {
  if (!labels) return EVERYTHING;
  const keys = Object.keys(labels);
  if (keys.length === 0) return EVERYTHING;
  return new Selector(keys.map((k) => newRequirement(k, "=", [labels[k]])));
}

/** metav1.LabelSelectorAsSelector: nil => nothing, empty => everything, else matchLabels AND matchExpressions. */
export function labelSelectorAsSelector(ls: LabelSelector | undefined | null): Selector {
  if (ls === undefined || ls === null) return NOTHING;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels);
  if (labelKeys.length + exprs.length === 0) return EVERYTHING;
  const reqs: Requirement[] = [];
  for (const k of labelKeys) reqs.push(newRequirement(k, "=", [matchLabels[k]]));
  for (const e of exprs) {
    const op = EXPRESSION_OPERATORS[e.operator as string];
    if (!op) throw new SelectorParseError(`${goQuoteString(String(e.operator ?? ""))} is not a valid pod selector operator`);
    reqs.push(newRequirement(e.key, op, e.values ?? []));
  }
  return new Selector(reqs);
}

/** A LabelSelectorRequirement's operators and the parser's. */
const EXPRESSION_OPERATORS: Record<string, Operator> = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!" };

/**
 * metav1.ParseToLabelSelector: `=`/`==` terms become matchLabels, in/notin/exists/!key matchExpressions (in the order
 * written); `!=`, `>` and `<` have no LabelSelector form. Throws SelectorParseError with upstream's words.
 */
export function parseToLabelSelector(text: string): { matchLabels: Record<string, string>; matchExpressions: { key: string; operator: string; values: string[] }[] } {
  let reqs: readonly Requirement[];
  try {
    reqs = new Parser(text).parse();
  } catch (e) {
    if (e instanceof SelectorParseError) throw new SelectorParseError(`couldn't parse the selector string "${text}": ${e.message}`);
    throw e;
  }
  const out = { matchLabels: {} as Record<string, string>, matchExpressions: [] as { key: string; operator: string; values: string[] }[] };
  for (const r of reqs) {
    const goOp = Object.keys(EXPRESSION_OPERATORS).find((k) => EXPRESSION_OPERATORS[k] === r.operator);
    if (r.operator === "=" || r.operator === "==") out.matchLabels[r.key] = r.values[0];
    else if (r.operator === "gt" || r.operator === "lt") throw new SelectorParseError(`"${r.operator === "gt" ? ">" : "<"}" isn't supported in label selectors`);
    else if (goOp) out.matchExpressions.push({ key: r.key, operator: goOp, values: [...r.values] });
    else throw new SelectorParseError(`"${r.operator}" is not a valid label selector operator`);
  }
  return out;
}

/** metav1.FormatLabelSelector (kubectl's SELECTOR column for Deployments/ReplicaSets): `<none>` / `<error>`. */
export function formatLabelSelector(ls: LabelSelector | undefined | null): string {
  let s: string;
  try {
    s = labelSelectorAsSelector(ls).toString();
  } catch (e) {
    if (e instanceof SelectorParseError) return "<error>";
    throw e;
  }
  return s === "" ? "<none>" : s;
}

// ---- parser (labels.Parse) ----

class Parser {
  private readonly toks: Token[];
  private pos = 0;

  constructor(text: string) {
    this.toks = tokenize(text);
  }

  /** In a value context the keywords `in` / `notin` are plain identifiers. */
  private static asValue(kind: TokenKind): TokenKind {
    return kind === "InToken" || kind === "NotInToken" ? "IdentifierToken" : kind;
  }

  private peek(): Token {
    const t = this.toks[this.pos];
    return { kind: Parser.asValue(t.kind), literal: t.literal };
  }

  private next(valueContext = true): Token {
    const t = this.toks[Math.min(this.pos, this.toks.length - 1)];
    this.pos++;
    return valueContext ? { kind: Parser.asValue(t.kind), literal: t.literal } : t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "EndOfStringToken") return reqs;
      if (t.kind !== "IdentifierToken" && t.kind !== "DoesNotExistToken") {
        throw new SelectorParseError(`found '${t.literal}', expected: !, identifier, or 'end of string'`);
      }
      let r: Requirement;
      try {
        r = this.parseRequirement();
      } catch (e) {
        if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      reqs.push(r);
      const sep = this.next();
      if (sep.kind === "EndOfStringToken") return reqs;
      if (sep.kind !== "CommaToken") throw new SelectorParseError(`found '${sep.literal}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.kind !== "IdentifierToken" && after.kind !== "DoesNotExistToken") {
        throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    let t = this.next();
    let unary: Operator | undefined;
    if (t.kind === "DoesNotExistToken") {
      unary = "!";
      t = this.next();
    }
    if (t.kind !== "IdentifierToken") throw new SelectorParseError(`found '${t.literal}', expected: identifier`);
    const key = t.literal;
    const ke = keyError(key);
    if (ke) throw new SelectorParseError(ke);
    const la = this.peek().kind;
    if (unary === undefined && (la === "EndOfStringToken" || la === "CommaToken")) unary = "exists";
    if (unary !== undefined) return newRequirement(key, unary, []);

    const opTok = this.next(false);
    let op: Operator;
    switch (opTok.kind) {
      case "InToken":
        op = "in";
        break;
      case "NotInToken":
        op = "notin";
        break;
      case "EqualsToken":
        op = "=";
        break;
      case "DoubleEqualsToken":
        op = "==";
        break;
      case "NotEqualsToken":
        op = "!=";
        break;
      case "GreaterThanToken":
        op = "gt";
        break;
      case "LessThanToken":
        op = "lt";
        break;
      default:
        // v1.19's text really lacks the quote before notin.
        throw new SelectorParseError(`found '${opTok.literal}', expected: '=', '!=', '==', 'in', notin'`);
    }
    const values = op === "in" || op === "notin" ? this.parseValueSet() : [this.parseExactValue()];
    return newRequirement(key, op, values);
  }

  /** `( v1, v2, ... )`: returns the sorted, de-duplicated set; empty slots count as the empty value. */
  private parseValueSet(): string[] {
    const open = this.next();
    if (open.kind !== "OpenParToken") throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const first = this.peek();
    const set = new Set<string>();
    if (first.kind === "ClosedParToken") {
      this.next();
      set.add("");
    } else if (first.kind === "IdentifierToken" || first.kind === "CommaToken") {
      this.parseIdentifierList(set);
      const close = this.next();
      if (close.kind !== "ClosedParToken") throw new SelectorParseError(`found '${first.literal}', expected: ')'`);
    } else {
      throw new SelectorParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    return [...set].sort(compareStrings);
  }

  /** Leaves the closing parenthesis unconsumed. Mirrors v1.19's handling of empty slots (`(,a)`, `(a,)`, `(a,,b)`). */
  private parseIdentifierList(set: Set<string>): void {
    for (;;) {
      const t = this.next();
      if (t.kind === "IdentifierToken") {
        set.add(t.literal);
        const la = this.peek();
        if (la.kind === "CommaToken") continue;
        if (la.kind === "ClosedParToken") return;
        throw new SelectorParseError(`found '${la.literal}', expected: ',' or ')'`);
      } else if (t.kind === "CommaToken") {
        if (set.size === 0) set.add("");
        const la = this.peek();
        if (la.kind === "ClosedParToken") {
          set.add("");
          return;
        }
        if (la.kind === "CommaToken") {
          this.next();
          set.add("");
        }
      } else {
        throw new SelectorParseError(`found '${t.literal}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string {
    const la = this.peek();
    if (la.kind === "EndOfStringToken" || la.kind === "CommaToken") return "";
    const t = this.next();
    if (t.kind === "IdentifierToken") return t.literal;
    throw new SelectorParseError(`found '${t.literal}', expected: identifier`);
  }
}

/**
 * labels.Parse: the `kubectl -l` grammar, e.g. `app=web,tier!=db`, `env in (a,b)`, `!canary`, `x>1`.
 * "" (or only whitespace) is the everything selector. Throws SelectorParseError with upstream's message.
 */
export function parseSelector(text: string): Selector {
  const reqs = new Parser(text).parse();
  return reqs.length === 0 ? EVERYTHING : new Selector(reqs);
}

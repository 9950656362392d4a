// Property tests for label selectors: canonical strings round-trip through the parser, parsing never fails with
// anything but SelectorParseError, and matching follows the documented set semantics.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Operator, type Requirement, Selector, SelectorParseError, parseSelector } from "../engine/labels/index.ts";
import { isQualifiedName, isValidLabelValue } from "../engine/validation/names.ts";

const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split(""));
const nameInner = fc.constantFrom(..."abcxyzABZ09-_.".split(""));
const dnsChar = fc.constantFrom(..."abcdefxyz0123456789".split(""));
const dnsInner = fc.constantFrom(..."abcxyz09-".split(""));

/** A qualified-name part: alphanumeric at both ends, [-A-Za-z0-9_.] inside, at most 63 characters. */
const namePart = fc
  .tuple(alnum, fc.array(nameInner, { maxLength: 8 }), alnum, fc.boolean())
  .map(([a, mid, z, single]) => (single ? a : a + mid.join("") + z));

const dnsLabel = fc
  .tuple(dnsChar, fc.array(dnsInner, { maxLength: 6 }), dnsChar, fc.boolean())
  .map(([a, mid, z, single]) => (single ? a : a + mid.join("") + z));

const prefix = fc.array(dnsLabel, { minLength: 1, maxLength: 3 }).map((ls) => ls.join("."));

/** Includes the keywords, which are legal keys and values and must survive a round trip. */
const labelKey = fc.oneof(
  { weight: 6, arbitrary: namePart },
  { weight: 3, arbitrary: fc.tuple(prefix, namePart).map(([p, n]) => `${p}/${n}`) },
  { weight: 1, arbitrary: fc.constantFrom("in", "notin", "app", "tier") },
);

const labelValue = fc.oneof(
  { weight: 6, arbitrary: namePart },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.constantFrom("in", "notin") },
);

const intValue = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  fc.integer({ min: 0, max: 999 }).map((n) => "0" + n), // leading zeros are valid label values and ints
);

const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.tuple(labelKey, fc.constantFrom<Operator>("=", "==", "!="), labelValue).map(([key, operator, v]) => ({ key, operator, values: [v] })),
  fc
    .tuple(labelKey, fc.constantFrom<Operator>("in", "notin"), fc.uniqueArray(labelValue, { minLength: 1, maxLength: 4 }))
    .map(([key, operator, values]) => ({ key, operator, values })),
  fc.tuple(labelKey, fc.constantFrom<Operator>("exists", "!")).map(([key, operator]) => ({ key, operator, values: [] })),
  fc.tuple(labelKey, fc.constantFrom<Operator>("gt", "lt"), intValue).map(([key, operator, v]) => ({ key, operator, values: [v] })),
);

const selector = fc.array(requirement, { maxLength: 6 }).map((reqs) => new Selector(reqs));

/** Label maps drawn from a small key/value pool so that selectors and labels actually overlap. */
const labelMap = fc.dictionary(
  fc.constantFrom("app", "tier", "in", "notin", "a", "b.io/c", "x"),
  fc.constantFrom("", "a", "web", "in", "0", "7", "42", "-3", "99999999999999999999"),
  { maxKeys: 5 },
);

describe("selector properties", () => {
  it("generated requirements are valid by construction", () => {
    fc.assert(
      fc.property(requirement, (r) => {
        expect(isQualifiedName(r.key)).toEqual([]);
        for (const v of r.values) expect(isValidLabelValue(v)).toEqual([]);
      }),
    );
  });

  it("parse(format(s)) has the same canonical string and the same requirements", () => {
    fc.assert(
      fc.property(selector, (sel) => {
        const text = sel.toString();
        const back = parseSelector(text);
        expect(back.toString()).toBe(text);
        // Parsing yields the value sets sorted; the generated ones are unique, so only the order may differ.
        expect(back.requirements).toEqual(
          sel.requirements.map((r) => ({ ...r, values: [...r.values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("the parsed selector matches exactly the same label maps as the original", () => {
    fc.assert(
      fc.property(selector, fc.array(labelMap, { maxLength: 8 }), (sel, maps) => {
        const back = parseSelector(sel.toString());
        for (const m of maps) expect(back.matches(m)).toBe(sel.matches(m));
      }),
      { numRuns: 300 },
    );
  });

  it("inserting whitespace between tokens does not change the result", () => {
    fc.assert(
      fc.property(selector, fc.constantFrom(" ", "\t", "\n", "  "), (sel, ws) => {
        const text = sel.toString();
        const spaced = text.replace(/([,()=!<>])/g, `${ws}$1${ws}`).replace(/!\s+=/g, "!=").replace(/=\s+=/g, "==");
        expect(parseSelector(spaced).toString()).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("matching agrees with the per-operator definition", () => {
    fc.assert(
      fc.property(requirement, labelMap, (r, labels) => {
        const has = Object.prototype.hasOwnProperty.call(labels, r.key);
        const v = labels[r.key];
        let want: boolean;
        switch (r.operator) {
          case "=":
          case "==":
          case "in":
            want = has && r.values.includes(v);
            break;
          case "!=":
          case "notin":
            want = !has || !r.values.includes(v);
            break;
          case "exists":
            want = has;
            break;
          case "!":
            want = !has;
            break;
          default: {
            const ok = has && /^[+-]?\d+$/.test(v) && BigInt(v) >= -(2n ** 63n) && BigInt(v) < 2n ** 63n;
            want = ok && (r.operator === "gt" ? BigInt(v) > BigInt(r.values[0]) : BigInt(v) < BigInt(r.values[0]));
          }
        }
        expect(new Selector([r]).matches(labels)).toBe(want);
      }),
      { numRuns: 1000 },
    );
  });

  it("the empty selector matches every label map", () => {
    fc.assert(
      fc.property(labelMap, (m) => {
        expect(parseSelector("").matches(m)).toBe(true);
      }),
    );
  });
});

function parsesOrThrowsTyped(text: string): void {
  let sel: Selector;
  try {
    sel = parseSelector(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorParseError);
    expect((e as Error).message.length).toBeGreaterThan(0);
    return;
  }
  // Whatever parsed has a canonical form that is a fixed point.
  const canon = sel.toString();
  expect(parseSelector(canon).toString()).toBe(canon);
}

describe("robustness on arbitrary input", () => {
  it("random strings never throw anything but SelectorParseError", () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), parsesOrThrowsTyped), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), parsesOrThrowsTyped), { numRuns: 1000 });
  });

  it("random token soups never throw anything but SelectorParseError", () => {
    const piece = fc.constantFrom(
      "x",
      "a/b",
      "in",
      "notin",
      "(",
      ")",
      ",",
      "=",
      "==",
      "!=",
      "!",
      ">",
      "<",
      " ",
      "\t",
      "v",
      "1",
      "-1",
      "",
      "é",
      "/",
      "\u0000",
      "|",
      "9223372036854775808",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (ps) => parsesOrThrowsTyped(ps.join(""))),
      { numRuns: 3000 },
    );
  });
});

// Label selectors at their edges (apimachinery v0.19 pkg/labels): a nil LabelSelector selects nothing (labels.Nothing)
// and stays that way when requirements are added; Add re-sorts; RequiresExactMatch; the parser's "found …,
// expected …" errors at each place a token can be wrong; Lt on values ParseInt refuses; %q's \n \r \t.
import { describe, expect, it } from "vitest";
import { convertSelectorToLabelsMap, labelSelectorAsSelector, newRequirement, parseSelector, selectorRequiresExactMatch } from "../engine/labels/index.ts";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("a nil LabelSelector is Nothing()", () => {
  it.each([
    ["undefined", undefined],
    ["null", null],
  ])("%s matches no labels at all, is not empty, and adding a requirement changes nothing", (_name, ls) => {
    const nothing = labelSelectorAsSelector(ls);
    expect([nothing.matches({}), nothing.matches({ app: "web" }), nothing.empty()]).toEqual([false, false, false]);
    expect(nothing.add(newRequirement("app", "exists", [])).matches({ app: "web" })).toBe(false);
  });

  it("an unknown matchExpressions operator is refused with upstream's text", () => {
    expect(message(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "Foo" as never }] }))).toBe('"Foo" is not a valid pod selector operator');
  });
});

describe("Add and RequiresExactMatch", () => {
  it("add returns a new selector with the requirement, sorted by key", () => {
    const sel = parseSelector("c");
    expect(sel.add(newRequirement("b", "exists", [])).toString()).toBe("b,c");
    expect(sel.toString()).toBe("c");
  });

  it.each([
    ["a=b", "a", { value: "b", found: true }],
    ["a=b", "c", { value: "", found: false }],
    ["a in (b,c)", "a", { value: "", found: false }],
  ])("%s requires an exact match of %s: %o", (text, label, want) => {
    expect(selectorRequiresExactMatch(parseSelector(text), label)).toEqual(want);
  });
});

describe("parse errors say what was found and what was expected", () => {
  it.each([
    ["!", "unable to parse requirement: found '', expected: identifier"],
    ["!(", "unable to parse requirement: found '(', expected: identifier"],
    ["a=(", "unable to parse requirement: found '(', expected: identifier"],
    ["a in x", "unable to parse requirement: found 'x' expected: '('"],
    ["a notin", "unable to parse requirement: found '' expected: '('"],
    ["a in (x", "unable to parse requirement: found '', expected: ',' or ')'"],
    ["a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"],
    ["a b", "unable to parse requirement: found 'b', expected: '=', '!=', '==', 'in', notin'"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
  ])("%s", (text, want) => {
    expect(message(() => parseSelector(text))).toBe(want);
  });
});

describe("Lt on label values ParseInt refuses", () => {
  it.each([
    ["4", true],
    ["5", false],
    ["+", false],
    ["-", false],
    ["7.5", false],
  ])("a<5 on %s: %s", (value, want) => {
    expect(parseSelector("a<5").matches({ a: value })).toBe(want);
  });
});

describe("%q quotes newline, carriage return and tab inside a value", () => {
  it.each([
    ["a\nb", '"a\\nb"'],
    ["a\rb", '"a\\rb"'],
    ["a\tb", '"a\\tb"'],
  ])("%j", (value, quoted) => {
    expect(message(() => convertSelectorToLabelsMap(`x=${value}`))).toMatch(new RegExp(`^invalid label value: ${quoted.replace(/\\/g, "\\\\")}: at key: "x": `));
  });
});

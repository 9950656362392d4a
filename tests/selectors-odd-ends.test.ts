// Four rules of engine/labels that the selector tables left unread (the labels mutation run's survivors): the parse
// error's name, an operator missing altogether, `empty()` of a selector with a requirement, and the match-nothing
// selector built afresh (the module's shared `nothing()` is built once, at load).
import { describe, expect, it } from "vitest";
import { Selector, SelectorParseError, labelSelectorAsSelector, nothing, parseSelector } from "../engine/labels/index.ts";

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
};

describe("selector odd ends", () => {
  it("a parse error is a SelectorParseError by name too (what a log line or a caller across realms reads)", () => {
    const e = thrown(() => parseSelector("a in (b"));
    expect(e).toBeInstanceOf(SelectorParseError);
    expect((e as Error).name).toBe("SelectorParseError");
  });

  it('a matchExpression with no operator at all is refused as v1.19 prints it: "" is not a valid pod selector operator', () => {
    const e = thrown(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a" } as never] }));
    expect((e as Error).message).toBe('"" is not a valid pod selector operator');
  });

  it.each([
    ["", true],
    ["a", false],
    ["a=b", false],
    ["!a", false],
  ])("parseSelector(%j).empty() is %s", (text, empty) => {
    expect(parseSelector(text).empty()).toBe(empty);
  });

  it("Nothing() is not empty and matches no labels, also when built afresh", () => {
    for (const s of [nothing(), new Selector([], { nothing: true })]) {
      expect(s.empty()).toBe(false);
      expect(s.matches({})).toBe(false);
      expect(s.matches({ a: "b" })).toBe(false);
    }
    expect(new Selector([]).matches({})).toBe(true);
    expect(new Selector([], { nothing: false }).empty()).toBe(true);
  });
});

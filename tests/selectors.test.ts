// Label selectors against the upstream v1.19 tables in tests/fixtures/selectors.json (transcribed from apimachinery
// v0.19.16 pkg/labels tests; canonical strings and error texts computed by running the v0.19.16 code).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Operator,
  type Requirement,
  Selector,
  SelectorParseError,
  convertSelectorToLabelsMap,
  everything,
  formatLabelSelector,
  formatLabels,
  formatSelector,
  labelSelectorAsSelector,
  labelsConflict,
  labelsHas,
  labelsString,
  matchesSelector,
  mergeLabels,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromSet,
  selectorRequiresExactMatch,
  tokenize,
  validatedSelectorFromSet,
} from "../engine/labels/index.ts";

type Labels = Record<string, string>;
interface RawReq {
  key: string;
  operator: string;
  values: string[];
}
interface ParseCase {
  test?: string;
  selector: string;
  valid: boolean;
  canonical?: string;
  requirements?: RawReq[];
  error_v1_19?: string;
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/selectors.json", import.meta.url), "utf8"));

/** Builds requirements exactly as given (no validation), like constructing Requirement structs in Go tests. */
function raw(reqs: RawReq[]): Requirement[] {
  return reqs.map((r) => ({ key: r.key, operator: r.operator as Operator, values: r.values }));
}

function name(s: unknown): string {
  const j = JSON.stringify(s);
  return j.length > 60 ? j.slice(0, 50) + `…(${j.length})` : j;
}

function expectParseError(text: string, message: string): void {
  let err: unknown;
  try {
    parseSelector(text);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SelectorParseError);
  expect((err as Error).message).toBe(message);
}

function checkParseCase(c: ParseCase): void {
  if (!c.valid) {
    expectParseError(c.selector, c.error_v1_19!);
    return;
  }
  const sel = parseSelector(c.selector);
  expect(formatSelector(sel)).toBe(c.canonical);
  if (c.requirements) expect(sel.requirements).toEqual(c.requirements);
  // The canonical form is a fixed point.
  expect(parseSelector(c.canonical!).toString()).toBe(c.canonical);
}

describe("parse (TestSelectorParse, TestDeterministicParse, TestSetSelectorParser)", () => {
  const cases = fx.parse as ParseCase[];
  it("has the upstream rows", () => expect(cases.length).toBe(48));
  it.each(cases.map((c) => [c.test, name(c.selector), c] as const))("%s %s", (_t, _n, c) => checkParseCase(c));
});

describe("parse: rows added upstream after v1.19, with v1.19's own results", () => {
  const cases = (fx.parse_master_only.cases as Record<string, unknown>[]).map(
    (c): ParseCase => ({
      selector: c.selector as string,
      valid: c.valid_v1_19 as boolean,
      canonical: c.canonical_v1_19 as string | undefined,
      requirements: c.requirements_v1_19 as RawReq[] | undefined,
      error_v1_19: c.error_v1_19 as string | undefined,
    }),
  );
  it.each(cases.map((c) => [name(c.selector), c] as const))("%s", (_n, c) => checkParseCase(c));
});

describe("TestMatchesNothing inputs (master) parsed and matched by v1.19 rules", () => {
  const cases = fx.parse_master_TestMatchesNothing_inputs.cases as (ParseCase & Record<string, unknown>)[];
  it.each(cases.map((c) => [name(c.selector), c] as const))("%s", (_n, c) => {
    checkParseCase(c);
    const sel = parseSelector(c.selector);
    expect(sel.matches({})).toBe(c["computed_matches_{}"]);
    expect(sel.matches({ a: "b" })).toBe(c["computed_matches_{a:b}"]);
  });
});

describe("apiserver bad -l selector messages", () => {
  const cases = fx.apiserver_bad_selector_error.cases as { selector: string; server_message?: string; valid?: boolean; canonical?: string }[];
  it.each(cases.map((c) => [name(c.selector), c] as const))("%s", (_n, c) => {
    if (c.server_message) expectParseError(c.selector, c.server_message);
    else expect(parseSelector(c.selector).toString()).toBe(c.canonical);
  });
});

describe("TestSelectorMatches", () => {
  const cases = fx.match as { selector: string; labels: Labels; matches: boolean }[];
  it.each(cases.map((c) => [c.selector, name(c.labels), c] as const))("%s on %s", (_s, _l, c) => {
    expect(matchesSelector(parseSelector(c.selector), c.labels)).toBe(c.matches);
  });
});

describe("TestSetMatches (selectors from a label set)", () => {
  const cases = fx.set_match as { labels: Labels; selector_set: Labels; selector_string: string; matches: boolean }[];
  it.each(cases.map((c) => [c.selector_string, c] as const))("%s", (_s, c) => {
    const sel = selectorFromSet(c.selector_set);
    expect(sel.toString()).toBe(c.selector_string);
    expect(sel.matches(c.labels)).toBe(c.matches);
    expect(parseSelector(c.selector_string).matches(c.labels)).toBe(c.matches);
  });
});

describe("Everything / Nothing / empty selectors", () => {
  it("Everything() and empty sets match all and print as empty", () => {
    for (const sel of [everything(), selectorFromSet(undefined), selectorFromSet({}), parseSelector(""), parseSelector(" \t")]) {
      expect(sel.empty()).toBe(true);
      expect(sel.toString()).toBe("");
      expect(sel.matches({ x: "y" })).toBe(true);
      expect(sel.matches({})).toBe(true);
    }
  });
  it("Nothing() matches nothing, is not empty, prints as empty", () => {
    const row = (fx.everything_and_empty as { selector: string; labels?: Labels; matches?: boolean; empty: boolean; string?: string }[]).find(
      (r) => r.selector === "Nothing()",
    )!;
    const sel = nothing();
    expect(sel.empty()).toBe(row.empty);
    expect(sel.toString()).toBe(row.string);
    expect(sel.matches(row.labels!)).toBe(row.matches);
    expect(sel.add(newRequirement("x", "exists", [])).matches({ x: "1" })).toBe(false);
  });
});

describe("TestRequirementSelectorMatching", () => {
  const cases = fx.requirement_matching as { requirements: RawReq[]; labels: Labels; matches: boolean; selector_string?: string }[];
  it.each(cases.map((c) => [c.selector_string ?? "(zero requirement)", name(c.labels), c] as const))("%s on %s", (_s, _l, c) => {
    const sel = new Selector(raw(c.requirements));
    expect(sel.matches(c.labels)).toBe(c.matches);
    if (c.selector_string !== undefined) {
      expect(sel.toString()).toBe(c.selector_string);
      expect(parseSelector(c.selector_string).matches(c.labels)).toBe(c.matches);
    }
  });
});

describe("TestToString", () => {
  const cases = fx.requirements_to_string as { requirements: RawReq[]; string: string; valid: boolean }[];
  it.each(cases.map((c) => [c.string, c] as const))("%s", (_s, c) => {
    // Upstream builds an internalSelector literal here: printed in the given order, no sorting.
    const sel = new Selector(raw(c.requirements), { keepOrder: true });
    expect(sel.toString()).toBe(c.string);
    if (c.valid) expect(parseSelector(c.string).toString()).toBe(c.string);
    else expect(() => parseSelector(c.string)).toThrow(SelectorParseError);
  });
});

describe("TestRequirementConstructor (NewRequirement v1.19 errors)", () => {
  const cases = fx.requirement_constructor as { key: string; operator: Operator; values: string[]; valid: boolean; error_v1_19?: string }[];
  it.each(cases.map((c) => [name(c.key), c.operator, JSON.stringify(c.values), c] as const))("%s %s %s", (_k, _o, _v, c) => {
    if (c.valid) {
      expect(newRequirement(c.key, c.operator, c.values)).toEqual({ key: c.key, operator: c.operator, values: c.values });
    } else {
      expect(() => newRequirement(c.key, c.operator, c.values)).toThrow(new SelectorParseError(c.error_v1_19!));
    }
  });
  it("other v1.19 constructor messages", () => {
    expect(() => newRequirement("x", "=", ["a", "b"])).toThrow("exact-match compatibility requires one single value");
    expect(() => newRequirement("x", "exists", ["a"])).toThrow("values set must be empty for exists and does not exist");
    expect(() => newRequirement("x", "gt", ["1", "2"])).toThrow("for 'Gt', 'Lt' operators, exactly one value is required");
    expect(() => newRequirement("x", "~" as Operator, [])).toThrow("operator '~' is not recognized");
  });
});

describe("TestValidatedSelectorFromSet / selectorFromSet", () => {
  const cases = fx.validated_selector_from_set as { name: string; set: Labels; valid: boolean; string?: string; error_v1_19?: string }[];
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    if (c.valid) expect(validatedSelectorFromSet(c.set).toString()).toBe(c.string);
    else expect(() => validatedSelectorFromSet(c.set)).toThrow(new SelectorParseError(c.error_v1_19!));
  });
  const strings = fx.set_selector_string_master as { set: Labels; string: string }[];
  it.each(strings.map((c) => [c.string, c] as const))("selectorFromSet prints %s", (_s, c) => {
    expect(selectorFromSet(c.set).toString()).toBe(c.string);
  });
  it("selectorFromSet does not validate (the apiserver would)", () => {
    const sel = selectorFromSet({ "bad key": "bad value" });
    expect(sel.matches({ "bad key": "bad value" })).toBe(true);
    expect(sel.matches({ "bad key": "other" })).toBe(false);
  });
});

describe("TestRequiresExactMatch", () => {
  const cases = fx.requires_exact_match as { name: string; requirements: RawReq[]; label: string; value: string; found: boolean }[];
  it.each(cases.map((c) => [c.name, c.label, c] as const))("%s (%s)", (_n, _l, c) => {
    expect(selectorRequiresExactMatch(new Selector(raw(c.requirements)), c.label)).toEqual({ value: c.value, found: c.found });
  });
});

describe("lexer (TestLexer, TestLexerSequence)", () => {
  const single = fx.lexer as { input: string; literal: string; token: string }[];
  it.each(single.map((c) => [JSON.stringify(c.input), c] as const))("%s", (_i, c) => {
    const toks = tokenize(c.input);
    expect(toks[0]).toEqual({ kind: c.token, literal: c.literal });
    expect(toks[toks.length - 1].kind).toBe("EndOfStringToken");
  });
  const seq = fx.lexer_sequence as { input: string; literals: string[]; tokens: string[] }[];
  it.each(seq.map((c) => [JSON.stringify(c.input), c] as const))("%s", (_i, c) => {
    const toks = tokenize(c.input);
    expect(toks.slice(0, -1).map((t) => t.kind)).toEqual(c.tokens);
    expect(toks.slice(0, -1).map((t) => t.literal)).toEqual(c.literals);
    expect(toks[toks.length - 1]).toEqual({ kind: "EndOfStringToken", literal: "" });
  });
  it("a NUL character ends the input, as in Go's lexer", () => {
    expect(parseSelector("x\u0000=(").toString()).toBe("x");
  });
  it("splits operators greedily only for == and !=", () => {
    expect(tokenize("a>=1").map((t) => t.literal)).toEqual(["a", ">", "=", "1", ""]);
    expect(tokenize("a!==b").map((t) => t.kind)).toEqual([
      "IdentifierToken",
      "NotEqualsToken",
      "EqualsToken",
      "IdentifierToken",
      "EndOfStringToken",
    ]);
  });
});

describe("labels.Set helpers (TestSetString, TestLabelHas, TestLabelConflict, TestLabelMerge)", () => {
  it.each((fx.labels_set_string as { labels: Labels; string: string }[]).map((c) => [c.string, c] as const))("%s", (_s, c) => {
    expect(labelsString(c.labels)).toBe(c.string);
    expect(formatLabels(c.labels)).toBe(c.string);
  });
  it("FormatLabels prints <none> for no labels and sorts whole k=v strings", () => {
    expect(formatLabels({})).toBe("<none>");
    expect(formatLabels(undefined)).toBe("<none>");
    expect(formatLabels({ a: "1", "a-b": "2" })).toBe("a-b=2,a=1");
    expect(formatLabels({ run: "nginx", app: "web" })).toBe("app=web,run=nginx");
  });
  it.each((fx.labels_has as { labels: Labels; key: string; has: boolean }[]).map((c) => [c.key, name(c.labels), c] as const))(
    "has %s in %s",
    (_k, _l, c) => expect(labelsHas(c.labels, c.key)).toBe(c.has),
  );
  it.each((fx.labels_conflict as { labels1: Labels; labels2: Labels; conflict: boolean }[]).map((c) => [name(c.labels1), name(c.labels2), c] as const))(
    "conflict %s vs %s",
    (_a, _b, c) => {
      expect(labelsConflict(c.labels1, c.labels2)).toBe(c.conflict);
      expect(labelsConflict(c.labels2, c.labels1)).toBe(c.conflict);
    },
  );
  it.each((fx.labels_merge as { labels1: Labels; labels2: Labels; merged: Labels }[]).map((c) => [name(c.labels1), name(c.labels2), c] as const))(
    "merge %s + %s",
    (_a, _b, c) => expect(mergeLabels(c.labels1, c.labels2)).toEqual(c.merged),
  );
  it("labelsHas ignores inherited object properties", () => {
    expect(labelsHas({}, "constructor")).toBe(false);
    expect(parseSelector("constructor").matches({})).toBe(false);
    expect(parseSelector("toString!=x").matches({})).toBe(true);
  });
});

describe("ConvertSelectorToLabelsMap", () => {
  const cases = fx.convert_selector_to_labels_map.cases as { selector: string; labels: Labels; valid: boolean; error_v1_19?: string }[];
  it.each(cases.map((c) => [JSON.stringify(c.selector), c] as const))("%s", (_s, c) => {
    if (c.valid) expect(convertSelectorToLabelsMap(c.selector)).toEqual(c.labels);
    else expect(() => convertSelectorToLabelsMap(c.selector)).toThrow(new SelectorParseError(c.error_v1_19!));
  });
});

describe("LabelSelector (matchLabels / matchExpressions) conversion", () => {
  it("nil selects nothing, empty selects everything", () => {
    expect(labelSelectorAsSelector(undefined).matches({ a: "b" })).toBe(false);
    expect(labelSelectorAsSelector({}).matches({ a: "b" })).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: {}, matchExpressions: [] }).empty()).toBe(true);
  });
  it("ANDs matchLabels and matchExpressions, sorted by key", () => {
    const sel = labelSelectorAsSelector({
      matchLabels: { tier: "web", app: "shop" },
      matchExpressions: [
        { key: "env", operator: "In", values: ["prod", "canary"] },
        { key: "legacy", operator: "DoesNotExist" },
        { key: "zone", operator: "NotIn", values: ["b"] },
        { key: "app", operator: "Exists" },
      ],
    });
    expect(sel.toString()).toBe("app=shop,app,env in (canary,prod),!legacy,tier=web,zone notin (b)");
    expect(sel.matches({ app: "shop", tier: "web", env: "prod" })).toBe(true);
    expect(sel.matches({ app: "shop", tier: "web", env: "prod", zone: "b" })).toBe(false);
    expect(sel.matches({ app: "shop", tier: "web", env: "dev" })).toBe(false);
    expect(sel.matches({ app: "shop", tier: "web", env: "canary", legacy: "" })).toBe(false);
  });
  it("rejects invalid requirements with upstream messages", () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "Gt" as "In", values: ["1"] }] })).toThrow(
      new SelectorParseError('"Gt" is not a valid pod selector operator'),
    );
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: "a", operator: "In", values: [] }] })).toThrow(
      "for 'in', 'notin' operators, values set can't be empty",
    );
    expect(() => labelSelectorAsSelector({ matchLabels: { app: "we b" } })).toThrow(SelectorParseError);
  });
  it("FormatLabelSelector prints <none> / <error>", () => {
    expect(formatLabelSelector({ matchLabels: { app: "nginx" } })).toBe("app=nginx");
    expect(formatLabelSelector({})).toBe("<none>");
    expect(formatLabelSelector({ matchLabels: { "bad key": "x" } })).toBe("<error>");
  });
});

describe("gt / lt", () => {
  it("compare as 64-bit integers and never match non-integer or missing values", () => {
    const sel = parseSelector("replicas>9");
    expect(sel.matches({ replicas: "10" })).toBe(true);
    expect(sel.matches({ replicas: "9" })).toBe(false);
    expect(sel.matches({ replicas: "ten" })).toBe(false);
    expect(sel.matches({})).toBe(false);
    expect(parseSelector("x<9223372036854775807").matches({ x: "9223372036854775806" })).toBe(true);
    expect(parseSelector("x<9223372036854775807").matches({ x: "9223372036854775808" })).toBe(false);
  });
  it("reject bounds outside int64 or with a sign as v1.19 does", () => {
    expectParseError("x>9223372036854775808", "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer");
    expect(() => parseSelector("x>-1")).toThrow(/^unable to parse requirement: invalid label value: "-1": at key: "x": /);
  });
});

describe("course scenarios (kubectl -l)", () => {
  const pods: Labels[] = [
    { app: "nginx", "pod-template-hash": "5d59d67564" },
    { app: "nginx", "pod-template-hash": "5d59d67564", tier: "frontend" },
    { app: "busybox" },
    {},
  ];
  it.each([
    ["app=nginx", [true, true, false, false]],
    ["app!=nginx", [false, false, true, true]],
    ["app in (nginx,busybox)", [true, true, true, false]],
    ["app notin (nginx)", [false, false, true, true]],
    ["tier", [false, true, false, false]],
    ["!tier", [true, false, true, true]],
    ["app=nginx,!tier", [true, false, false, false]],
  ] as const)("%s", (text, want) => {
    const sel = parseSelector(text);
    expect(pods.map((p) => sel.matches(p))).toEqual(want);
  });
  it("reports the kubectl-visible error text for malformed selectors", () => {
    expectParseError("app=we b", "found 'b', expected: ',' or 'end of string'");
    expectParseError("=bar", "found '=', expected: !, identifier, or 'end of string'");
  });
});

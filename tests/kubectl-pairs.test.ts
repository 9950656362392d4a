// The KEY=VALUE / KEY- arguments of kubectl label and annotate (engine/kubectl/pairs.ts), as tables of input →
// kubectl v1.19's result or message: the cases of pkg/cmd/annotate/annotate_test.go (TestParseAnnotations,
// TestValidateAnnotations, TestAnnotateErrors) and pkg/cmd/label/label_test.go (TestParseLabels, TestLabelErrors), then
// the same messages through the terminal.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { ClientError } from "../engine/errors.ts";
import { pairArguments, parseLabelPairs, parsePairs, splitResourcesAndPairs, type PairFlags, type PairType } from "../engine/kubectl/pairs.ts";

const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** The ClientError message a call throws, or its value. */
function outcome<T>(f: () => T): { error: string } | { value: T } {
  try {
    return { value: f() };
  } catch (e) {
    if (e instanceof ClientError) return { error: e.message };
    throw e;
  }
}

describe("splitResourcesAndPairs (GetResourcesAndPairs)", () => {
  const cases: [string[], { resources: string[]; pairs: string[] } | string][] = [
    [["pods", "foo", "a=b", "c-"], { resources: ["pods", "foo"], pairs: ["a=b", "c-"] }],
    [["pods", "-", "=bar"], { resources: ["pods", "-", "=bar"], pairs: [] }],
    [["pods-"], { resources: [], pairs: ["pods-"] }],
    [["pods", "a=b", "foo"], "all resources must be specified before label changes: foo"],
    [["pods", "a-", "=bar"], "all resources must be specified before label changes: =bar"],
  ];
  it.each(cases)("%j → %j", (args, want) => {
    const got = outcome(() => splitResourcesAndPairs(args, "label"));
    expect(got).toEqual(typeof want === "string" ? { error: want } : { value: want });
  });
});

describe("parsePairs (annotate: ParsePairs with removal)", () => {
  const url = "https://kubernetes.io/docs/user-guide/labels/?x=1&y=2";
  const json = '{"kind":"ServiceAccount","apiVersion":"v1"}';
  const cases: [string, string[], { set: Record<string, string>; remove: string[] } | string][] = [
    ["add two annotations", ["a=b", "c=d"], { set: { a: "b", c: "d" }, remove: [] }],
    ["special characters", [`url=${url}`, `fake.kubernetes.io/annotation=${json}`], { set: { url, "fake.kubernetes.io/annotation": json }, remove: [] }],
    ["none", [], { set: {}, remove: [] }],
    ["add two, remove one", ["a=b", "c=d", "e-"], { set: { a: "b", c: "d" }, remove: ["e"] }],
    ["an empty value", ["a="], { set: { a: "" }, remove: [] }],
    ["a value with =", ["a=b=c"], { set: { a: "b=c" }, remove: [] }],
    ["missing =value", ["ab", "c=d"], "invalid annotation format: ab"],
    ["missing =value, then a valid one", ["ab", "a="], "invalid annotation format: ab"],
    ["missing key (-)", ["-"], "invalid annotation format: -"],
    ["missing key (=bar)", ["=bar"], "invalid annotation format: =bar"],
    ["every invalid one listed", ["ab", "=x", "c=d", "-"], "invalid annotation format: ab, =x, -"],
  ];
  it.each(cases)("%s: %j", (_name, pairs, want) => {
    expect(outcome(() => parsePairs(pairs, "annotation", true))).toEqual(typeof want === "string" ? { error: want } : { value: want });
  });
  it("without removal (set image's pairs), k- is invalid", () => {
    expect(outcome(() => parsePairs(["web=nginx", "db-"], "image", false))).toEqual({ error: "invalid image format: db-" });
  });
});

describe("parseLabelPairs (label's parseLabels)", () => {
  const cases: [string[], { set: Record<string, string>; remove: string[] } | string][] = [
    [["a=b", "c=d"], { set: { a: "b", c: "d" }, remove: [] }],
    [[], { set: {}, remove: [] }],
    [["a=b", "c=d", "e-"], { set: { a: "b", c: "d" }, remove: ["e"] }],
    [["a="], { set: { a: "" }, remove: [] }],
    [["ab", "c=d"], "unknown label spec: ab"],
    [["a=b", "c=d", "a-"], "can not both modify and remove a label in the same command"],
    [["a=%^$"], `invalid label value: "a=%^$": ${LABEL_VALUE_ERR}`],
    [["a=b=c"], "invalid label spec: a=b=c"],
  ];
  it.each(cases)("%j → %j", (pairs, want) => {
    expect(outcome(() => parseLabelPairs(pairs))).toEqual(typeof want === "string" ? { error: want } : { value: want });
  });
});

describe("pairArguments: Complete and Validate of label and annotate", () => {
  const none: PairFlags = { list: false, all: false };
  const cases: [PairType, string[], Partial<PairFlags>, string][] = [
    // TestLabelErrors / TestAnnotateErrors
    ["label", [], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    ["label", ["pods"], {}, "at least one label update is required"],
    ["label", ["pods", "-"], {}, "at least one label update is required"],
    ["label", ["pods", "=bar"], {}, "at least one label update is required"],
    ["label", ["pods-"], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    ["label", ["pods=bar"], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    ["annotation", [], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    ["annotation", ["pods"], {}, "at least one annotation update is required"],
    ["annotation", ["pods", "-"], {}, "at least one annotation update is required"],
    ["annotation", ["pods", "=bar"], {}, "at least one annotation update is required"],
    ["annotation", ["pods-"], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    ["annotation", ["pods=bar"], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
    // TestValidateAnnotations: the keys in the order they are removed
    ["annotation", ["pods", "foo", "a=b", "c=d", "a-"], {}, "can not both modify and remove the following annotation(s) in the same command: a"],
    ["annotation", ["pods", "foo", "a=b", "c=d", "c-", "a-"], {}, "can not both modify and remove the following annotation(s) in the same command: c, a"],
    // flags
    ["label", ["pods", "a=b"], { all: true, selector: "app=web" }, "cannot set --all and --selector at the same time"],
    ["annotation", ["pods", "a=b"], { all: true, selector: "app=web" }, "cannot set --all and --selector at the same time"],
    ["label", ["pods", "foo"], { list: true, output: "yaml" }, "--list and --output may not be specified together"],
    // the order: label parses its pairs before it looks at --list/--output, annotate after
    ["label", ["pods", "foo", "a=b=c"], { list: true, output: "yaml" }, "invalid label spec: a=b=c"],
    ["annotation", ["pods", "foo", "a=b", "x", "y=1"], { list: true, output: "yaml" }, "--list and --output may not be specified together"],
    ["annotation", ["pods", "foo", "a=b", "x", "y=1"], {}, "all resources must be specified before annotation changes: x"],
    // label refuses modify-and-remove while parsing, before it asks for resources; annotate after
    ["label", ["a=b", "a-"], {}, "can not both modify and remove a label in the same command"],
    ["annotation", ["a=b", "a-"], {}, "one or more resources must be specified as <resource> <name> or <resource>/<name>"],
  ];
  it.each(cases)("%s %j %j → %s", (type, args, flags, want) => {
    expect(outcome(() => pairArguments(type, args, { ...none, ...flags }))).toEqual({ error: want });
  });
  it("--list needs no change; the resources and changes come back", () => {
    expect(pairArguments("label", ["po", "foo"], { ...none, list: true })).toEqual({ resources: ["po", "foo"], set: {}, remove: [] });
    expect(pairArguments("annotation", ["po/foo", "a=1", "b-"], none)).toEqual({ resources: ["po/foo"], set: { a: "1" }, remove: ["b"] });
  });
});

describe("through the terminal", () => {
  const c = Cluster.create({ seed: 5 });
  c.exec("kubectl run foo --image=ikubernetes/demoapp:v1.0");
  const err = (stderr: string) => ({ stdout: "", stderr, exitCode: 1 });
  it.each([
    ["kubectl label po foo a=b x", "error: all resources must be specified before label changes: x\n"],
    ["kubectl annotate po foo a=b x", "error: all resources must be specified before annotation changes: x\n"],
    ["kubectl label po foo a=b=c", "error: invalid label spec: a=b=c\n"],
    ["kubectl label po foo a=b a-", "error: can not both modify and remove a label in the same command\n"],
    ["kubectl annotate po foo a=b c=d c- a-", "error: can not both modify and remove the following annotation(s) in the same command: c, a\n"],
    ["kubectl annotate po foo --list -o yaml", "error: --list and --output may not be specified together\n"],
    ["kubectl label po foo", "error: at least one label update is required\n"],
    ["kubectl annotate pods --all -l run=foo a=b", "error: cannot set --all and --selector at the same time\n"],
  ])("%s", (line, want) => {
    expect(c.exec(line)).toEqual(err(want));
  });
  it("--list of one object and of several", () => {
    c.exec("kubectl run bar --image=ikubernetes/demoapp:v1.0");
    c.exec("kubectl annotate po foo bar note=x b=2");
    expect(c.exec("kubectl annotate po foo --list").stdout).toBe("b=2\nnote=x\n");
    expect(c.exec("kubectl annotate po foo bar --list").stdout).toBe("Listing annotations for Pod./foo:\n b=2\n note=x\nListing annotations for Pod./bar:\n b=2\n note=x\n");
    expect(c.exec("kubectl label po foo bar --list").stdout).toBe("Listing labels for Pod./foo:\n run=foo\nListing labels for Pod./bar:\n run=bar\n");
  });
});

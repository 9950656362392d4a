// The grader's object checks, word for word (students read these explanations as they are): `resource` (exists,
// absent, a JSON subset with the first mismatching path), `select` (counts, bounds, exact names, what matched) and
// `label` (has / lacks, with the kubectl command that fixes it). Clusters come from manifests; pods have fixed names.
import { describe, expect, it } from "vitest";
import { subsetMismatch } from "../engine/grading/index.ts";
import type { Check } from "../engine/grading/index.ts";
import { cluster, grade, namespace, NEVER_READY, pod, service } from "./helpers/grading-checks.ts";

// A Deployment scaled to zero: an object with free-form metadata and no pods.
const deployment = (name: string, meta = "") =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${meta}spec:\n  replicas: 0\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: app, image: nginx}]}\n`;

// Eight pods app=web (web-1..web-8; web-1..web-6 also group=a, web-1 and web-2 also tier=front), one more that is not Ready, a Service, a
// Deployment without labels and one with a number as text (an annotation), and a namespace dev with its own Service.
const c = cluster(
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => pod(`web-${i}`, i <= 2 ? { app: "web", tier: "front", group: "a" } : i <= 6 ? { app: "web", group: "a" } : { app: "web" })),
  pod("slow-1", { app: "slow" }, { container: NEVER_READY }),
  service("web", { app: "web" }),
  deployment("plain"),
  deployment("settings", '  annotations: {port: "80", debug: "true"}\n  labels: {team: blue}\n'),
  namespace("dev"),
  service("api", { app: "api" }, { namespace: "dev" }),
);

type Row = [what: string, check: Check, passed: boolean, explanation: string];

describe("resource: exists, absent, fields", () => {
  it.each<Row>([
    ["an existing Service", { type: "resource", kind: "Service", name: "web" }, true, "Service web exists."],
    ["namespace default named outright reads like no namespace", { type: "resource", kind: "Service", name: "web", namespace: "default" }, true, "Service web exists."],
    ["another namespace is named", { type: "resource", kind: "Service", name: "api", namespace: "dev" }, true, "Service api in namespace dev exists."],
    ["a cluster-scoped Node", { type: "resource", kind: "Node", name: "node01" }, true, "Node node01 exists."],
    ["a cluster-scoped Namespace", { type: "resource", kind: "Namespace", name: "dev" }, true, "Namespace dev exists."],
    ["with fields that match", { type: "resource", kind: "Service", name: "web", match: { spec: { type: "ClusterIP" } } }, true, "Service web exists with the expected fields."],
    ["missing", { type: "resource", kind: "Service", name: "nope" }, false, "Service nope does not exist yet."],
    ["missing in the namespace asked (it exists in another)", { type: "resource", kind: "Service", name: "web", namespace: "dev" }, false, "Service web in namespace dev does not exist yet."],
    ["absent but present: the delete command, kind in lower case", { type: "resource", kind: "Service", name: "web", absent: true }, false, "Service web still exists; delete it (kubectl delete service web)."],
    ["absent and absent", { type: "resource", kind: "Deployment", name: "gone", absent: true }, true, "Deployment gone does not exist, as expected."],
    ["a wrong field: path, found, expected", { type: "resource", kind: "Service", name: "web", match: { spec: { type: "NodePort" } } }, false, 'Service web: spec.type is "ClusterIP", expected "NodePort".'],
    ["a number matches its decimal text", { type: "resource", kind: "Deployment", name: "settings", match: { metadata: { annotations: { port: 80 } } } }, true, "Deployment settings exists with the expected fields."],
    ["a boolean does not match its text", { type: "resource", kind: "Deployment", name: "settings", match: { metadata: { annotations: { debug: true } } } }, false, 'Deployment settings: metadata.annotations.debug is "true", expected true.'],
    ["another number does not match the text", { type: "resource", kind: "Deployment", name: "settings", match: { metadata: { annotations: { port: 81 } } } }, false, 'Deployment settings: metadata.annotations.port is "80", expected 81.'],
    ["null: the field must be unset, and is", { type: "resource", kind: "Deployment", name: "plain", match: { metadata: { labels: null } } }, true, "Deployment plain exists with the expected fields."],
    ["a missing field is named missing", { type: "resource", kind: "Deployment", name: "plain", match: { metadata: { annotations: { port: "80" } } } }, false, 'Deployment plain: metadata.annotations.port is missing, expected "80".'],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: check.type, passed, explanation });
  });
});

describe("subsetMismatch: the first place the object does not contain the expected subset", () => {
  it.each<[what: string, actual: unknown, expected: unknown, mismatch: string | undefined]>([
    ["null expected, null found", { a: null }, { a: null }, undefined],
    ["null expected, missing", {}, { a: null }, undefined],
    ["null expected, a value found", { a: 0 }, { a: null }, "a is 0, expected it to be unset"],
    ["a list expected, a string found", { a: "x" }, { a: [1] }, 'a is "x", expected a list of 1'],
    ["lists of another length", { a: [1, 2] }, { a: [1] }, "a has 2 item(s), expected 1: [1]"],
    ["the second item differs", { a: [1, 2] }, { a: [1, 3] }, "a[1] is 2, expected 3"],
    ["lists compared item by item, deep", { a: [{ b: 1 }, { b: 2 }] }, { a: [{ b: 1 }, { b: 2 }] }, undefined],
    ["an object expected, null found", { a: null }, { a: { b: 1 } }, 'a is null, expected {"b":1}'],
    ["an object expected, a string found", { a: "x" }, { a: { b: 1 } }, 'a is "x", expected {"b":1}'],
    ["an object expected, a list found", { a: [1] }, { a: { b: 1 } }, 'a is [1], expected {"b":1}'],
    ["the second key differs", { a: 1, b: 2 }, { a: 1, b: 3 }, "b is 2, expected 3"],
    ["extra keys in the object are fine", { a: 1, b: 2 }, { b: 2 }, undefined],
    ["a number expected, its text found", { a: "7" }, { a: 7 }, undefined],
    ["a boolean expected, its text found", { a: "true" }, { a: true }, 'a is "true", expected true'],
  ])("%s", (_what, actual, expected, mismatch) => {
    expect(subsetMismatch(actual, expected, "")).toBe(mismatch);
  });
});

describe("select: counts, bounds, exact names, and what matched", () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `web-${i + 1}`);
  it.each<Row>([
    ["one match, by name", { type: "select", kind: "Pod", selector: "app=slow", count: 1 }, true, 'Pods matching "app=slow": 1 match: slow-1.'],
    ["six matches are listed in full", { type: "select", kind: "Pod", selector: "group=a", count: 6 }, true, 'Pods matching "group=a": 6 matches: web-1, web-2, web-3, web-4, web-5, web-6.'],
    ["more than six are cut after six", { type: "select", kind: "Pod", selector: "app=web", count: 8 }, true, 'Pods matching "app=web": 8 matches: web-1, web-2, web-3, web-4, web-5, web-6 and 2 more.'],
    ["a wrong count says what matched", { type: "select", kind: "Pod", selector: "tier=front", count: 3 }, false, 'Expected 3 Pods matching "tier=front", 2 matches: web-1, web-2.'],
    ["nothing matches", { type: "select", kind: "Pod", selector: "app=none", count: 1 }, false, 'Expected 1 Pods matching "app=none", nothing matches.'],
    ["at least: too few", { type: "select", kind: "Pod", selector: "tier=front", min: 3 }, false, 'Expected at least 3 Pods matching "tier=front", 2 matches: web-1, web-2.'],
    ["at least: exactly enough", { type: "select", kind: "Pod", selector: "tier=front", min: 2 }, true, 'Pods matching "tier=front": 2 matches: web-1, web-2.'],
    ["at most: too many", { type: "select", kind: "Pod", selector: "tier=front", max: 1 }, false, 'Expected at most 1 Pods matching "tier=front", 2 matches: web-1, web-2.'],
    ["at most: exactly as many", { type: "select", kind: "Pod", selector: "tier=front", max: 2 }, true, 'Pods matching "tier=front": 2 matches: web-1, web-2.'],
    ["Ready only leaves out the pod whose probe has not passed", { type: "select", kind: "Pod", selector: "app=slow", readyOnly: true, count: 0 }, true, 'Ready Pods matching "app=slow": nothing matches.'],
    ["Ready only counts Ready pods", { type: "select", kind: "Pod", selector: "tier=front", readyOnly: true, count: 2 }, true, 'Ready Pods matching "tier=front": 2 matches: web-1, web-2.'],
    ["exact names, in any order", { type: "select", kind: "Pod", selector: "tier=front", names: ["web-2", "web-1"] }, true, 'Pods matching "tier=front": 2 matches: web-1, web-2.'],
    ["exact names: one missing", { type: "select", kind: "Pod", selector: "tier=front", names: ["web-1", "web-2", "web-3"] }, false, 'Pods matching "tier=front": missing web-3 (2 matches: web-1, web-2).'],
    ["exact names: one unexpected", { type: "select", kind: "Pod", selector: "tier=front", names: ["web-1"] }, false, 'Pods matching "tier=front": unexpected web-2 (2 matches: web-1, web-2).'],
    ["exact names: both, long lists cut", { type: "select", kind: "Pod", selector: "app=web", names: ["web-9", ...names(0)] }, false, `Pods matching "app=web": missing web-9; unexpected ${names(6).join(", ")} and 2 more (8 matches: ${names(6).join(", ")} and 2 more).`],
    ["every Pod: the check's namespace only, kube-system's twelve are not counted", { type: "select", kind: "Pod", selector: "", count: 9 }, true, ""],
    ["kube-system's labels match nothing in default", { type: "select", kind: "Pod", selector: "k8s-app", count: 0 }, true, 'Pods matching "k8s-app": nothing matches.'],
    ["a check that names kube-system sees coredns's two pods", { type: "select", kind: "Pod", selector: "k8s-app=kube-dns", namespace: "kube-system", count: 2, readyOnly: true }, true, ""],
    ["Services in the check's namespace only", { type: "select", kind: "Service", selector: "", names: ["kubernetes", "web"] }, true, 'Services matching "": 2 matches: kubernetes, web.'],
    ["Services of another namespace", { type: "select", kind: "Service", selector: "", namespace: "dev", count: 1 }, true, 'Services matching "": 1 match: api.'],
    ["Nodes are cluster-scoped", { type: "select", kind: "Node", selector: "", count: 3 }, true, 'Nodes matching "": 3 matches: master01, node01, node02.'],
    ["Namespaces are cluster-scoped", { type: "select", kind: "Namespace", selector: "", names: ["default", "dev", "kube-node-lease", "kube-public", "kube-system"] }, true, 'Namespaces matching "": 5 matches: default, dev, kube-node-lease, kube-public, kube-system.'],
    ["a selector that does not parse fails the check with the parser's words", { type: "select", kind: "Pod", selector: "app in (", count: 0 }, false, ""],
  ])("%s", (_what, check, passed, explanation) => {
    const r = grade(c, check);
    if (explanation) expect(r).toEqual({ type: check.type, passed, explanation });
    else expect(r).toMatchObject({ type: check.type, passed });
  });

  it("a terminating pod is on its way out: no select counts it", () => {
    const d = cluster(pod("old", { app: "old" }, { spec: "  terminationGracePeriodSeconds: 60\n" }), pod("new", { app: "old" }));
    d.delete("Pod", "old", "default");
    expect(d.list("Pod", { selector: "app=old" }).map((p) => p.metadata.name)).toEqual(["new", "old"]);
    expect(grade(d, { type: "select", kind: "Pod", selector: "app=old", count: 1 })).toEqual({ type: "select", passed: true, explanation: 'Pods matching "app=old": 1 match: new.' });
  });
});

describe("label: has / lacks, with the kubectl command that fixes it", () => {
  it.each<Row>([
    ["has keys and key=value", { type: "label", kind: "Pod", name: "web-1", has: ["app", "tier=front"] }, true, "Pod web-1: its labels are app=web,tier=front,group=a."],
    ["white space around key and value is trimmed", { type: "label", kind: "Pod", name: "web-1", has: [" tier ", "tier = front"], lacks: [" app = db "] }, true, "Pod web-1: its labels are app=web,tier=front,group=a."],
    ["no labels at all", { type: "label", kind: "Deployment", name: "plain", lacks: ["team"] }, true, "Deployment plain: its labels are <none>."],
    ["another namespace is named", { type: "label", kind: "Service", name: "api", namespace: "dev", has: ["team"] }, false, "Service api in namespace dev has no label team; its labels are <none>."],
    ["missing object", { type: "label", kind: "Pod", name: "web-9", has: ["app"] }, false, "Pod web-9 does not exist."],
    ["a missing key", { type: "label", kind: "Pod", name: "web-3", has: ["tier"] }, false, "Pod web-3 has no label tier; its labels are app=web,group=a."],
    ["a missing key=value says which value", { type: "label", kind: "Pod", name: "web-3", has: ["tier=front"] }, false, "Pod web-3 has no label tier (expected tier=front); its labels are app=web,group=a."],
    ["a wrong value", { type: "label", kind: "Pod", name: "web-1", has: ["tier=back"] }, false, "Pod web-1 has tier=front, expected tier=back; change it with kubectl label --overwrite."],
    ["lacks a key it has", { type: "label", kind: "Pod", name: "web-1", lacks: ["tier"] }, false, "Pod web-1 still has the label tier=front; remove it with kubectl label pod web-1 tier-."],
    ["lacks key=value it has", { type: "label", kind: "Deployment", name: "settings", lacks: ["team=blue"] }, false, "Deployment settings still has the label team=blue; remove it with kubectl label deployment settings team-."],
    ["lacks key=value with another value", { type: "label", kind: "Pod", name: "web-1", lacks: ["tier=back"] }, true, "Pod web-1: its labels are app=web,tier=front,group=a."],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: check.type, passed, explanation });
  });
});

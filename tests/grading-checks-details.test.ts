// Details of the grader's explanations the per-type tables (grading-checks-*.test.ts) leave open, each a rule of its
// own: a pod's ready containers counted one by one; which hint follows which missed expectation; unnamed ports; a
// backend that is not Ready is fine unless the check asks; backends listed sorted whatever answered first; the SNAT
// reason taken from an answer that was SNATed; a backend's labels are its own, not those of a pod of the same name in
// another namespace; every expected DNS address named.
import { describe, expect, it } from "vitest";
import { diagnoseService } from "../engine/grading/index.ts";
import type { Service } from "../engine/index.ts";
import { cluster, grade, namespace, NEVER_READY, pod, podIP, service } from "./helpers/grading-checks.ts";

const endpoints = (name: string, subsets: string) => `---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: ${name}}\nsubsets:\n${subsets}`;

const c = cluster(
  pod("web-1", { app: "web" }),
  pod("web-2", { app: "web" }),
  pod("web-3", { app: "web" }, { container: NEVER_READY }),
  service("web", { app: "web" }),
  service("heads", { app: "web" }, { spec: "  clusterIP: None\n" }),
  // two containers, one Ready: the pod is not Ready
  pod("half-1", { app: "half" }, { container: `${NEVER_READY}  - name: sidecar\n    image: nginx\n` }),
  service("half", { app: "half" }),
  // hand-written Endpoints without a Service, one not-ready address, one unnamed port
  endpoints("single", "- addresses: [{ip: 10.0.0.1}]\n  notReadyAddresses: [{ip: 10.0.0.2}]\n  ports: [{port: 80}]\n"),
  // two pairs of pods on fixed nodes, each behind a Service
  pod("pa", { pair: "one" }, { spec: "  nodeName: node01\n" }),
  pod("pb", { pair: "one" }, { spec: "  nodeName: node02\n" }),
  pod("pc", { pair: "two" }, { spec: "  nodeName: node02\n" }),
  pod("pd", { pair: "two" }, { spec: "  nodeName: node01\n" }),
  service("one", { pair: "one" }),
  service("two", { pair: "two" }),
  // a second web-1, in namespace dev, with other labels, behind a Service of its own
  namespace("dev"),
  pod("web-1", { app: "api" }, { namespace: "dev" }),
  service("api", { app: "api" }, { namespace: "dev" }),
);
const [w1, w2, w3] = ["web-1", "web-2", "web-3"].map((n) => podIP(c, n));
const webSummary = `Endpoints web: 2 ready addresses (${w1}, ${w2}), 1 not ready (${w3})`;

describe("endpoints: details of the explanation", () => {
  it("a pod that is not Ready shows its Ready containers of all (1/2)", () => {
    expect(diagnoseService(c, c.get("Service", "half", "default") as Service)).toBe(
      "Service half selects app=half; 1 pod matches but none is Ready (half-1 1/2 Running), so every address is in NotReadyAddresses and the Service sends them no traffic. Check the readiness probe (kubectl describe pod).",
    );
  });

  it.each([
    ["too few ready and the right number not ready: why the ready are missing, not the probe hint", { ready: 3, notReady: 1 }, `${webSummary}; expected 3 ready. Service web selects app=web: 2 Ready pods of 3 matching.`],
    ["too few not ready without a Service: edit the hand-written Endpoints", { notReady: 2 }, "Endpoints single: 1 ready address (10.0.0.1), 1 not ready (10.0.0.2); expected 2 in NotReadyAddresses. Hand-written Endpoints only change when you edit them: put the address under notReadyAddresses."],
    ["an unnamed port is shown by number", { ports: [{ port: 81 }] }, "Endpoints single: 1 ready address (10.0.0.1), 1 not ready (10.0.0.2); expected port 81/TCP, found 80/TCP."],
  ])("%s", (_what, expectation, explanation) => {
    const service = "ready" in expectation ? "web" : "single";
    expect(grade(c, { type: "endpoints", service, ...expectation })).toEqual({ type: "endpoints", passed: false, explanation });
  });
});

describe("request: details of the explanation", () => {
  it("a backend that is not Ready is fine when the check does not ask", () => {
    expect(grade(c, { type: "request", from: { pod: "web-1" }, url: w3, count: 2, expect: "success" })).toEqual({
      type: "request",
      passed: true,
      explanation: `2 requests from pod web-1 to ${w3}: all answered, by 1 backend (web-3).`,
    });
  });

  // kube-proxy's endpoint list is in IP order (node01's pod CIDR 10.244.5.0/24 is above node02's 10.244.4.0/24): in
  // "one" the later name has the lower IP, in "two" the earlier one, so whichever position the first pick takes, in
  // one of the two the first answer comes from the name that sorts last.
  it.each([
    ["one", "pa, pb"],
    ["two", "pc, pd"],
  ])("backends are listed sorted, whichever answered first (Service %s)", (svc, backends) => {
    expect(grade(c, { type: "request", from: { pod: "web-1" }, url: svc, count: 10, expect: "success" }).explanation).toBe(`10 requests from pod web-1 to ${svc}: all answered, by 2 backends (${backends}).`);
  });

  it("a backend's labels are its own, not those of a pod of the same name in another namespace", () => {
    expect(grade(c, { type: "request", from: { pod: "web-2" }, url: "api.dev", count: 2, expect: "success", backendsMatching: "app=web" })).toEqual({
      type: "request",
      passed: false,
      explanation: "2 requests from pod web-2 to api.dev: all answered, by 1 backend (web-1); 2 requests were served by web-1 (app=api), which does not match app=web.",
    });
  });

  // Every check starts from the same random state, so both sources' first answers come from the same endpoint: for
  // one of them that answer is the hairpin (SNATed), for the other it is not.
  it.each(["web-1", "web-2"])("the SNAT reason comes from an answer that was SNATed, not from the first answer (from %s)", (from) => {
    const r = grade(c, { type: "request", from: { pod: from }, url: "web", count: 20, expect: "success", clientIP: "preserved" });
    expect(r.passed).toBe(false);
    expect(r.explanation).toMatch(new RegExp(`not ${podIP(c, from).replace(/\./g, "\\.")}: the source address was SNATed \\(node\\d+: POSTROUTING KUBE-POSTROUTING MASQUERADE — source \\S+ -> \\S+ \\(hairpin: the pod reached itself\\)\\)\\.$`));
  });
});

describe("dns: details of the explanation", () => {
  it("every expected address is named", () => {
    const heads = [w1, w2].sort();
    expect(grade(c, { type: "dns", name: "heads", fromPodSelector: "app=web", addresses: [heads[0], "10.0.0.9"] })).toEqual({
      type: "dns",
      passed: false,
      explanation: `heads.default.svc.cluster.local -> ${heads.join(", ")}; expected ${heads[0]}, 10.0.0.9.`,
    });
  });
});

// The grader's `endpoints` check and diagnoseService, word for word: the summary of ready / not-ready addresses, each
// expectation (ready, minReady, notReady, ports, addresses, readyPodsMatching) and the hint that follows a failure —
// why a Service has too few ready addresses (its selector, the pods that nearly match, pods that are not Ready, a
// targetPort the pods lack, no selector at all) or how NotReadyAddresses fill. Hand-written Endpoints (a Service
// without a selector) give fixed addresses; controller-written ones come from pods with fixed names.
import { describe, expect, it } from "vitest";
import { diagnoseService } from "../engine/grading/index.ts";
import type { Check } from "../engine/grading/index.ts";
import type { Service } from "../engine/index.ts";
import { cluster, grade, namespace, NEVER_READY, pod, podIP, service, UNSCHEDULABLE } from "./helpers/grading-checks.ts";

const endpoints = (name: string, subsets: string, ns = "") => `---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ""}subsets:\n${subsets}`;

const c = cluster(
  // web: two Ready pods and one that is not Ready yet.
  pod("web-1", { app: "web" }),
  pod("web-2", { app: "web" }),
  pod("web-3", { app: "web" }, { container: NEVER_READY }),
  service("web", { app: "web" }),
  // slow: one pod, not Ready.
  pod("slow-1", { app: "slow" }, { container: NEVER_READY }),
  service("slow", { app: "slow" }),
  // typo: a selector with two labels no pod carries together.
  service("typo", { app: "web", tier: "back" }),
  pod("front-1", { app: "web2", tier: "front" }),
  pod("front-2", { app: "web2", tier: "middle" }),
  pod("bare", undefined),
  // named: a named targetPort the pods do not have.
  service("named", { app: "web" }, { ports: "  - {name: http, port: 80, targetPort: web}\n" }),
  // manual: hand-written Endpoints, two ready (out of order, one without a targetRef), one not ready, four port entries.
  service("manual", undefined, { ports: "  - {name: a, port: 80}\n  - {name: b, port: 81}\n" }),
  endpoints(
    "manual",
    `- addresses: [{ip: 10.0.0.2}, {ip: 10.0.0.1, targetRef: {kind: Pod, name: web-1}}]
  notReadyAddresses: [{ip: 10.0.0.3}]
  ports: [{name: a, port: 80}]
- addresses: [{ip: 10.0.0.4}]
  ports: [{name: a, port: 80}, {name: b, port: 80}]
- addresses: [{ip: 10.0.0.5}]
  ports: [{name: a, port: 8080}]
- addresses: [{ip: 10.0.0.6}]
  ports: [{name: a, port: 80, protocol: UDP}]
`,
  ),
  // portless: hand-written Endpoints without ports, and no Service at all.
  endpoints("portless", "- addresses: [{ip: 10.0.0.9}]\n"),
  // empty: a Service without a selector and without Endpoints; db: an ExternalName Service.
  service("empty", undefined),
  service("db", undefined, { spec: "  type: ExternalName\n  externalName: mysql01\n" }),
  // dev: a Service in another namespace whose selector names a label its pods do not have.
  namespace("dev"),
  pod("api-1", { role: "api" }, { namespace: "dev" }),
  service("api", { app: "api" }, { namespace: "dev" }),
  // pending: a pod that never gets a node.
  pod("pending-1", { app: "web" }, { spec: UNSCHEDULABLE }),
);
const [w1, w2, w3] = ["web-1", "web-2", "web-3"].map((n) => podIP(c, n));
const webSummary = `Endpoints web: 2 ready addresses (${w1}, ${w2}), 1 not ready (${w3})`;
const manualSummary = "Endpoints manual: 5 ready addresses (10.0.0.2, 10.0.0.1, 10.0.0.4, 10.0.0.5, 10.0.0.6), 1 not ready (10.0.0.3)";

function diagnose(name: string, ns = "default"): string {
  return diagnoseService(c, c.get("Service", name, ns) as Service);
}

describe("diagnoseService: why a Service has too few ready addresses", () => {
  it.each([
    ["some matching pods are Ready (the Pending one matches too)", "web", "default", "Service web selects app=web: 2 Ready pods of 4 matching."],
    ["none of the matching pods is Ready: each one's ready containers and phase", "slow", "default", "Service slow selects app=slow; 1 pod matches but none is Ready (slow-1 0/1 Running), so every address is in NotReadyAddresses and the Service sends them no traffic. Check the readiness probe (kubectl describe pod)."],
    ["two labels no pod carries together: the values the pods have instead", "typo", "default", "Service typo selects app=web,tier=back, but no pod carries all those labels; pods with app: web2 ×2, tier: front ×1, tier: middle ×1, app: slow ×1."],
    ["no pod has the key at all", "api", "dev", "Service api selects app=api, but no pod carries that label; no pod in namespace dev has a label app."],
    ["Ready pods match but none has the named targetPort", "named", "default", `Service named selects app=web and 2 Ready pods match, but its Endpoints list no address: check that targetPort web exists on those pods.`],
    ["no selector, hand-written Endpoints", "manual", "default", "Service manual has no selector; its Endpoints are the hand-written object manual."],
    ["no selector, no Endpoints", "empty", "default", "Service empty has no selector, so no controller writes its Endpoints; create an Endpoints object named empty yourself."],
    ["an ExternalName Service", "db", "default", "Service db is an ExternalName Service (a DNS CNAME to mysql01); it has no endpoints."],
  ])("%s", (_what, name, ns, text) => {
    expect(diagnose(name, ns)).toBe(text);
  });

  it("a selector with two keys: pods lacking a key are no near misses; the message names the keys no pod has", () => {
    const d = cluster(pod("a-1", { app: "a" }), pod("b-1", undefined), service("ab", { app: "a", tier: "x" }), service("ab2", { app: "b", tier: "x" }));
    expect(diagnoseService(d, d.get("Service", "ab", "default") as Service)).toBe("Service ab selects app=a,tier=x, but no pod carries all those labels; no pod in namespace default has a label tier.");
    expect(diagnoseService(d, d.get("Service", "ab2", "default") as Service)).toBe("Service ab2 selects app=b,tier=x, but no pod carries all those labels; pods with app: a ×1.");
    const f = cluster(pod("a-1", { app: "a" }), pod("x-1", { tier: "x" }), service("ab", { app: "a", tier: "x" }));
    expect(diagnoseService(f, f.get("Service", "ab", "default") as Service)).toBe("Service ab selects app=a,tier=x, but no pod carries all those labels; each is on some pod, never all on one.");
    const e = cluster(pod("b-1", { other: "x" }), service("ab", { app: "a", tier: "x" }));
    expect(diagnoseService(e, e.get("Service", "ab", "default") as Service)).toBe("Service ab selects app=a,tier=x, but no pod carries all those labels; no pod in namespace default has a label app or tier.");
  });

  it("one Ready pod, counted in the singular", () => {
    const d = cluster(pod("one-1", { app: "one" }), service("one", { app: "one" }, { ports: "  - {name: a, port: 80, targetPort: web}\n  - {name: b, port: 81, targetPort: metrics}\n" }));
    expect(diagnoseService(d, d.get("Service", "one", "default") as Service)).toBe("Service one selects app=one and 1 Ready pod matches, but its Endpoints list no address: check that targetPort web, metrics exists on those pods.");
    const e = cluster(pod("one-1", { app: "one" }), pod("one-2", { app: "one" }, { container: NEVER_READY }), service("one", { app: "one" }));
    expect(diagnoseService(e, e.get("Service", "one", "default") as Service)).toBe("Service one selects app=one: 1 Ready pod of 2 matching.");
  });
});

type Row = [what: string, check: Check, passed: boolean, explanation: string];

describe("endpoints: counts, with the hint for the next step", () => {
  it.each<Row>([
    ["the counts asked for", { type: "endpoints", service: "web", ready: 2, notReady: 1 }, true, `${webSummary}.`],
    ["at least as many ready as asked", { type: "endpoints", service: "web", minReady: 2 }, true, `${webSummary}.`],
    ["no expectation: the summary", { type: "endpoints", service: "web" }, true, `${webSummary}.`],
    ["too few ready: why", { type: "endpoints", service: "web", ready: 3 }, false, `${webSummary}; expected 3 ready. Service web selects app=web: 2 Ready pods of 4 matching.`],
    ["too few for at least: why", { type: "endpoints", service: "web", minReady: 3 }, false, `${webSummary}; expected at least 3 ready. Service web selects app=web: 2 Ready pods of 4 matching.`],
    ["too many ready: no hint", { type: "endpoints", service: "web", ready: 1 }, false, `${webSummary}; expected 1 ready.`],
    ["too many not ready, ready right: no hint", { type: "endpoints", service: "web", ready: 2, notReady: 0 }, false, `${webSummary}; expected 0 in NotReadyAddresses.`],
    ["too many not ready, at least right: no hint", { type: "endpoints", service: "web", minReady: 2, notReady: 0 }, false, `${webSummary}; expected 0 in NotReadyAddresses.`],
    ["too few not ready behind a selector: the probe", { type: "endpoints", service: "web", notReady: 2 }, false, `${webSummary}; expected 2 in NotReadyAddresses. A pod moves there when its readiness probe fails (after periodSeconds × failureThreshold of failures): has enough time passed?`],
    ["too few not ready, hand-written: edit them", { type: "endpoints", service: "manual", notReady: 2 }, false, `${manualSummary}; expected 2 in NotReadyAddresses. Hand-written Endpoints only change when you edit them: put the address under notReadyAddresses.`],
    ["two expectations missed, joined", { type: "endpoints", service: "web", ready: 3, notReady: 0 }, false, `${webSummary}; expected 3 ready and 0 in NotReadyAddresses. Service web selects app=web: 2 Ready pods of 4 matching.`],
    ["no address at all", { type: "endpoints", service: "slow", minReady: 1 }, false, `Endpoints slow: 0 ready addresses, 1 not ready (${podIP(c, "slow-1")}); expected at least 1 ready. Service slow selects app=slow; 1 pod matches but none is Ready (slow-1 0/1 Running), so every address is in NotReadyAddresses and the Service sends them no traffic. Check the readiness probe (kubectl describe pod).`],
    ["one ready address, in the singular", { type: "endpoints", service: "portless", ready: 1 }, true, "Endpoints portless: 1 ready address (10.0.0.9), 0 not ready."],
    ["Endpoints without a Service: nothing routes to them", { type: "endpoints", service: "portless", ready: 2 }, false, "Endpoints portless: 1 ready address (10.0.0.9), 0 not ready; expected 2 ready. There is no Service portless: Endpoints only carry traffic for a Service of the same name."],
    ["neither Service nor Endpoints", { type: "endpoints", service: "nope", minReady: 1 }, false, "Service nope does not exist yet, and neither do its Endpoints."],
    ["neither, in another namespace", { type: "endpoints", service: "web", namespace: "dev", minReady: 1 }, false, "Service web in namespace dev does not exist yet, and neither do its Endpoints."],
    ["a Service without a selector and without Endpoints", { type: "endpoints", service: "empty", minReady: 1 }, false, "Endpoints empty do not exist. Service empty has no selector, so no controller writes its Endpoints; create an Endpoints object named empty yourself."],
    ["an ExternalName Service", { type: "endpoints", service: "db", minReady: 1 }, false, "Endpoints db do not exist. Service db is an ExternalName Service (a DNS CNAME to mysql01); it has no endpoints."],
    ["another namespace's Service", { type: "endpoints", service: "api", namespace: "dev", minReady: 1 }, false, "Endpoints api: 0 ready addresses, 0 not ready; expected at least 1 ready. Service api selects app=api, but no pod carries that label; no pod in namespace dev has a label app."],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "endpoints", passed, explanation });
  });
});

describe("endpoints: ports, each listed once across subsets", () => {
  const found = "found a 80/TCP, b 80/TCP, a 8080/TCP, a 80/UDP";
  it.each<Row>([
    ["a port by number (TCP by default)", { type: "endpoints", service: "manual", ports: [{ port: 8080 }] }, true, `${manualSummary}.`],
    ["by number, name and protocol", { type: "endpoints", service: "manual", ports: [{ port: 80, name: "b" }, { port: 80, name: "a", protocol: "UDP" }] }, true, `${manualSummary}.`],
    ["a number no subset has", { type: "endpoints", service: "manual", ports: [{ port: 81 }] }, false, `${manualSummary}; expected port 81/TCP, ${found}.`],
    ["a name on another number", { type: "endpoints", service: "manual", ports: [{ port: 8080, name: "b" }] }, false, `${manualSummary}; expected port b 8080/TCP, ${found}.`],
    ["a protocol on another number", { type: "endpoints", service: "manual", ports: [{ port: 8080, protocol: "UDP" }] }, false, `${manualSummary}; expected port 8080/UDP, ${found}.`],
    ["Endpoints without ports", { type: "endpoints", service: "portless", ports: [{ port: 80, name: "http" }] }, false, "Endpoints portless: 1 ready address (10.0.0.9), 0 not ready; expected port http 80/TCP, found no ports."],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "endpoints", passed, explanation });
  });
});

describe("endpoints: exactly these addresses, exactly the Ready pods matching", () => {
  it.each<Row>([
    ["addresses in any order", { type: "endpoints", service: "manual", addresses: ["10.0.0.6", "10.0.0.5", "10.0.0.4", "10.0.0.2", "10.0.0.1"] }, true, `${manualSummary}.`],
    ["addresses: one missing, sorted in the message", { type: "endpoints", service: "manual", addresses: ["10.0.0.7", "10.0.0.6", "10.0.0.5", "10.0.0.4", "10.0.0.2", "10.0.0.1"] }, false, `${manualSummary}; expected exactly 10.0.0.1, 10.0.0.2, 10.0.0.4, 10.0.0.5, 10.0.0.6, 10.0.0.7.`],
    ["the Ready pods matching, exactly", { type: "endpoints", service: "web", readyPodsMatching: "app=web" }, true, `${webSummary}.`],
    ["one Ready pod matching", { type: "endpoints", service: "web", readyPodsMatching: "app=web,zone!=x,app in (web)" }, true, `${webSummary}.`],
    ["no Ready pod matches", { type: "endpoints", service: "web", readyPodsMatching: "app=slow" }, false, `No Ready pod matches app=slow, so there is nothing for Endpoints web to list. ${webSummary}.`],
    ["addresses of pods that do not match: by pod name where the Endpoints name one", { type: "endpoints", service: "manual", readyPodsMatching: "app=web" }, false, `${manualSummary}; the ready addresses should be exactly the 2 Ready pods matching app=web: missing web-1 (${w1}), web-2 (${w2}); not expected 10.0.0.2, web-1 (10.0.0.1), 10.0.0.4, 10.0.0.5, 10.0.0.6. Service manual has no selector; its Endpoints are the hand-written object manual.`],
    ["a pod missing and nothing extra: why", { type: "endpoints", service: "web", readyPodsMatching: "app in (web,web2)" }, false, `${webSummary}; the ready addresses should be exactly the 4 Ready pods matching app in (web,web2): missing front-1 (${podIP(c, "front-1")}), front-2 (${podIP(c, "front-2")}). Service web selects app=web: 2 Ready pods of 4 matching.`],
    ["extra and nothing missing: no why", { type: "endpoints", service: "portless", readyPodsMatching: "app=slow,app!=x" }, false, `No Ready pod matches app=slow,app!=x, so there is nothing for Endpoints portless to list. Endpoints portless: 1 ready address (10.0.0.9), 0 not ready.`],
    ["one Ready pod matching, extra address", { type: "endpoints", service: "web", readyPodsMatching: "app=web,x notin (y)" }, true, `${webSummary}.`],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "endpoints", passed, explanation });
  });

  it("only the extra address: not expected, no why; one Ready pod in the singular", () => {
    const d = cluster(pod("one-1", { app: "one" }), service("one", undefined), endpoints("one", `- addresses: [{ip: 10.0.0.8}]\n`));
    const ip = podIP(d, "one-1");
    d.apply(endpoints("one", `- addresses: [{ip: ${ip}, targetRef: {kind: Pod, name: one-1}}, {ip: 10.0.0.8}]\n`));
    expect(grade(d, { type: "endpoints", service: "one", readyPodsMatching: "app=one" })).toEqual({
      type: "endpoints",
      passed: false,
      explanation: `Endpoints one: 2 ready addresses (${ip}, 10.0.0.8), 0 not ready; the ready addresses should be exactly the 1 Ready pod matching app=one: not expected 10.0.0.8.`,
    });
  });
});

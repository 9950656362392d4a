// The grader's `dns`, `hostIP` and `command` checks, word for word, and what runCheck does with errors: a bad URL or
// template in a lab is a failed check with the error's words (a full stop added when missing); anything else is a bug
// in the lab or the grader and is thrown, not shown to the student as their mistake.
import { describe, expect, it } from "vitest";
import type { Check } from "../engine/grading/index.ts";
import type { Service } from "../engine/index.ts";
import { cluster, grade, pod, podIP, service, UNSCHEDULABLE } from "./helpers/grading-checks.ts";

const c = cluster(
  pod("a-bare", undefined),
  pod("client", { role: "client" }),
  pod("pending-1", { role: "pending" }, { spec: UNSCHEDULABLE }),
  pod("web-1", { app: "web" }),
  pod("web-2", { app: "web" }),
  service("web", { app: "web" }),
  service("heads", { app: "web" }, { spec: "  clusterIP: None\n" }),
  service("db", undefined, { spec: "  type: ExternalName\n  externalName: mysql01\n" }),
  service("ext", undefined, { spec: "  type: ExternalName\n  externalName: example.com\n" }),
);
c.addHostIP("node01", "192.168.2.6/21");
const webIP = (c.get("Service", "web", "default") as Service).spec.clusterIP!;
const heads = [podIP(c, "web-1"), podIP(c, "web-2")].sort();

type Row = [what: string, check: Check, passed: boolean, explanation: string];

describe("dns: what the name resolves to, as a pod or a node sees it", () => {
  it.each<Row>([
    ["a Service name from a pod (the first Running pod matching)", { type: "dns", name: "web", fromPodSelector: "role=client", found: true }, true, `web.default.svc.cluster.local -> ${webIP}.`],
    ["a headless Service: every address, in any order", { type: "dns", name: "heads", fromPodSelector: "role=client", addresses: [...heads].reverse() }, true, `heads.default.svc.cluster.local -> ${heads.join(", ")}.`],
    ["a headless Service: addresses that differ", { type: "dns", name: "heads", fromPodSelector: "role=client", addresses: [heads[0]] }, false, `heads.default.svc.cluster.local -> ${heads.join(", ")}; expected ${heads[0]}.`],
    ["an ExternalName Service: the CNAME and where it leads", { type: "dns", name: "db", fromPodSelector: "role=client", cname: "mysql01" }, true, "db.default.svc.cluster.local is a CNAME for mysql01 -> 192.168.2.8."],
    ["a CNAME is found even when it leads nowhere; no CNAME asked, none checked", { type: "dns", name: "ext", fromPodSelector: "role=client", found: true }, true, "ext.default.svc.cluster.local is a CNAME for example.com."],
    ["another CNAME expected", { type: "dns", name: "db", fromPodSelector: "role=client", cname: "mysql02" }, false, "db.default.svc.cluster.local is a CNAME for mysql01 -> 192.168.2.8; expected a CNAME to mysql02."],
    ["a CNAME expected, an address found", { type: "dns", name: "web", fromPodSelector: "role=client", cname: "mysql01" }, false, `web.default.svc.cluster.local -> ${webIP}; expected a CNAME to mysql01.`],
    ["a name that must not resolve, and does not", { type: "dns", name: "nope", fromPodSelector: "role=client", found: false }, true, "nope does not resolve (NXDOMAIN from 10.96.0.10)."],
    ["a name that must not resolve, and does", { type: "dns", name: "web", fromPodSelector: "role=client", found: false }, false, `web.default.svc.cluster.local -> ${webIP}; expected it not to resolve.`],
    ["a node resolves from /etc/hosts", { type: "dns", name: "mysql01", addresses: ["192.168.2.8"] }, true, "mysql01 -> 192.168.2.8."],
    ["a node does not use cluster DNS", { type: "dns", name: "web", found: true }, false, "web does not resolve (NXDOMAIN from /etc/hosts); expected it to resolve."],
    ["only a Pending pod matches", { type: "dns", name: "web", fromPodSelector: "role=pending" }, false, "No Running pod matches role=pending to resolve web from."],
    ["no pod matches (other pods do not stand in)", { type: "dns", name: "web", fromPodSelector: "role=none" }, false, "No Running pod matches role=none to resolve web from."],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "dns", passed, explanation });
  });
});

describe("hostIP: an address bound on a node", () => {
  it.each<Row>([
    ["bound", { type: "hostIP", node: "node01", ip: "192.168.2.6" }, true, "192.168.2.6 is bound on node01."],
    ["a node's own address", { type: "hostIP", node: "node02", ip: "192.168.2.3" }, true, "192.168.2.3 is bound on node02."],
    ["bound on another node: which, and the node's addresses without loopback", { type: "hostIP", node: "node02", ip: "192.168.2.6" }, false, "192.168.2.6 is not bound on node02 (it is on node01); add it there with ip addr add 192.168.2.6/21 dev eth0. node02 has 192.168.2.3/21 eth0, 10.244.4.0/32 flannel.1, 10.244.4.1/24 cni0."],
    ["bound nowhere", { type: "hostIP", node: "node02", ip: "192.168.2.7" }, false, "192.168.2.7 is not bound on node02; add it there with ip addr add 192.168.2.7/21 dev eth0. node02 has 192.168.2.3/21 eth0, 10.244.4.0/32 flannel.1, 10.244.4.1/24 cni0."],
    ["a node that does not exist", { type: "hostIP", node: "node09", ip: "192.168.2.6" }, false, "node node09 does not exist."],
  ])("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "hostIP", passed, explanation });
  });
});

describe("command: a line of the student's command log", () => {
  const log = [{ line: "kubectl get po" }, { line: "kubectl describe svc web" }];
  it.each<[what: string, check: Check, log: { line: string }[] | undefined, passed: boolean, explanation: string]>([
    ["the first line that matches", { type: "command", pattern: "kubectl\\s+(get|describe)" }, log, true, "You ran: kubectl get po"],
    ["none matches, described", { type: "command", pattern: "kubectl\\s+logs", description: "a kubectl logs" }, log, false, "None of your 2 commands is a kubectl logs; try it in the terminal."],
    ["none matches, the pattern shown", { type: "command", pattern: "kubectl\\s+logs" }, log, false, "None of your 2 commands is a command matching /kubectl\\s+logs/; try it in the terminal."],
    ["no log", { type: "command", pattern: "kubectl\\s+logs" }, undefined, false, "No command log to check for a command matching /kubectl\\s+logs/."],
  ])("%s", (_what, check, commands, passed, explanation) => {
    expect(grade(c, check, commands)).toEqual({ type: "command", passed, explanation });
  });
});

describe("runCheck: errors", () => {
  it("a template or URL error is the check's failure, with a full stop added where the message has none", () => {
    expect(grade(c, { type: "request", from: { node: "node01" }, url: "http://10.0.0.1:x", expect: "success" })).toEqual({ type: "request", passed: false, explanation: "bad URL in check: http://10.0.0.1:x." });
    expect(grade(c, { type: "request", from: { node: "node01" }, url: "{{svc:missing.clusterIP}}", expect: "success" })).toEqual({ type: "request", passed: false, explanation: "Service missing does not exist." });
  });

  it("any other error is thrown: a lab's broken regular expression is not the student's mistake", () => {
    expect(() => grade(c, { type: "command", pattern: "(" }, [])).toThrow(SyntaxError);
  });
});

// The grader's `request` check, word for word: where the requests come from (a node, a pod by name or selector, the
// outside client), the URL, each expectation (success, refused, timeout, fail; HTTP errors; body; distinct, matching
// and Ready backends; the client address the backend saw) and the trace hop that explains a failure. Services that
// select one pod (front → web-1) keep the answers independent of which endpoint iptables picks.
import { describe, expect, it } from "vitest";
import type { Check } from "../engine/grading/index.ts";
import type { Pod, Service } from "../engine/index.ts";
import { cluster, grade, namespace, NEVER_READY, pod, podIP, service, UNSCHEDULABLE } from "./helpers/grading-checks.ts";

const c = cluster(
  pod("a-bare", undefined),
  pod("client", { role: "client" }),
  pod("pending-1", { role: "client" }, { spec: UNSCHEDULABLE }),
  pod("web-1", { app: "web", tier: "front" }),
  pod("web-2", { app: "web", tier: "back" }),
  pod("slow-1", { app: "slow" }, { container: NEVER_READY }),
  pod("nginx-1", { app: "nginx" }, { image: "nginx:1.21" }),
  pod("busy-1", { app: "busy" }, { image: "busybox", container: "    command: [sleep, '3600']\n" }),
  service("web", { app: "web" }),
  service("front", { tier: "front" }),
  service("nginx", { app: "nginx" }),
  service("cluster-np", { tier: "front" }, { spec: "  type: NodePort\n" }),
  service("local-np", { app: "web" }, { spec: "  type: NodePort\n  externalTrafficPolicy: Local\n" }),
  service("mixed", undefined),
  service("empty", { app: "nothing" }),
  namespace("dev"),
);
const ip = (name: string) => podIP(c, name);
c.apply(`apiVersion: v1\nkind: Endpoints\nmetadata: {name: mixed}\nsubsets:\n- addresses: [{ip: 10.0.0.1}, {ip: ${ip("busy-1")}}]\n  ports: [{name: http, port: 80}]\n`);
const clusterIP = (svc: string) => (c.get("Service", svc, "default") as Service).spec.clusterIP!;
const nodePort = (svc: string) => (c.get("Service", svc, "default") as Service).spec.ports![0].nodePort!;
const nodeOf = (p: string) => (c.get("Pod", p, "default") as Pod).spec.nodeName!;
const hostIP = (node: string) => c.hosts().find((h) => h.name === node)!.ip;
const web1Node = nodeOf("web-1");
const otherWorker = c.hosts().find((h) => h.name !== web1Node && !h.roles.includes("master"))!;
const clientNode = nodeOf("client");

type Row = [what: string, check: Check, passed: boolean, explanation: string];
const rows = (list: Row[]) =>
  it.each<Row>(list)("%s", (_what, check, passed, explanation) => {
    expect(grade(c, check)).toEqual({ type: "request", passed, explanation });
  });

describe("request: where from, and the URL", () => {
  rows([
    ["from a node, to a ClusterIP", { type: "request", from: { node: "node01" }, url: "{{svc:front.clusterIP}}", expect: "success" }, true, `10 requests from node01 to ${clusterIP("front")}: all answered, by 1 backend (web-1).`],
    ["from a pod by name, one request", { type: "request", from: { pod: "client" }, url: "front", count: 1, expect: "success" }, true, "1 request from pod client to front: all answered, by 1 backend (web-1)."],
    ["from the first Running pod matching (a pod without labels and a Pending one are passed over), with a path", { type: "request", from: { podSelector: "role=client" }, url: "http://front/hostname", expect: "success", bodyMatches: "^ServerName: web-1\\n$" }, true, "10 requests from pod client to http://front/hostname: all answered, by 1 backend (web-1)."],
    ["white space around the URL is trimmed", { type: "request", from: { pod: "client" }, url: " front:80/hostname ", count: 2, expect: "success", bodyMatches: "^ServerName: web-1\\n$" }, true, "2 requests from pod client to  front:80/hostname : all answered, by 1 backend (web-1)."],
    // (front has no port 443: in iptables mode no rule matches, and the ClusterIP is on no interface)
    ["https means port 443", { type: "request", from: { pod: "client" }, url: "https://front/", count: 2, expect: "timeout" }, true, `2 requests from pod client to https://front/: all failed as expected (Failed to connect to ${clusterIP("front")} port 443: Connection timed out).`],
    ["from outside the cluster, the default address", { type: "request", from: { external: true }, url: `http://{{nodeWith:tier=front}}:{{svc:local-np.nodePort}}/`, count: 3, expect: "success", clientIP: "preserved" }, true, `3 requests from a client outside the cluster (192.168.2.100) to http://${hostIP(web1Node)}:${nodePort("local-np")}/: all answered, by 1 backend (web-1); the backends saw 192.168.2.100.`],
    ["from outside the cluster, an address of its own", { type: "request", from: { external: true, ip: "192.168.2.50" }, url: `http://{{nodeWith:tier=front}}:{{svc:local-np.nodePort}}/`, count: 3, expect: "success", clientIP: "preserved" }, true, `3 requests from a client outside the cluster (192.168.2.50) to http://${hostIP(web1Node)}:${nodePort("local-np")}/: all answered, by 1 backend (web-1); the backends saw 192.168.2.50.`],
    ["a node that does not exist", { type: "request", from: { node: "node09" }, url: "front", expect: "success" }, false, "Could not send the requests: node node09 does not exist."],
    ["a pod that does not exist", { type: "request", from: { pod: "nope" }, url: "front", expect: "success" }, false, "Could not send the requests: pod nope does not exist, so the requests cannot be sent from it."],
    ["a pod that does not exist in another namespace", { type: "request", from: { pod: "client", namespace: "dev" }, url: "front", expect: "success" }, false, "Could not send the requests: pod client in namespace dev does not exist, so the requests cannot be sent from it."],
    ["a pod that is not running", { type: "request", from: { pod: "pending-1" }, url: "front", expect: "success" }, false, "Could not send the requests: pod pending-1 is not running."],
    ["no Running pod matches", { type: "request", from: { podSelector: "app=none" }, url: "front", expect: "success" }, false, "Could not send the requests: no Running pod matches app=none to send the requests from."],
    ["a scheme other than http(s)", { type: "request", from: { pod: "client" }, url: "ftp://front/", expect: "success" }, false, "bad URL in check: ftp://front/."],
    ["junk after the port", { type: "request", from: { pod: "client" }, url: "http://front:80x", expect: "success" }, false, "bad URL in check: http://front:80x."],
  ]);
});

describe("request: failures explained by the last hop of the trace", () => {
  rows([
    ["HTTP errors", { type: "request", from: { pod: "client" }, url: "http://front/nope", expect: "success" }, false, "10 requests from pod client to http://front/nope: 10 got HTTP 404 from web-1."],
    ["refused, with the rule that refused", { type: "request", from: { pod: "client" }, url: "http://empty/", count: 2, expect: "success" }, false, `2 requests from pod client to http://empty/: 2 failed (refused ×2): Failed to connect to ${clusterIP("empty")} port 80: Connection refused (${clientNode}: REJECT — default/empty has no endpoints).`],
    ["a port the Service does not have: no rule matches, nothing answers", { type: "request", from: { pod: "client" }, url: "http://front:81/", count: 2, expect: "success" }, false, `2 requests from pod client to http://front:81/: 2 failed (timeout ×2): Failed to connect to ${clusterIP("front")} port 81: Connection timed out (${clientNode}: route — no KUBE-SERVICES rule matches ${clusterIP("front")}:81/TCP (service default/front has no such port): the packet leaves by the default route and nothing answers).`],
    ["a refusal at a node's INPUT: nothing listens there", { type: "request", from: { pod: "client" }, url: "http://192.168.2.1:7443/", count: 1, expect: "success" }, false, "1 request from pod client to http://192.168.2.1:7443/: 1 failed (refused ×1): Failed to connect to 192.168.2.1 port 7443: Connection refused (master01: INPUT — nothing listens on 192.168.2.1:7443)."],
    ["timeouts", { type: "request", from: { pod: "client" }, url: "10.0.0.1", count: 2, expect: "success" }, false, "2 requests from pod client to 10.0.0.1: 2 failed (timeout ×2): Failed to connect to 10.0.0.1 port 80: Connection timed out (pod default/client: route — nothing answers at 10.0.0.1)."],
    ["expected to fail, answered", { type: "request", from: { pod: "client" }, url: "front", count: 2, expect: "fail" }, false, `2 requests from pod client to front: expected every one to fail, but 2 answered (first by web-1, HTTP 200) (pod default/web-1: app — ikubernetes/demoapp:v1.0 on ${ip("web-1")}:80 saw client ${ip("client")}; HTTP 200).`],
    ["expected refused, answered", { type: "request", from: { pod: "client" }, url: "front", count: 2, expect: "refused" }, false, `2 requests from pod client to front: expected every one to fail with Connection refused, but 2 answered (first by web-1, HTTP 200) (pod default/web-1: app — ikubernetes/demoapp:v1.0 on ${ip("web-1")}:80 saw client ${ip("client")}; HTTP 200).`],
    ["expected a timeout, refused", { type: "request", from: { pod: "client" }, url: "http://empty/", count: 2, expect: "timeout" }, false, `2 requests from pod client to http://empty/: expected every one to fail with a timeout, but 2 failed another way: Failed to connect to ${clusterIP("empty")} port 80: Connection refused (${clientNode}: REJECT — default/empty has no endpoints).`],
    ["expected a timeout, timed out", { type: "request", from: { pod: "client" }, url: "10.0.0.1", count: 2, expect: "timeout" }, true, "2 requests from pod client to 10.0.0.1: all failed as expected (Failed to connect to 10.0.0.1 port 80: Connection timed out)."],
    ["expected refused, refused", { type: "request", from: { pod: "client" }, url: "http://empty/", count: 2, expect: "refused" }, true, `2 requests from pod client to http://empty/: all failed as expected (Failed to connect to ${clusterIP("empty")} port 80: Connection refused).`],
  ]);

  it("failures of two kinds are counted by kind", () => {
    const r = grade(c, { type: "request", from: { pod: "client" }, url: "mixed", count: 20, expect: "success" });
    expect(r.passed).toBe(false);
    expect(r.explanation).toMatch(/^20 requests from pod client to mixed: 20 failed \((refused|timeout) ×\d+, (refused|timeout) ×\d+\): Failed to connect to /);
    const any = grade(c, { type: "request", from: { pod: "client" }, url: "mixed", count: 20, expect: "fail" });
    expect(any.passed).toBe(true);
    expect(any.explanation).toMatch(/^20 requests from pod client to mixed: all failed as expected \(Failed to connect to /);
  });
});

// The first 160 characters of nginx's welcome page, as JSON.
const NGINX_HEAD = JSON.stringify(
  "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n".slice(0, 160),
);

describe("request: body, distinct backends, matching and Ready backends", () => {
  rows([
    ["a body that does not match: the first 160 characters of it", { type: "request", from: { pod: "client" }, url: "nginx", count: 2, expect: "success", bodyMatches: "Apache" }, false, `2 requests from pod client to nginx: a response from nginx-1 did not match /Apache/: ${NGINX_HEAD}.`],
    ["a body that matches", { type: "request", from: { pod: "client" }, url: "nginx", count: 2, expect: "success", bodyMatches: "Welcome to nginx!" }, true, "2 requests from pod client to nginx: all answered, by 1 backend (nginx-1)."],
    ["too few distinct backends", { type: "request", from: { pod: "client" }, url: "front", expect: "success", minDistinctBackends: 2 }, false, "10 requests from pod client to front: all answered, by 1 backend (web-1); expected at least 2 different backends."],
    ["exactly enough distinct backends", { type: "request", from: { pod: "client" }, url: "front", expect: "success", minDistinctBackends: 1 }, true, "10 requests from pod client to front: all answered, by 1 backend (web-1)."],
    ["backends that do not match, with their labels", { type: "request", from: { pod: "client" }, url: "front", expect: "success", backendsMatching: "tier=back" }, false, "10 requests from pod client to front: all answered, by 1 backend (web-1); 10 requests were served by web-1 (app=web,tier=front), which does not match tier=back."],
    ["one request served by a backend that does not match", { type: "request", from: { pod: "client" }, url: "front", count: 1, expect: "success", backendsMatching: "tier in (back)" }, false, "1 request from pod client to front: all answered, by 1 backend (web-1); 1 request was served by web-1 (app=web,tier=front), which does not match tier in (back)."],
    ["a backend that is not a pod never matches", { type: "request", from: { pod: "client" }, url: "mysql01:3306", count: 2, expect: "success", backendsMatching: "app=web" }, false, "2 requests from pod client to mysql01:3306: all answered, by 1 backend (mysql01); 2 requests were served by mysql01, which does not match app=web."],
    ["backends that match", { type: "request", from: { pod: "client" }, url: "web", expect: "success", backendsMatching: "app=web" }, true, "10 requests from pod client to web: all answered, by 2 backends (web-1, web-2)."],
    ["a backend that is not Ready (reached by its pod IP)", { type: "request", from: { pod: "client" }, url: ip("slow-1"), expect: "success", onlyReadyBackends: true }, false, `10 requests from pod client to ${ip("slow-1")}: all answered, by 1 backend (slow-1); 10 requests were served by slow-1, which is not Ready.`],
    ["one request to a backend that is not Ready", { type: "request", from: { pod: "client" }, url: ip("slow-1"), count: 1, expect: "success", onlyReadyBackends: true }, false, `1 request from pod client to ${ip("slow-1")}: all answered, by 1 backend (slow-1); 1 request was served by slow-1, which is not Ready.`],
    ["Ready backends", { type: "request", from: { pod: "client" }, url: "front", count: 2, expect: "success", onlyReadyBackends: true }, true, "2 requests from pod client to front: all answered, by 1 backend (web-1)."],
    ["a backend that is not a pod has no readiness to check", { type: "request", from: { pod: "client" }, url: "mysql01:3306", count: 2, expect: "success", onlyReadyBackends: true }, true, "2 requests from pod client to mysql01:3306: all answered, by 1 backend (mysql01)."],
  ]);

  it("two backends that do not match are named in the plural", () => {
    const r = grade(c, { type: "request", from: { pod: "client" }, url: "web", expect: "success", backendsMatching: "app=none" });
    expect(r.passed).toBe(false);
    expect(r.explanation).toMatch(/^10 requests from pod client to web: all answered, by 2 backends \(web-1, web-2\); 10 requests were served by (web-1 \(app=web,tier=front\), web-2 \(app=web,tier=back\)|web-2 \(app=web,tier=back\), web-1 \(app=web,tier=front\)), which do not match app=none\.$/);
  });
});

describe("request: the client address the backends saw", () => {
  const viaOtherNode = `http://${otherWorker.ip}:${nodePort("cluster-np")}/`;
  const flannel = (node: string) => c.hostInterfaces(node).find((i) => i.dev === "flannel.1")!.addrs[0].ip;
  rows([
    ["Cluster policy SNATs: the rule that did it", { type: "request", from: { external: true }, url: viaOtherNode, count: 2, expect: "success", clientIP: "preserved" }, false, `2 requests from a client outside the cluster (192.168.2.100) to ${viaOtherNode}: all answered, by 1 backend (web-1); the backends saw the client as ${flannel(otherWorker.name)}, not 192.168.2.100: the source address was SNATed (${otherWorker.name}: KUBE-MARK-MASQ — nodePort traffic with externalTrafficPolicy Cluster is SNATed: will be SNATed).`],
    ["Cluster policy SNATs, as expected", { type: "request", from: { external: true }, url: viaOtherNode, count: 2, expect: "success", clientIP: "snat" }, true, `2 requests from a client outside the cluster (192.168.2.100) to ${viaOtherNode}: all answered, by 1 backend (web-1); the backends saw ${flannel(otherWorker.name)}.`],
    ["Local policy keeps the address where SNAT was expected", { type: "request", from: { external: true }, url: `http://{{nodeWith:tier=front}}:{{svc:local-np.nodePort}}/`, count: 2, expect: "success", clientIP: "snat" }, false, `2 requests from a client outside the cluster (192.168.2.100) to http://${hostIP(web1Node)}:${nodePort("local-np")}/: all answered, by 1 backend (web-1); the backends saw the client's own address 192.168.2.100: no SNAT happened.`],
    ["a pod reaching itself through its Service is SNATed (hairpin)", { type: "request", from: { pod: "web-1" }, url: "front", count: 2, expect: "success", clientIP: "preserved" }, false, `2 requests from pod web-1 to front: all answered, by 1 backend (web-1); the backends saw the client as ${c.hostInterfaces(web1Node).find((i) => i.dev === "cni0")!.addrs[0].ip}, not ${ip("web-1")}: the source address was SNATed (${web1Node}: POSTROUTING KUBE-POSTROUTING MASQUERADE — source ${ip("web-1")} -> ${c.hostInterfaces(web1Node).find((i) => i.dev === "cni0")!.addrs[0].ip} (hairpin: the pod reached itself)).`],
    ["a pod reaching a host outside the cluster: no kube-proxy rule", { type: "request", from: { pod: "client" }, url: "mysql01:3306", count: 2, expect: "success", clientIP: "preserved" }, false, `2 requests from pod client to mysql01:3306: all answered, by 1 backend (mysql01); the backends saw the client as ${hostIP(clientNode)}, not ${ip("client")}: the source address was SNATed (by the network on the way, not by a kube-proxy rule).`],
    ["a pod reaching another pod keeps its address", { type: "request", from: { pod: "client" }, url: "front", count: 2, expect: "success", clientIP: "preserved" }, true, `2 requests from pod client to front: all answered, by 1 backend (web-1); the backends saw ${ip("client")}.`],
    ["a node has no client address to compare", { type: "request", from: { node: "node01" }, url: "{{svc:front.clusterIP}}", count: 2, expect: "success", clientIP: "preserved" }, false, `2 requests from node01 to ${clusterIP("front")}: all answered, by 1 backend (web-1); a client-IP check needs a pod or outside client as the source, not a node.`],
  ]);

  it("some answers SNATed and some not is not preserved", () => {
    const r = grade(c, { type: "request", from: { pod: "web-1" }, url: "web", count: 20, expect: "success", clientIP: "preserved" });
    expect(r.passed).toBe(false);
    expect(r.explanation).toContain(`, not ${ip("web-1")}: the source address was SNATed`);
  });
});

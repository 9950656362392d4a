// How kube-proxy picks an endpoint (semantics.md §2): iptables mode draws uniformly at random per connection
// (`-m statistic --mode random`), IPVS goes round robin (`rr`, endpoint i+1 of n), and sessionAffinity ClientIP
// keeps a client on its endpoint while `-m recent --rcheck --seconds <timeout>` matches: a packet from the same
// source less than timeoutSeconds (default 10800) after the last one (xt_recent: time_after(stamp, now - seconds)).
// The recent list is per endpoint chain, so per service port, and keyed by the source address at the entry node.
// Also: which Endpoints port serves which Service port (by name and protocol only), and the pod reaching itself.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { RequestResult, RequestSource } from "../engine/types.ts";

const POD = (name: string, node: string, labels: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: { nodeName: node, containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] },
});

function cluster(proxyMode: "iptables" | "ipvs", service: Record<string, unknown>): { c: Cluster; ip: string; podIP: (n: string) => string } {
  const c = Cluster.create({ seed: 9, topology: { proxyMode } });
  c.apply([POD("a", "node01", { app: "web" }), POD("b", "node02", { app: "web" }), POD("c", "node01", { app: "web" }), POD("x", "node01", { role: "client" }), POD("y", "node01", { role: "client" })]);
  c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { selector: { app: "web" }, ...service } }]);
  c.advance(30);
  const ip = (c.get("Service", "web", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
  return { c, ip, podIP: (n) => (c.get("Pod", n, "default") as { status: { podIP: string } }).status.podIP };
}

const X: RequestSource = { kind: "pod", pod: "x" };
const Y: RequestSource = { kind: "pod", pod: "y" };
const picked = (r: RequestResult) => r.trace.find((h) => h.rule.startsWith("KUBE-SVC-") || h.rule.startsWith("IPVS "))!;

describe("iptables mode: random per connection", () => {
  it("lists every ready endpoint in the chain and picks each of them over 60 requests", () => {
    const { c, ip, podIP } = cluster("iptables", { ports: [{ port: 80 }] });
    const eps = ["a", "b", "c"].map((n) => `${podIP(n)}:80`).sort((p, q) => (p < q ? -1 : 1));
    const served = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = c.request({ from: X, host: ip });
      const hop = picked(r);
      const ep = `${r.servedBy!.ip}:80`;
      expect(hop.detail).toBe(`3 ready endpoints [${eps.join(", ")}]; iptables statistic (random, 1/3 each) picked ${ep}`);
      expect(r.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))!.detail).toBe(`DNAT to ${ep}`);
      served.add(r.servedBy!.name);
    }
    expect([...served].sort()).toEqual(["a", "b", "c"]);
  });
});

describe("IPVS mode: round robin", () => {
  it("serves endpoint 1, 2, 3, 1, 2 of 3 in order", () => {
    const { c, ip, podIP } = cluster("ipvs", { ports: [{ port: 80 }] });
    const eps = ["a", "b", "c"].map((n) => `${podIP(n)}:80`).sort((p, q) => (p < q ? -1 : 1));
    const seen = Array.from({ length: 5 }, () => c.request({ from: X, host: ip }));
    expect(seen.map((r) => picked(r).rule)).toEqual(Array(5).fill(`IPVS ${ip}:80 rr`));
    expect(seen.map((r) => picked(r).detail)).toEqual([1, 2, 3, 1, 2].map((i) => `round robin: endpoint ${i} of 3: ${eps[i - 1]}`));
    expect(seen.map((r) => `${r.servedBy!.ip}:80`)).toEqual([0, 1, 2, 0, 1].map((i) => eps[i]));
  });

  it("keeps one round-robin position per service port", () => {
    const { c, ip } = cluster("ipvs", { ports: [{ name: "a", port: 80 }, { name: "b", port: 8080, targetPort: 80 }] });
    const first = picked(c.request({ from: X, host: ip, port: 80 })).detail;
    expect(picked(c.request({ from: X, host: ip, port: 8080 })).detail).toMatch(/^round robin: endpoint 1 of 3:/);
    expect(first).toMatch(/^round robin: endpoint 1 of 3:/);
  });
});

describe("sessionAffinity ClientIP", () => {
  const sticky = (timeoutSeconds?: number) => ({
    ports: [{ name: "http", port: 80 }, { name: "alt", port: 8080, targetPort: 80 }],
    sessionAffinity: "ClientIP",
    ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}),
  });
  const stays = (r: RequestResult, who: string) => picked(r).detail === `sessionAffinity ClientIP: ${who} stays on ${r.servedBy!.ip}:80 (recent match)`;

  it.each([
    ["iptables", 10, 9, true],
    ["iptables", 10, 10, false], // xt_recent: seen exactly --seconds ago no longer matches
    ["iptables", undefined, 10799, true],
    ["iptables", undefined, 10800, false], // the default, 3 h
    ["ipvs", 10, 9, true],
    ["ipvs", 10, 10, false],
  ] as const)("%s, timeoutSeconds %s: %s s after the last request the client stays: %s", (mode, timeout, after, keep) => {
    const { c, ip, podIP } = cluster(mode, sticky(timeout));
    const first = c.request({ from: X, host: ip });
    expect(stays(first, podIP("x"))).toBe(false);
    // Each request inside the window renews the record and lands on the same endpoint.
    for (let i = 0; i < 8; i++) {
      c.advance(1);
      const r = c.request({ from: X, host: ip });
      expect(stays(r, podIP("x"))).toBe(true);
      expect(r.servedBy!.name).toBe(first.servedBy!.name);
    }
    c.advance(after);
    const later = c.request({ from: X, host: ip });
    expect(stays(later, podIP("x"))).toBe(keep);
    if (!keep) expect(picked(later).rule).toBe(mode === "ipvs" ? `IPVS ${ip}:80 rr` : picked(first).rule);
  });

  it("keeps one record per client address and per service port", () => {
    const { c, ip, podIP } = cluster("iptables", sticky());
    c.request({ from: X, host: ip });
    expect(stays(c.request({ from: X, host: ip }), podIP("x"))).toBe(true);
    expect(stays(c.request({ from: Y, host: ip }), podIP("y"))).toBe(false);
    expect(stays(c.request({ from: X, host: ip, port: 8080 }), podIP("x"))).toBe(false);
    expect(stays(c.request({ from: X, host: ip, port: 8080 }), podIP("x"))).toBe(true);
  });

  it("forgets an endpoint that is gone", () => {
    const { c, ip, podIP } = cluster("iptables", sticky());
    const first = c.request({ from: X, host: ip });
    c.delete("Pod", first.servedBy!.name, "default", { gracePeriodSeconds: 0 });
    c.advance(1);
    const r = c.request({ from: X, host: ip });
    expect(stays(r, podIP("x"))).toBe(false);
    expect(r.servedBy!.name).not.toBe(first.servedBy!.name);
  });

  it("records the source the entry node sees: two pods of node01 through node02's nodePort are one client, 192.168.2.2", () => {
    const { c } = cluster("iptables", { ...sticky(), type: "NodePort", ports: [{ port: 80, nodePort: 30090 }] });
    const first = c.request({ from: X, host: "192.168.2.3", port: 30090 });
    expect(first.ok).toBe(true);
    const r = c.request({ from: Y, host: "192.168.2.3", port: 30090 });
    expect(picked(r).detail).toBe(`sessionAffinity ClientIP: 192.168.2.2 stays on ${first.servedBy!.ip}:80 (recent match)`);
    expect(r.servedBy!.name).toBe(first.servedBy!.name);
  });

  it("a node's own requests are keyed by its address", () => {
    const { c, ip } = cluster("iptables", sticky());
    const first = c.request({ from: { kind: "node", node: "node02" }, host: ip });
    expect(picked(c.request({ from: { kind: "node", node: "node02" }, host: ip })).detail).toBe(`sessionAffinity ClientIP: 192.168.2.3 stays on ${first.servedBy!.ip}:80 (recent match)`);
  });
});

describe("which Endpoints port serves a Service port: name and protocol", () => {
  const ep = (ports: Record<string, unknown>[]) => ({ apiVersion: "v1", kind: "Endpoints", metadata: { name: "db" }, subsets: [{ addresses: [{ ip: "192.168.2.8" }], ports }] });
  const svc = (ports: Record<string, unknown>[]) => ({ apiVersion: "v1", kind: "Service", metadata: { name: "db" }, spec: { ports } });

  it.each([
    ["the same name", [{ name: "mysql", port: 3306 }], [{ name: "mysql", port: 3306 }], "192.168.2.8:3306"],
    ["both unnamed", [{ port: 3306 }], [{ port: 3306 }], "192.168.2.8:3306"],
    ["a named Service port, an unnamed Endpoints port", [{ name: "mysql", port: 3306 }], [{ port: 3306 }], "none"],
    ["an unnamed Service port, a named Endpoints port (even the only one)", [{ port: 3306 }], [{ name: "mysql", port: 3306 }], "none"],
    ["the right name among two", [{ name: "mysql", port: 3306 }], [{ name: "admin", port: 33062 }, { name: "mysql", port: 3306 }], "192.168.2.8:3306"],
    ["the name with another protocol", [{ name: "mysql", port: 3306 }], [{ name: "mysql", port: 3306, protocol: "UDP" }], "none"],
  ])("%s", (_n, svcPorts, epPorts, dnat) => {
    const c = Cluster.create({ seed: 2 });
    c.apply([svc(svcPorts), ep(epPorts)]);
    c.advance(1);
    const ip = (c.get("Service", "db", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    const r = c.request({ from: { kind: "node", node: "node01" }, host: ip, port: 3306 });
    if (dnat === "none") {
      expect(r.error?.code).toBe("refused");
      expect(r.trace.at(-1)).toEqual({ at: "node01", rule: "REJECT", detail: `default/db has no endpoints (no Endpoints port is named "${(svcPorts[0] as { name?: string }).name ?? ""}" with protocol TCP)` });
    } else {
      expect(r.ok).toBe(true);
      expect(r.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))!.detail).toBe(`DNAT to ${dnat}`);
    }
  });

  it("a Service with two ports sends each to its own target port", () => {
    const { c, ip, podIP } = cluster("iptables", { ports: [{ name: "http", port: 80 }, { name: "metrics", port: 9000, targetPort: 9000 }] });
    const http = c.request({ from: X, host: ip, port: 80 });
    expect(http.ok).toBe(true);
    const m = c.request({ from: X, host: ip, port: 9000 });
    const dnat = m.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))!.detail!;
    expect(dnat).toMatch(/^DNAT to 10\.244\.\d+\.\d+:9000$/);
    expect(m.error?.code).toBe("refused"); // demoapp listens on 80 only
    expect(m.trace.at(-1)!.detail).toMatch(/^nothing listens on 10\.244\.\d+\.\d+:9000 in the pod$/);
    expect(["a", "b", "c"].map(podIP)).toContain(dnat.slice("DNAT to ".length, -":9000".length));
  });
});

describe("hairpin: a pod reaching itself through its Service", () => {
  it("is masqueraded to its node's bridge (KUBE-SEP -s <endpoint> -j KUBE-MARK-MASQ)", () => {
    const c = Cluster.create({ seed: 4 });
    c.apply([POD("self", "node02", { app: "self" })]);
    c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "self" }, spec: { selector: { app: "self" }, ports: [{ port: 80 }] } }]);
    c.advance(30);
    const podIP = (c.get("Pod", "self", "default") as { status: { podIP: string } }).status.podIP;
    const r = c.request({ from: { kind: "pod", pod: "self" }, host: "self" });
    expect(r.clientIP).toBe("10.244.4.1");
    expect(r.trace.find((h) => h.rule === "POSTROUTING KUBE-POSTROUTING MASQUERADE")?.detail).toBe(`source ${podIP} -> 10.244.4.1 (hairpin: the pod reached itself)`);
    expect(r.trace.some((h) => h.rule === "KUBE-MARK-MASQ")).toBe(false);
  });
});

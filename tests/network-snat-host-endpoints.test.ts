// SNAT when the endpoint is a hostNetwork pod (its address is its node's, 192.168.2.3:8080 on node02): the rules of
// engine/network/snat.ts plus one of netfilter's paths. A packet DNATed to an address of the node it arrived at is
// delivered there (PREROUTING → INPUT) and never passes POSTROUTING, where KUBE-POSTROUTING's and flannel's
// MASQUERADE are: even marked, it keeps its source. A packet the node sends itself does pass POSTROUTING; one
// DNATed to another node leaves by eth0 and is masqueraded to the entry node's address (marked) or, from a pod,
// by flannel's `-s <net> ! -d 224.0.0.0/4 MASQUERADE`.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { RequestSource } from "../engine/types.ts";

function setup() {
  const c = Cluster.create({ seed: 8 });
  c.apply([
    { apiVersion: "v1", kind: "Pod", metadata: { name: "hostweb", labels: { app: "hw" } }, spec: { nodeName: "node02", hostNetwork: true, containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0", env: [{ name: "PORT", value: "8080" }] }] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "c1" }, spec: { nodeName: "node01", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "c2" }, spec: { nodeName: "node02", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "cluster" }, spec: { type: "NodePort", selector: { app: "hw" }, ports: [{ port: 80, targetPort: 8080, nodePort: 30100 }] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "local" }, spec: { type: "NodePort", externalTrafficPolicy: "Local", selector: { app: "hw" }, ports: [{ port: 80, targetPort: 8080, nodePort: 30101 }] } },
  ]);
  c.advance(30);
  return c;
}

type Src = "outside" | "pod on node01" | "pod on node02" | "node02" | "master01";
const SRC: Record<Src, RequestSource> = {
  outside: { kind: "external" },
  "pod on node01": { kind: "pod", pod: "c1" },
  "pod on node02": { kind: "pod", pod: "c2" },
  node02: { kind: "node", node: "node02" },
  master01: { kind: "node", node: "master01" },
};

// [way in, source, marked by kube-proxy, who rewrote the source (or "" for nobody), what hostweb sees]
const ROWS: [string, Src, boolean, string, string][] = [
  ["node02:30100 (Cluster)", "outside", true, "", "192.168.2.100"], // marked, but delivered on node02 itself
  ["node01:30100 (Cluster)", "outside", true, "POSTROUTING KUBE-POSTROUTING MASQUERADE", "192.168.2.2"],
  ["node02:30101 (Local)", "outside", false, "", "192.168.2.100"],
  ["ClusterIP", "pod on node02", false, "", "pod:c2"],
  ["ClusterIP", "pod on node01", false, "flannel ip-masq", "192.168.2.2"],
  ["ClusterIP", "node02", true, "POSTROUTING KUBE-POSTROUTING MASQUERADE", "192.168.2.3"], // sent by the node: passes POSTROUTING
  ["ClusterIP", "master01", true, "POSTROUTING KUBE-POSTROUTING MASQUERADE", "192.168.2.1"],
];

describe("SNAT towards a hostNetwork endpoint", () => {
  const c = setup();
  const podIP = (n: string) => (c.get("Pod", n, "default") as { status: { podIP: string } }).status.podIP;
  const clusterIP = (c.get("Service", "cluster", "default") as { spec: { clusterIP: string } }).spec.clusterIP;

  it.each(ROWS)("%s from %s: marked %s, rewritten by %j, hostweb sees %s", (way, src, marked, by, seen) => {
    const [host, port] = way === "ClusterIP" ? [clusterIP, 80] : [way.startsWith("node02") ? "192.168.2.3" : "192.168.2.2", Number(way.slice(7, 12))];
    const r = c.request({ from: SRC[src], host, port });
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.servedBy).toEqual({ kind: "pod", name: "hostweb", namespace: "default", node: "node02", ip: "192.168.2.3", port: 8080 });
    expect(r.clientIP).toBe(seen.startsWith("pod:") ? podIP(seen.slice(4)) : seen);
    expect(r.trace.some((h) => h.rule === "KUBE-MARK-MASQ")).toBe(marked);
    const rewrites = r.trace.filter((h) => h.rule === "POSTROUTING KUBE-POSTROUTING MASQUERADE" || (h.rule === "flannel ip-masq" && h.at === "node01" && h.detail?.includes("leaving by")));
    expect(rewrites.map((h) => h.rule)).toEqual(by ? [by] : []);
  });

  it("node01:30101 (Local) from outside: hostweb is not on node01, dropped", () => {
    const r = c.request({ from: SRC.outside, host: "192.168.2.2", port: 30101 });
    expect(r.error?.code).toBe("timeout");
    expect(r.trace.at(-1)?.rule).toBe("KUBE-MARK-DROP");
  });
});

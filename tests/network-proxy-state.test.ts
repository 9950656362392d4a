// What a request leaves behind in the cluster, and the trace of a pod's packet leaving its node:
// - a request that changes no application state (GET to a pod, straight to its IP: no endpoint draw either) leaves
//   the saved cluster (`toJSON`, what persistence writes) byte for byte as it was;
// - sessionAffinity records exist only while a Service has ClientIP affinity (iptables `-m recent` lists belong to
//   the ClientIP rules), so a Service switched to ClientIP starts with a fresh draw, not a record from before;
// - a pod's packet to another node's nodePort leaves by eth0 and flannel masquerades it to its node's address
//   before the entry node's rules see it (`-s <net> ! -d 224.0.0.0/4 -j MASQUERADE`).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const demo = { name: "demoapp", image: "ikubernetes/demoapp:v1.0" };

function setup() {
  const c = Cluster.create({ seed: 21 });
  c.apply([
    { apiVersion: "v1", kind: "Pod", metadata: { name: "a", labels: { app: "web" } }, spec: { nodeName: "node01", containers: [demo] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "b", labels: { app: "web" } }, spec: { nodeName: "node02", containers: [demo] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "client" }, spec: { nodeName: "node01", containers: [demo] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, nodePort: 30300 }] } },
  ]);
  c.advance(30);
  return c;
}

describe("what a request leaves behind", () => {
  it("a GET straight to a pod leaves the saved cluster unchanged", () => {
    const c = setup();
    const ip = (c.get("Pod", "a", "default") as { status: { podIP: string } }).status.podIP;
    const before = c.toJSONText();
    for (const path of ["/", "/hostname", "/readyz", "/nosuch"]) expect(c.request({ from: { kind: "node", node: "node02" }, host: ip, path }).ok).toBe(true);
    expect(c.request({ from: { kind: "node", node: "node02" }, host: ip, port: 81 }).ok).toBe(false);
    expect(c.toJSONText()).toBe(before);
  });

  it("a Service switched to sessionAffinity ClientIP draws afresh: no record was kept while it was None", () => {
    const c = setup();
    const ip = (c.get("Service", "web", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    for (let i = 0; i < 5; i++) c.request({ from: { kind: "pod", pod: "client" }, host: ip });
    c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "NodePort", selector: { app: "web" }, sessionAffinity: "ClientIP", ports: [{ port: 80, nodePort: 30300 }] } }]);
    c.advance(1);
    const first = c.request({ from: { kind: "pod", pod: "client" }, host: ip });
    expect(first.trace.find((h) => h.rule.startsWith("KUBE-SVC-"))?.detail).toMatch(/^2 ready endpoints \[.*\]; iptables statistic/);
    expect(c.request({ from: { kind: "pod", pod: "client" }, host: ip }).trace.find((h) => h.rule.startsWith("KUBE-SVC-"))?.detail).toMatch(/^sessionAffinity ClientIP: /);
  });
});

describe("a pod's packet to another node's nodePort", () => {
  it("is masqueraded by flannel on its own node before node02's rules see it", () => {
    const c = setup();
    const podIP = (c.get("Pod", "client", "default") as { status: { podIP: string } }).status.podIP;
    const r = c.request({ from: { kind: "pod", pod: "client" }, host: "192.168.2.3", port: 30300 });
    expect(r.ok).toBe(true);
    expect(r.trace[0]).toEqual({ at: "node01", rule: "flannel ip-masq", detail: "pod traffic leaving the pod network is SNATed to 192.168.2.2" });
    expect(r.trace[1]).toEqual({ at: "node02", rule: "KUBE-NODEPORTS", detail: "192.168.2.3:30300/TCP is nodePort 30300 of service default/web" });
    expect(r.trace.find((h) => h.rule === "POSTROUTING KUBE-POSTROUTING MASQUERADE")?.detail).toMatch(/^source 192\.168\.2\.2 -> 10\.244\.4\.[01]$/);
    expect(r.clientIP).not.toBe(podIP);
  });
});

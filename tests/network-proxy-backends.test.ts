// Two backend rules the other network tables leave out:
// - hand-written Endpoints may name a pod's IP without a targetRef; kube-proxy DNATs to the address, so that pod
//   answers, as it would through the Service's own selector;
// - an application's state survives a refused connection to another port of its pod (demoapp's readyz flag set by
//   POST /readyz stays FAIL after a connection to port 81 is refused).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const demo = { name: "demoapp", image: "ikubernetes/demoapp:v1.0" };

describe("backends", () => {
  it("hand-written Endpoints to a pod IP (no targetRef) reach that pod", () => {
    const c = Cluster.create({ seed: 31 });
    c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { nodeName: "node02", containers: [demo] } }]);
    c.advance(30);
    const ip = (c.get("Pod", "web", "default") as { status: { podIP: string } }).status.podIP;
    c.apply([
      { apiVersion: "v1", kind: "Service", metadata: { name: "manual" }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: "v1", kind: "Endpoints", metadata: { name: "manual" }, subsets: [{ addresses: [{ ip }], ports: [{ port: 80 }] }] },
    ]);
    c.advance(1);
    const svcIP = (c.get("Service", "manual", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    const r = c.request({ from: { kind: "node", node: "node01" }, host: svcIP });
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.servedBy).toEqual({ kind: "pod", name: "web", namespace: "default", node: "node02", ip, port: 80 });
    expect(r.clientIP).toBe("10.244.5.0"); // marked, leaving node01 by flannel.1
  });

  it("demoapp's readyz flag survives a refused connection to another port of its pod", () => {
    const c = Cluster.create({ seed: 32 });
    c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { nodeName: "node01", containers: [demo] } }]);
    c.advance(30);
    const ip = (c.get("Pod", "web", "default") as { status: { podIP: string } }).status.podIP;
    const from = { kind: "node", node: "node01" } as const;
    c.request({ from, host: ip, path: "/readyz", body: "readyz=FAIL" });
    expect(c.request({ from, host: ip, port: 81 }).error?.code).toBe("refused");
    const r = c.request({ from, host: ip, path: "/readyz" });
    expect([r.status, r.body]).toEqual([500, "FAIL"]);
  });
});

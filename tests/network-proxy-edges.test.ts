// The edges of kube-proxy's and the kubelet's answers that the main table (network-proxy-rules) does not reach:
// what the kube-apiserver answers on the master's 6443 to a request without TLS (Go's net/http: 400 and
// "Client sent an HTTP request to an HTTPS server."), a hostNetwork port is only on its own node, a container in
// back-off listens on nothing, the LoadBalancer announcer of a cluster with only a master, the ClusterIP of a
// Local-policy Service (the policy is for external traffic only), and what a failed request reports as its
// destination.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const demo = (extra: Record<string, unknown> = {}) => ({ name: "demoapp", image: "ikubernetes/demoapp:v1.0", ...extra });

describe("the master's 6443", () => {
  it("is the kube-apiserver: a plain HTTP request gets Go's 400 for HTTP on a TLS port", () => {
    const c = Cluster.create({ seed: 1 });
    const r = c.request({ from: { kind: "node", node: "node02" }, host: "192.168.2.1", port: 6443, path: "/version" });
    expect(r).toMatchObject({ ok: true, status: 400, statusText: "Bad Request", headers: {}, body: "Client sent an HTTP request to an HTTPS server.\n", clientIP: "192.168.2.3" });
    expect(r.servedBy).toEqual({ kind: "node", name: "master01", node: "master01", ip: "192.168.2.1", port: 6443 });
    expect(r.dest).toEqual({ ip: "192.168.2.1", port: 6443 });
  });

  it("over the master's own loopback", () => {
    const c = Cluster.create({ seed: 1 });
    const r = c.request({ from: { kind: "node", node: "master01" }, host: "127.0.0.1", port: 6443 });
    expect([r.status, r.clientIP]).toEqual([400, "127.0.0.1"]);
    expect(r.trace).toEqual([{ at: "master01", rule: "app", detail: "kube-apiserver on 127.0.0.1:6443 (TLS) saw client 127.0.0.1; a request without TLS gets HTTP 400" }]);
  });
});

describe("host network and containers", () => {
  function setup() {
    const c = Cluster.create({ seed: 2 });
    c.apply([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "hostweb" }, spec: { nodeName: "node02", hostNetwork: true, containers: [demo({ env: [{ name: "PORT", value: "8080" }] })] } },
      // liveness on a port nothing listens on: restarted at once, then held in CrashLoopBackOff
      { apiVersion: "v1", kind: "Pod", metadata: { name: "crashy", labels: { app: "crashy" } }, spec: { nodeName: "node01", containers: [demo({ livenessProbe: { httpGet: { path: "/", port: 81 }, periodSeconds: 1, failureThreshold: 1 } })] } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "two" }, spec: { nodeName: "node01", containers: [{ name: "db", image: "mysql:5.7" }, demo()] } },
    ]);
    c.advance(20);
    return c;
  }

  it("a hostNetwork pod's port is open on its own node only", () => {
    const c = setup();
    expect(c.request({ from: { kind: "external" }, host: "192.168.2.3", port: 8080 }).servedBy).toEqual({ kind: "pod", name: "hostweb", namespace: "default", node: "node02", ip: "192.168.2.3", port: 8080 });
    const r = c.request({ from: { kind: "external" }, host: "192.168.2.2", port: 8080 });
    expect(r.error).toEqual({ code: "refused", message: "Failed to connect to 192.168.2.2 port 8080: Connection refused" });
    expect(r.trace).toEqual([{ at: "node01", rule: "INPUT", detail: "nothing listens on 192.168.2.2:8080" }]);
  });

  it("a container in back-off listens on nothing", () => {
    const c = setup();
    const pod = c.get("Pod", "crashy", "default") as { status: { podIP: string; containerStatuses: { state: Record<string, { reason?: string }> }[] } };
    expect(pod.status.containerStatuses[0].state.waiting?.reason).toBe("CrashLoopBackOff");
    const r = c.request({ from: { kind: "node", node: "node01" }, host: pod.status.podIP });
    expect(r.error?.code).toBe("refused");
    expect(r.trace.at(-1)).toEqual({ at: "pod default/crashy", rule: "connect", detail: `nothing listens on ${pod.status.podIP}:80 in the pod` });
  });

  it("the container listening on the port answers, whichever it is in the pod", () => {
    const c = setup();
    const ip = (c.get("Pod", "two", "default") as { status: { podIP: string } }).status.podIP;
    expect(c.request({ from: { kind: "node", node: "node01" }, host: ip, port: 80 }).body).toMatch(/^iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.5\.1, ServerName: two,/);
    expect(c.request({ from: { kind: "node", node: "node01" }, host: ip, port: 3306 }).body).toBe("5.7.36\u0000");
    expect(c.request({ from: { kind: "node", node: "node01" }, host: ip, port: 8080 }).error?.code).toBe("refused");
  });

  it("served by a pod, by an outside host: the kind in servedBy", () => {
    const c = setup();
    expect(c.request({ from: { kind: "node", node: "node01" }, host: "192.168.2.8", port: 3306 }).servedBy).toEqual({ kind: "external", name: "mysql01", ip: "192.168.2.8", port: 3306 });
    expect(c.request({ from: { kind: "node", node: "node01" }, host: "192.168.2.9", port: 3306 }).servedBy).toEqual({ kind: "external", name: "mysql02", ip: "192.168.2.9", port: 3306 });
  });
});

describe("LoadBalancer on a cluster of one master", () => {
  it("the master announces the ingress IP when there is no worker", () => {
    const c = Cluster.create({ seed: 3, topology: { nodes: [{ name: "master01", ip: "192.168.2.1", podCIDR: "10.244.0.0/24", roles: ["master"] }], loadBalancerPool: ["192.168.2.240"] } });
    c.apply([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } }, spec: { nodeName: "master01", containers: [demo()] } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80 }] } },
    ]);
    c.advance(30);
    const r = c.request({ from: { kind: "external" }, host: "192.168.2.240" });
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.trace[0]).toEqual({ at: "master01", rule: "KUBE-SERVICES", detail: "192.168.2.240:80/TCP is the LoadBalancer ingress IP of service default/web (packet delivered to master01)" });
  });
});

describe("the ClusterIP of a Service with externalTrafficPolicy Local", () => {
  it("balances over every endpoint, with no KUBE-XLB (the policy is for external traffic)", () => {
    const c = Cluster.create({ seed: 4 });
    c.apply([
      { apiVersion: "v1", kind: "Pod", metadata: { name: "w1", labels: { app: "w" } }, spec: { nodeName: "node01", containers: [demo()] } },
      { apiVersion: "v1", kind: "Pod", metadata: { name: "w2", labels: { app: "w" } }, spec: { nodeName: "node02", containers: [demo()] } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "w" }, spec: { type: "NodePort", externalTrafficPolicy: "Local", selector: { app: "w" }, ports: [{ port: 80 }] } },
    ]);
    c.advance(30);
    const ip = (c.get("Service", "w", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    const served = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const r = c.request({ from: { kind: "node", node: "master01" }, host: ip });
      expect(r.trace.some((h) => h.rule.startsWith("KUBE-XLB-"))).toBe(false);
      expect(r.trace[1]).toEqual({ at: "master01", rule: "KUBE-MARK-MASQ", detail: "! -s <clusterCIDR>: off-pod-network traffic to a ClusterIP is SNATed: will be SNATed" });
      served.add(r.servedBy!.name);
    }
    expect([...served].sort()).toEqual(["w1", "w2"]);
  });
});

describe("the destination a failed request reports", () => {
  const c = Cluster.create({ seed: 5 });
  c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name: "pending" }, spec: { nodeSelector: { disk: "none" }, containers: [demo()] } }]);
  c.advance(5);

  it.each([
    ["a name that does not resolve: the name itself", { kind: "node", node: "node01" } as const, "nosuch", undefined, { ip: "nosuch", port: 80 }],
    ["from a pod that is not running: the host as given", { kind: "pod", pod: "pending" } as const, "web", 8080, { ip: "web", port: 8080 }],
    ["a name that resolves: its address", { kind: "node", node: "node01" } as const, "node02", 81, { ip: "192.168.2.3", port: 81 }],
  ])("%s", (_n, from, host, port, dest) => {
    const r = c.request({ from, host, port });
    expect(r.ok).toBe(false);
    expect(r.dest).toEqual(dest);
  });
});

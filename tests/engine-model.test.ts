// The engine's model through its typed operations (no terminal): the course's behaviours, faithfully.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Cluster } from "../engine/index.ts";
import type { Endpoints, Pod, Service } from "../engine/index.ts";

// The course's manifests, as the labs hand them to students (labs/<lab>/files/).
const courseFile = (lab: string, name: string) => readFileSync(new URL(`../labs/${lab}/files/${name}`, import.meta.url), "utf8");
const DEMOAPP = courseFile("clusterip-services", "demoapp-deploy.yaml");
const CLUSTERIP_SVC = courseFile("clusterip-services", "services-clusterip-demo.yaml");
const NODEPORT_SVC = courseFile("nodeport-services", "services-nodeport-demo.yaml");
const READINESS = courseFile("readiness-endpoints", "services-readiness-demo.yaml");
const MYSQL = courseFile("external-endpoints", "mysql-endpoints-demo.yaml");

/** The live pods (not Terminating: a scaled-down pod stays listed for its grace period). */
function pods(c: Cluster, selector: string): Pod[] {
  return (c.list("Pod", { namespace: "default", selector }) as Pod[]).filter((p) => !p.metadata.deletionTimestamp);
}
function ready(ep: Endpoints): string[] {
  return (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
}
function notReady(ep: Endpoints): string[] {
  return (ep.subsets ?? []).flatMap((s) => (s.notReadyAddresses ?? []).map((a) => a.ip));
}
function course(seed = 42): Cluster {
  const c = Cluster.create({ seed });
  const r = c.apply(DEMOAPP);
  expect(r.map((x) => x.action)).toEqual(["created"]);
  c.advance(100);
  return c;
}

describe("topology", () => {
  it("has the course's nodes, taints and the kubernetes Service", () => {
    const c = Cluster.create({ seed: 1 });
    const nodes = c.list("Node");
    expect(nodes.map((n) => n.metadata.name)).toEqual(["master01", "node01", "node02"]);
    expect(nodes[0].metadata.labels?.["node-role.kubernetes.io/master"]).toBe("");
    const k = c.get("Service", "kubernetes", "default") as Service;
    expect(k.spec.clusterIP).toBe("10.96.0.1");
    expect(k.spec.ports?.[0].port).toBe(443);
  });
});

describe("deployments, scheduling and endpoints", () => {
  it("creates <deploy>-<hash>-<5 chars> pods spread over the workers, never on the tainted master", () => {
    const c = course();
    const ps = pods(c, "app=demoapp");
    expect(ps).toHaveLength(3);
    for (const p of ps) {
      expect(p.metadata.name).toMatch(/^demoapp-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(["node01", "node02"]).toContain(p.spec.nodeName);
      expect(p.status.phase).toBe("Running");
      const cidr = p.spec.nodeName === "node01" ? "10.244.5." : "10.244.4.";
      expect(p.status.podIP!.startsWith(cidr)).toBe(true);
    }
    const hash = ps[0].metadata.labels!["pod-template-hash"];
    expect(c.get("ReplicaSet", `demoapp-${hash}`, "default").metadata.name).toBe(`demoapp-${hash}`);
  });

  it("fills the Service's Endpoints with the selected ready pods and follows scaling", () => {
    const c = course();
    const r = c.apply(CLUSTERIP_SVC);
    expect(r[0]).toMatchObject({ action: "created", resource: "service", name: "demoapp-svc" });
    const ips = pods(c, "app=demoapp").map((p) => p.status.podIP!).sort();
    expect(ready(c.get("Endpoints", "demoapp-svc", "default") as Endpoints)).toEqual(ips);
    c.scale("Deployment", "demoapp", "default", 2);
    const after = pods(c, "app=demoapp").map((p) => p.status.podIP!).sort();
    expect(after).toHaveLength(2);
    expect(ready(c.get("Endpoints", "demoapp-svc", "default") as Endpoints)).toEqual(after);
    expect(c.apply(CLUSTERIP_SVC)[0].action).toBe("unchanged");
  });

  it("refuses a taken clusterIP and nodePort with the apiserver's messages, changing nothing", () => {
    const c = course();
    c.apply(CLUSTERIP_SVC);
    c.apply(NODEPORT_SVC);
    const before = JSON.stringify(c.toJSON());
    const clash = c.apply(CLUSTERIP_SVC.replace("demoapp-svc", "other-svc"));
    expect(clash[0].error?.message).toBe('The Service "other-svc" is invalid: spec.clusterIP: Invalid value: "10.97.72.1": provided IP is already allocated');
    const np = c.apply(NODEPORT_SVC.replace("demoapp-nodeport-svc", "np2").replace("10.97.56.1", "10.97.56.2"));
    expect(np[0].error?.message).toBe('The Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 31398: provided port is already allocated');
    expect(JSON.stringify(c.toJSON())).toBe(before);
  });
});

describe("kube-proxy routing and client IPs (the course transcript)", () => {
  it("ClusterIP from node01: cni0 .1 for a local pod, flannel .0 for a remote one", () => {
    const c = course();
    c.apply(CLUSTERIP_SVC);
    const seen = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const r = c.request({ from: { kind: "node", node: "node01" }, host: "10.97.72.1" });
      expect(r.ok).toBe(true);
      expect(r.body).toMatch(/^iKubernetes demoapp v1\.0 !! ClientIP: [\d.]+, ServerName: demoapp-\S+, ServerIP: [\d.]+!\n$/);
      seen.set(r.servedBy!.node!, r.clientIP!);
    }
    expect(seen.size).toBe(2);
    expect(seen.get("node01")).toBe("10.244.5.1");
    expect(seen.get("node02")).toBe("10.244.5.0");
  });

  it("NodePort with Cluster policy SNATs to the receiving node; Local keeps the client IP and drops without a local endpoint", () => {
    const c = course();
    c.apply(NODEPORT_SVC);
    c.scale("Deployment", "demoapp", "default", 1);
    const pod = pods(c, "app=demoapp")[0];
    const podNode = pod.spec.nodeName!;
    const other = podNode === "node01" ? "node02" : "node01";
    const ipOf = (n: string) => (n === "node01" ? "192.168.2.2" : "192.168.2.3");
    const flannel = (n: string) => (n === "node01" ? "10.244.5.0" : "10.244.4.0");
    const bridge = (n: string) => (n === "node01" ? "10.244.5.1" : "10.244.4.1");
    const viaOther = c.request({ from: { kind: "node", node: "master01" }, host: ipOf(other), port: 31398 });
    expect(viaOther.clientIP).toBe(flannel(other));
    const viaSame = c.request({ from: { kind: "node", node: "master01" }, host: podNode, port: 31398 });
    expect(viaSame.clientIP).toBe(bridge(podNode));
    // Local policy.
    const r = c.apply(NODEPORT_SVC.replace("  # externalTrafficPolicy", "  externalTrafficPolicy").replace("    nodePort: 31398", "    nodePort: 31398\n  externalTrafficPolicy: Local"));
    expect(r[0].action).toBe("configured");
    const outside = c.request({ from: { kind: "external", ip: "192.168.2.100" }, host: ipOf(podNode), port: 31398 });
    expect(outside.ok).toBe(true);
    expect(outside.clientIP).toBe("192.168.2.100");
    const dropped = c.request({ from: { kind: "external", ip: "192.168.2.100" }, host: ipOf(other), port: 31398 });
    expect(dropped.ok).toBe(false);
    expect(dropped.error?.code).toBe("timeout");
    expect(dropped.trace.some((h) => h.rule === "KUBE-MARK-DROP")).toBe(true);
  });

  it("the trace names the ready endpoints, the one picked and its DNAT rule, and follows the Endpoints as they change", () => {
    const c = course();
    c.apply(CLUSTERIP_SVC);
    const picked = (r: ReturnType<Cluster["request"]>) => r.trace.find((h) => h.rule.startsWith("KUBE-SVC-"))!.detail ?? "";
    const dnat = (r: ReturnType<Cluster["request"]>) => r.trace.find((h) => h.rule.startsWith("KUBE-SEP-"))!;
    const listed = (r: ReturnType<Cluster["request"]>) => /\[([^\]]*)\]/.exec(picked(r))![1].split(", ").sort();
    const endpoints = () => ready(c.get("Endpoints", "demoapp-svc", "default") as Endpoints).map((ip) => `${ip}:80`).sort();
    const seps = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const r = c.request({ from: { kind: "node", node: "node01" }, host: "10.97.72.1" });
      expect(r.ok).toBe(true);
      expect(listed(r)).toEqual(endpoints());
      const to = `${r.servedBy!.ip}:80`;
      expect(picked(r)).toMatch(new RegExp(`picked ${to.replace(/\./g, "\\.")}$`));
      const d = dnat(r);
      expect(d.detail).toBe(`DNAT to ${to}`);
      // one chain per endpoint, the same on every request that picks it
      expect(seps.get(to) ?? d.rule).toBe(d.rule);
      seps.set(to, d.rule);
    }
    expect(new Set(seps.values()).size).toBe(seps.size);
    c.scale("Deployment", "demoapp", "default", 1);
    c.advance(30);
    const r = c.request({ from: { kind: "node", node: "node01" }, host: "10.97.72.1" });
    expect(endpoints()).toHaveLength(1);
    expect(listed(r)).toEqual(endpoints());
    expect(picked(r)).toMatch(/^1 ready endpoint \[/);
  });

  it("a Service with no ready endpoints refuses the connection", () => {
    const c = course();
    c.apply(CLUSTERIP_SVC.replace("app: demoapp", "app: nothing"));
    const r = c.request({ from: { kind: "node", node: "node01" }, host: "10.97.72.1" });
    expect(r.error?.code).toBe("refused");
  });

  it("externalIPs answer only once a node holds the IP, SNATed by that node", () => {
    const c = course();
    c.scale("Deployment", "demoapp", "default", 1);
    c.apply(`
kind: Service
apiVersion: v1
metadata:
  name: demoapp-externalip-svc
spec:
  selector:
    app: demoapp
  ports:
  - name: http
    port: 80
    targetPort: 80
  externalIPs:
  - 192.168.2.6
`);
    expect(c.request({ from: { kind: "node", node: "node01" }, host: "192.168.2.6" }).error?.code).toBe("timeout");
    c.addHostIP("node02", "192.168.2.6/21");
    const r = c.request({ from: { kind: "node", node: "node01" }, host: "192.168.2.6" });
    expect(r.ok).toBe(true);
    const podNode = pods(c, "app=demoapp")[0].spec.nodeName;
    expect(r.clientIP).toBe(podNode === "node02" ? "10.244.4.1" : "10.244.4.0");
  });
});

describe("readiness probes move addresses to notReadyAddresses", () => {
  it("follows the course: initial delay, FAIL after three periods, OK again after one", () => {
    const c = Cluster.create({ seed: 7 });
    c.apply(READINESS);
    let ep = c.get("Endpoints", "services-readiness-demo", "default") as Endpoints;
    expect(ready(ep)).toEqual([]);
    expect(notReady(ep)).toHaveLength(2);
    c.advance(15);
    ep = c.get("Endpoints", "services-readiness-demo", "default") as Endpoints;
    expect(ready(ep)).toHaveLength(2);
    const target = ready(ep)[0];
    const post = c.request({ from: { kind: "node", node: "node01" }, host: target, path: "/readyz", method: "POST", body: "readyz=FAIL" });
    expect(post.status).toBe(200);
    c.advance(20);
    expect(notReady(c.get("Endpoints", "services-readiness-demo", "default") as Endpoints)).toEqual([]);
    c.advance(10);
    ep = c.get("Endpoints", "services-readiness-demo", "default") as Endpoints;
    expect(notReady(ep)).toEqual([target]);
    const svcIP = (c.get("Service", "services-readiness-demo", "default") as Service).spec.clusterIP!;
    for (let i = 0; i < 20; i++) expect(c.request({ from: { kind: "node", node: "node01" }, host: svcIP }).servedBy?.ip).not.toBe(target);
    c.request({ from: { kind: "node", node: "node02" }, host: target, path: "/readyz", body: "readyz=OK" });
    c.advance(10);
    expect(ready(c.get("Endpoints", "services-readiness-demo", "default") as Endpoints)).toContain(target);
  });
});

describe("selector-less Services and hand-written Endpoints", () => {
  it("routes to the external MySQL hosts and leaves the Endpoints alone", () => {
    const c = Cluster.create({ seed: 3 });
    expect(c.apply(MYSQL).map((r) => r.action)).toEqual(["created", "created"]);
    const ip = (c.get("Service", "mysql-external", "default") as Service).spec.clusterIP!;
    const r = c.request({ from: { kind: "node", node: "node01" }, host: ip, port: 3306 });
    expect(r.ok).toBe(true);
    expect(["192.168.2.8", "192.168.2.9"]).toContain(r.servedBy?.ip);
    expect(r.clientIP).toBe("192.168.2.2");
    expect(ready(c.get("Endpoints", "mysql-external", "default") as Endpoints)).toEqual(["192.168.2.8", "192.168.2.9"]);
  });
});

describe("LoadBalancer and ExternalName", () => {
  const LB = `
kind: Service
apiVersion: v1
metadata:
  name: demoapp-loadbalancer-svc
spec:
  type: LoadBalancer
  selector:
    app: demoapp
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
  loadBalancerIP: 1.2.3.4
`;
  it("stays pending without a pool but still gets a nodePort", () => {
    const c = course();
    c.apply(LB);
    const s = c.get("Service", "demoapp-loadbalancer-svc", "default") as Service;
    expect(s.status.loadBalancer.ingress ?? []).toEqual([]);
    expect(s.spec.ports![0].nodePort).toBeGreaterThanOrEqual(30000);
  });
  it("takes an address from a lab's pool and serves on it", () => {
    const c = Cluster.create({ seed: 5, topology: { loadBalancerPool: ["192.168.2.240-192.168.2.250"] } });
    c.apply(DEMOAPP);
    c.apply(LB.replace("  loadBalancerIP: 1.2.3.4\n", ""));
    const s = c.get("Service", "demoapp-loadbalancer-svc", "default") as Service;
    expect(s.status.loadBalancer.ingress).toEqual([{ ip: "192.168.2.240" }]);
    expect(c.request({ from: { kind: "external" }, host: "192.168.2.240" }).ok).toBe(true);
  });
  it("ExternalName gets no ClusterIP and resolves to a CNAME from pods", () => {
    const c = course();
    c.apply(`
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: mysql01
`);
    const s = c.get("Service", "db", "default") as Service;
    expect(s.spec.clusterIP).toBeUndefined();
    const pod = pods(c, "app=demoapp")[0].metadata.name;
    const d = c.dnsLookup("db", { fromPod: pod });
    expect(d).toMatchObject({ found: true, cname: "mysql01", addresses: ["192.168.2.8"], name: "db.default.svc.cluster.local" });
  });
});

describe("determinism and serialisation", () => {
  function script(c: Cluster) {
    c.apply(DEMOAPP);
    c.apply(CLUSTERIP_SVC);
    c.advance(30);
    c.scale("Deployment", "demoapp", "default", 5);
    const bodies = [];
    for (let i = 0; i < 10; i++) bodies.push(c.request({ from: { kind: "node", node: "node01" }, host: "10.97.72.1" }).body);
    c.label("Pod", (c.list("Pod", { namespace: "default" })[0] as Pod).metadata.name, "default", { set: { release: "alpha" } });
    return bodies;
  }
  it("same seed and operations give byte-identical state and output", () => {
    const a = Cluster.create({ seed: 9 });
    const b = Cluster.create({ seed: 9 });
    expect(script(a)).toEqual(script(b));
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });
  it("fromJSON(toJSON()) behaves identically after every step", () => {
    const a = Cluster.create({ seed: 11 });
    let b = Cluster.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    a.apply(DEMOAPP);
    b.apply(DEMOAPP);
    b = Cluster.fromJSON(JSON.parse(JSON.stringify(b.toJSON())));
    a.apply(CLUSTERIP_SVC);
    b.apply(CLUSTERIP_SVC);
    b = Cluster.fromJSON(JSON.stringify(b.toJSON()));
    for (let i = 0; i < 5; i++) {
      expect(b.request({ from: { kind: "node", node: "node02" }, host: "10.97.72.1" }).body).toBe(
        a.request({ from: { kind: "node", node: "node02" }, host: "10.97.72.1" }).body,
      );
    }
    expect(JSON.stringify(b.toJSON())).toBe(JSON.stringify(a.toJSON()));
  });
});

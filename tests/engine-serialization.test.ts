// The stored form leaves derivable data out (pod names, template labels, owned Endpoints subsets, ReplicaSet
// templates, event field names). Restoring must give back exactly the same cluster: same objects, same bytes.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Kind, Pod } from "../engine/index.ts";

const KINDS: Kind[] = ["Namespace", "Node", "Pod", "Deployment", "ReplicaSet", "Service", "Endpoints"];

function deployment(i: number, extra = ""): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app${i}
spec:
  replicas: 3
  selector:
    matchLabels:
      app: app${i}
  template:
    metadata:
      labels:
        app: app${i}
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
${extra}---
apiVersion: v1
kind: Service
metadata:
  name: svc${i}
spec:
  selector:
    app: app${i}
  ports:
  - port: 80
`;
}

function busyCluster(): Cluster {
  const c = Cluster.create({ seed: 21 });
  for (let i = 0; i < 6; i++) c.apply(deployment(i, i % 2 ? "        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: 80\n" : ""));
  const pods = c.list("Pod", { namespace: "default" }) as Pod[];
  c.label("Pod", pods[0].metadata.name, "default", { set: { release: "canary" } });
  c.label("Pod", pods[1].metadata.name, "default", { remove: ["app"] });
  c.label("Pod", pods[2].metadata.name, "default", { remove: ["app", "pod-template-hash"] });
  c.label("Node", "node02", undefined, { set: { disk: "ssd" } });
  c.label("Node", "node01", undefined, { remove: ["kubernetes.io/os"] });
  c.request({ from: { kind: "node", node: "node01" }, host: pods[3].status.podIP!, path: "/readyz", body: "readyz=FAIL" });
  c.apply(`apiVersion: v1
kind: Endpoints
metadata:
  name: ext
subsets:
- addresses:
  - ip: 192.168.2.8
  ports:
  - port: 3306
---
apiVersion: v1
kind: Service
metadata:
  name: ext
spec:
  ports:
  - port: 3306
`);
  c.apply(deployment(1).replace("demoapp:v1.0", "demoapp:v1.1"));
  c.scale("Deployment", "app2", "default", 4);
  c.advance(45);
  return c;
}

describe("stored form", () => {
  it("restores every object exactly and re-serialises to the same bytes", () => {
    const c = busyCluster();
    const text = JSON.stringify(c.toJSON());
    const d = Cluster.fromJSON(text);
    expect(JSON.stringify(d.toJSON())).toBe(text);
    for (const k of KINDS) expect(JSON.stringify(d.list(k))).toBe(JSON.stringify(c.list(k)));
    expect(d.events()).toEqual(c.events());
    expect(d.get("Node", "node02").metadata.labels?.disk).toBe("ssd");
  }, 120_000); // a busy cluster (orphans replaced, DaemonSet pods moved by a node label) takes 5-30 s with the self-checks

  it("expires events after an hour of virtual time", () => {
    const c = busyCluster();
    expect(c.events().length).toBeGreaterThan(0);
    c.advance(3601);
    expect(c.events()).toEqual([]);
    c.scale("Deployment", "app0", "default", 1);
    expect(c.events().map((e) => e.reason)).toEqual(expect.arrayContaining(["ScalingReplicaSet"]));
    expect(c.events().some((e) => e.reason === "Scheduled")).toBe(false);
  });

  it("keeps behaving identically after a restore", () => {
    const c = busyCluster();
    const d = Cluster.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
    for (const x of [c, d]) {
      x.scale("Deployment", "app0", "default", 5);
      x.advance(30);
    }
    const ip = (c.get("Service", "svc0", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
    for (let i = 0; i < 10; i++)
      expect(d.request({ from: { kind: "node", node: "node02" }, host: ip }).body).toBe(c.request({ from: { kind: "node", node: "node02" }, host: ip }).body);
    expect(JSON.stringify(d.toJSON())).toBe(JSON.stringify(c.toJSON()));
  });

  it("stores derivable parts in their compact form (what keeps a 1,000-pod cluster under 1 KiB per pod)", () => {
    const stored = busyCluster().toJSON() as Record<string, Record<string, Record<string, unknown>>>;
    const deployments = Object.values(stored.deployments);
    expect(deployments.every((d) => (d.spec as Record<string, unknown>)["=applied"] === true)).toBe(true);
    // Each Deployment's current ReplicaSet is rebuilt from it; the one retired by app1's rollout has an older
    // template and is stored whole.
    const rss = Object.values(stored.replicasets);
    expect(rss.filter((rs) => typeof rs.owner === "string")).toHaveLength(deployments.length);
    expect(rss).toHaveLength(deployments.length + 1);
    expect(Object.values(stored.pods).some((p) => "name" in p || "ns" in p)).toBe(false);
  });

  it("rejects what is not a stored cluster", () => {
    expect(() => Cluster.fromJSON({ hello: 1 })).toThrow("not a kubelab cluster state");
    expect(() => Cluster.fromJSON("[]")).toThrow("not a kubelab cluster state");
  });
});

describe("stored text", () => {
  it("toJSONText is the JSON of toJSON, and restores the same cluster", () => {
    const c = Cluster.create({ seed: 3 });
    c.apply(deployment(0));
    c.advance(10);
    const text = c.toJSONText();
    expect(text).toBe(JSON.stringify(c.toJSON()));
    expect(JSON.stringify(Cluster.fromJSON(text).toJSON())).toBe(text);
  });
});

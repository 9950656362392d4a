// resourceVersions as an apiserver hands them out: one counter for the whole cluster, so every object's version is
// its own and what a student makes comes after what kubeadm's bootstrap made (kube-system's objects are derived, not
// written in the student's cluster, yet they were written first).
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const KINDS = ["Pod", "Deployment", "ReplicaSet", "DaemonSet", "Service", "Endpoints", "EndpointSlice", "Namespace", "Node"] as const;

function versions(c: Cluster): { kind: string; ns?: string; name: string; rv: number }[] {
  return KINDS.flatMap((kind) => c.list(kind).map((o) => ({ kind, ns: o.metadata.namespace, name: o.metadata.name, rv: Number(o.metadata.resourceVersion) })));
}

describe("resourceVersions", () => {
  it("what a student creates comes after every kube-system object, and no two objects share a version", () => {
    const c = Cluster.create({ seed: 3 });
    const system = Math.max(...versions(c).filter((o) => o.ns === "kube-system").map((o) => o.rv));
    c.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0 --replicas=2");
    c.exec("kubectl expose deployment web --port=80");
    const mine = versions(c).filter((o) => o.ns === "default" && o.name.startsWith("web"));
    expect(mine.map((o) => o.kind).sort()).toEqual(["Deployment", "EndpointSlice", "Endpoints", "Pod", "Pod", "ReplicaSet", "Service"]);
    for (const o of mine) expect(o.rv, `${o.kind} ${o.name}`).toBeGreaterThan(system);
    const all = versions(c).map((o) => o.rv);
    expect(new Set(all).size).toBe(all.length);
  });

  it("a cluster stored before the counter knew of kube-system resumes past it when loaded", () => {
    const c = Cluster.create({ seed: 3 });
    const stored = JSON.parse(c.toJSONText());
    const system = Math.max(...versions(c).filter((o) => o.ns === "kube-system").map((o) => o.rv));
    stored.rv = 5; // what such a cluster kept
    const loaded = Cluster.fromJSON(stored);
    loaded.exec("kubectl create deployment web --image=ikubernetes/demoapp:v1.0");
    expect(Number(loaded.get("Deployment", "web", "default").metadata.resourceVersion)).toBeGreaterThan(system);
  });
});

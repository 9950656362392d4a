// Cluster.list's options beside the namespace and the label selector: `exceptNamespace` (every namespace but one, as
// the lab page's picture lists the student's objects without kube-system's), and what a read object carries.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Cluster } from "../engine/index.ts";
import type { Kind } from "../engine/index.ts";

const DEMOAPP = readFileSync(new URL("../labs/clusterip-services/files/demoapp-deploy.yaml", import.meta.url), "utf8");
const SVC = readFileSync(new URL("../labs/clusterip-services/files/services-clusterip-demo.yaml", import.meta.url), "utf8");

/** A cluster with the student's objects in two namespaces besides kube-system's add-ons. */
function cluster(): Cluster {
  const c = Cluster.create({ seed: 11 });
  c.exec("kubectl create namespace web");
  c.apply(DEMOAPP);
  c.apply(SVC);
  c.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2 -n web");
  c.exec("kubectl run probe --image=ikubernetes/admin-box:v1.2 -n web --labels=app=demoapp");
  // kube-system's own events too (its Deployment scaled)
  c.exec("kubectl -n kube-system scale deployment coredns --replicas=3");
  c.advance(60);
  return c;
}

/** Objects as a client sees them: their JSON (managedFields included, which a read works out on use). */
const json = (objs: unknown[]) => JSON.parse(JSON.stringify(objs));

describe("list with exceptNamespace", () => {
  const c = cluster();
  // [kind, selector, whether kube-system holds some of them]
  const cases: [Kind, string | undefined, boolean][] = [
    ["Pod", undefined, true],
    ["Pod", "app=demoapp", false],
    ["Service", undefined, true],
    ["Endpoints", undefined, true],
    ["Deployment", undefined, true],
    ["ServiceAccount", undefined, true],
    ["Secret", undefined, true],
    ["Event", undefined, true],
  ];
  it.each(cases)("%s (selector %s): the full list without kube-system's objects, in the same order", (kind, selector, kubeSystemHas) => {
    const all = c.list(kind, { selector });
    const want = all.filter((o) => o.metadata.namespace !== "kube-system");
    expect(want.length).toBeGreaterThan(0);
    if (kubeSystemHas) expect(all.length).toBeGreaterThan(want.length);
    const got = c.list(kind, { selector, exceptNamespace: "kube-system" });
    expect(got.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(want.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
    expect(json(got)).toEqual(json(want));
  });

  it("leaves out kube-system's pods, and lists both of the student's namespaces namespace by namespace", () => {
    const names = c.list("Pod", { exceptNamespace: "kube-system" }).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names.some((n) => n.startsWith("kube-system/"))).toBe(false);
    expect(c.list("Pod", { namespace: "kube-system" }).length).toBeGreaterThan(5);
    const byNs = [...c.list("Pod", { namespace: "default" }), ...c.list("Pod", { namespace: "web" })].map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names).toEqual(byNs);
    expect(names.filter((n) => n.startsWith("web/")).length).toBe(3);
  });

  it("with a namespace too: only that namespace, and nothing when it is the one left out", () => {
    expect(json(c.list("Service", { namespace: "default", exceptNamespace: "kube-system" }))).toEqual(json(c.list("Service", { namespace: "default" })));
    expect(c.list("Pod", { namespace: "kube-system", exceptNamespace: "kube-system" })).toEqual([]);
  });

  it("cluster-scoped kinds have no namespace: all of them are listed", () => {
    expect(json(c.list("Node", { exceptNamespace: "kube-system" }))).toEqual(json(c.list("Node")));
    expect(c.list("Namespace", { exceptNamespace: "kube-system" }).map((n) => n.metadata.name)).toContain("kube-system");
  });
});

describe("a read object's managedFields", () => {
  it("are an ordinary enumerable key of its metadata, worked out on use, and can be set or dropped by the reader", () => {
    const c = cluster();
    const [a, b] = c.list("Service", { exceptNamespace: "kube-system" });
    expect(Object.keys(a.metadata)).toContain("managedFields");
    // what the getter works from is kept out of sight: a non-enumerable symbol, which no copy carries
    const hidden = Reflect.ownKeys(b.metadata).filter((k) => typeof k === "symbol");
    expect(hidden.length).toBe(1);
    expect(Object.getOwnPropertyDescriptor(b.metadata, hidden[0])!.enumerable).toBe(false);
    for (const copy of [{ ...b.metadata }, Object.assign({}, b.metadata), structuredClone(b.metadata), JSON.parse(JSON.stringify(b.metadata))])
      expect(Reflect.ownKeys(copy).filter((k) => typeof k === "symbol")).toEqual([]);
    expect(Object.keys(JSON.parse(JSON.stringify(a.metadata)))).toEqual(Object.keys(a.metadata));
    const entries = a.metadata.managedFields;
    expect(Array.isArray(entries) && entries.length).toBeTruthy();
    expect(a.metadata.managedFields).toBe(entries); // worked out once
    // each object's own entries (one getter serves every object: it must find its own object's source)
    expect(json([b.metadata.managedFields])).toEqual(json([(c.get("Service", b.metadata.name, b.metadata.namespace) as typeof b).metadata.managedFields]));
    // set before it was worked out: a value, or undefined (the key goes, as a reader dropping them means)
    const [x, y] = c.list("Service", { exceptNamespace: "kube-system" });
    x.metadata.managedFields = [];
    expect(x.metadata.managedFields).toEqual([]);
    expect(JSON.parse(JSON.stringify(x)).metadata.managedFields).toEqual([]);
    y.metadata.managedFields = undefined;
    expect("managedFields" in y.metadata).toBe(false);
    // pods (engine/pod-reads.ts builds their metadata afresh) and a deep freeze after the entries were read
    const pod = c.list("Pod", { namespace: "web" })[0];
    const podEntries = pod.metadata.managedFields;
    expect(Array.isArray(podEntries) && podEntries.length).toBeTruthy();
    expect(json([pod])).toEqual(json([c.get("Pod", pod.metadata.name, "web")]));
    expect(Object.isFrozen(Object.freeze(pod.metadata)) && pod.metadata.managedFields).toBe(podEntries);
  });
});

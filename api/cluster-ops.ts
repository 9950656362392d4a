// The cluster operations every door shares (the GraphQL mutations and the Kubernetes API): each returns the
// `(cluster) => Outcome` that mutateCluster runs, with its log line and the replay op that regrading runs again.
// Engine errors are thrown as they are; each door renders them its own way.
import type { Cluster, Kind } from "../engine/index.ts";
import type { AnyObject } from "../engine/objects.ts";
import type { ResourceInfo } from "../engine/resources.ts";
import type { ReplayOp } from "../engine/grading/index.ts";
import { canonicalJSON } from "../engine/hash.ts";
import type { Outcome } from "./clusters.ts";

type Op<T> = (c: Cluster) => Outcome<T>;

const nsFlag = (ns: string | undefined) => (ns && ns !== "default" ? ` -n ${ns}` : "");

/**
 * kubectl delete: the object and, through the garbage collector, its dependents. `gracePeriodSeconds`: the request's
 * (a pod's own otherwise); `awaitPod`: a pod's graceful deletion then runs out on the virtual clock (the Kubernetes
 * API's DELETE, which a kubectl waits on: see Cluster.awaitDeletion). The value is the object as the DELETE found it.
 */
export function deleteOp(res: ResourceInfo, name: string, ns: string | undefined, input?: string, opts: { gracePeriodSeconds?: number; awaitPod?: boolean } = {}): Op<AnyObject> {
  return (c) => {
    const grace = opts.gracePeriodSeconds;
    const obj = c.delete(res.kind, name, ns, grace !== undefined ? { gracePeriodSeconds: grace } : {});
    const wait = opts.awaitPod === true && res.kind === "Pod";
    if (wait) c.awaitDeletion(name, ns);
    const replay: ReplayOp = { op: "delete", kind: res.kind, name, ...(ns !== undefined ? { namespace: ns } : {}), ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}), ...(wait ? { await: true as const } : {}) };
    const flags = `${nsFlag(ns)}${grace !== undefined ? ` --grace-period=${grace}` : ""}`;
    return { value: obj, input: input ?? `kubectl delete ${res.printName} ${name}${flags}`, stdout: `${res.printName.split(".")[0]} "${name}" deleted\n`, replay };
  };
}

/**
 * A DELETE of a collection (the objects a list with the request's selectors found, in order): each deleted, and
 * then, for pods, their graceful deletions run out together on the virtual clock. The value is the objects as the
 * deletions found them.
 */
export function deleteCollectionOp(res: ResourceInfo, names: string[], ns: string | undefined, input: string, opts: { gracePeriodSeconds?: number } = {}): Op<AnyObject[]> {
  return (c) => {
    const grace = opts.gracePeriodSeconds;
    const deleted = names.map((n) => c.delete(res.kind, n, ns, grace !== undefined ? { gracePeriodSeconds: grace } : {}));
    const wait = res.kind === "Pod" && names.length > 0;
    if (wait) for (const n of names) c.awaitDeletion(n, ns);
    const replay: ReplayOp = { op: "deleteCollection", kind: res.kind, names, ...(ns !== undefined ? { namespace: ns } : {}), ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}), ...(wait ? { await: true as const } : {}) };
    return { value: deleted, input, stdout: names.map((n) => `${res.printName.split(".")[0]} "${n}" deleted\n`).join(""), replay };
  };
}

/** kubectl scale (a Deployment or ReplicaSet). */
export function scaleOp(kind: Kind, name: string, ns: string, replicas: number, input?: string): Op<null> {
  return (c) => {
    c.scale(kind, name, ns, replicas);
    const what = kind === "Deployment" ? "deployment" : "replicaset";
    return {
      value: null,
      input: input ?? `kubectl scale ${what}/${name} --replicas=${replicas}${nsFlag(ns)}`,
      stdout: `${what}.apps/${name} scaled\n`,
      checkObjects: true,
      replay: { op: "scale", kind, name, namespace: ns, replicas },
    };
  };
}

/**
 * A create (POST): the object as sent, admitted and stored; the error of a rejected one is thrown. `manager`: the
 * request's field manager (kubectl-create when not given).
 */
export function createOp(obj: Record<string, unknown>, ns: string | undefined, input: string, manager?: string): Op<AnyObject> {
  return (c) => {
    const [r] = c.apply([obj], { mode: "create", ...(ns !== undefined ? { namespace: ns, namespaceExplicit: true } : {}), ...(manager ? { manager } : {}) });
    if (r.error) throw r.error;
    const json = JSON.stringify(obj);
    return {
      value: c.get(obj.kind as Kind, r.name, r.namespace),
      input,
      stdout: `${r.resource}/${r.name} created\n`,
      checkObjects: true,
      replay: { op: "create", json, ...(ns !== undefined ? { namespace: ns } : {}), ...(manager ? { manager } : {}) },
    };
  };
}

const withoutLabels = (o: AnyObject | Record<string, unknown>) => {
  const { metadata, ...rest } = o as { metadata: Record<string, unknown> };
  const { labels: _l, resourceVersion: _rv, managedFields: _mf, ...meta } = metadata ?? {};
  return canonicalJSON({ ...rest, metadata: meta });
};

/**
 * An update (PUT) or the result of a patch: the whole new object. When only its labels differ from the live
 * object it is the engine's label operation (what `kubectl label` sends), else a replace.
 */
export function writeObjectOp(res: ResourceInfo, name: string, ns: string | undefined, next: Record<string, unknown>, input: string, manager?: string): Op<AnyObject> {
  const m = manager ? { manager } : {};
  return (c) => {
    const live = c.get(res.kind, name, ns);
    const labels = ((next.metadata as { labels?: Record<string, string> } | undefined)?.labels ?? {}) as Record<string, string>;
    if (withoutLabels(live) === withoutLabels(next)) {
      const before = live.metadata.labels ?? {};
      const set: [string, string][] = Object.entries(labels).filter(([k, v]) => before[k] !== v);
      const remove = Object.keys(before).filter((k) => !(k in labels));
      if (set.length || remove.length) c.label(res.kind, name, ns, { set: Object.fromEntries(set), remove, overwrite: true, ...m });
      const replay: ReplayOp = { op: "label", kind: res.kind, names: [name], ...(ns !== undefined ? { namespace: ns } : {}), set, remove, overwrite: true, ...m };
      return { value: c.get(res.kind, name, ns), input, stdout: `${res.printName}/${name} ${set.length || remove.length ? "labeled" : "not labeled"}\n`, replay };
    }
    c.replace(next, m);
    return { value: c.get(res.kind, name, ns), input, stdout: `${res.printName}/${name} replaced\n`, checkObjects: true, replay: { op: "replace", json: JSON.stringify(next), ...m } };
  };
}

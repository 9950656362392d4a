// The other write operations a student performs: delete (with the garbage collector's cascade), label, scale.
import type { AnyObject, DaemonSet, Deployment, ReplicaSet, Service } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import type { Kind, LabelChange, LabelResult } from "../types.ts";
import { ClientError, KubeError, conflict, invalid, notFound } from "../errors.ts";
import { resourceFor } from "../resources.ts";
import { findObject, getObject, objKey, tableFor, nextRV } from "../store.ts";
import { key, tableValues, tableEntries } from "../state.ts";
import { structuredCloneJson } from "./merge.ts";
import { validateLabels } from "../validation/names.ts";
import { beginPodDeletion, deletePodRecord, touchPod } from "../controllers/podlifecycle.ts";
import { deleteOwnedSlices } from "../controllers/endpointslice.ts";
import { noteWrite } from "../change-mark.ts";

/** `gracePeriodSeconds`: DeleteOptions' (pods only; undefined = the pod's own terminationGracePeriodSeconds). */
export function deleteObject(st: ClusterState, kind: Kind, name: string, namespace?: string, gracePeriodSeconds?: number): AnyObject {
  const obj = getObject(st, kind, name, namespace);
  const ns = obj.metadata.namespace;
  switch (kind) {
    case "Pod":
      beginPodDeletion(st, st.pods[key(ns!, name)], gracePeriodSeconds);
      break;
    case "Node":
      throw new KubeError("Forbidden", `nodes "${name}" is forbidden: kubelab's nodes come from the lab's topology and cannot be deleted`);
    case "Namespace":
      if (["default", "kube-system", "kube-public", "kube-node-lease"].includes(name))
        throw new KubeError("Forbidden", `namespaces "${name}" is forbidden: this namespace may not be deleted`);
      for (const k of ["Service", "Endpoints", "EndpointSlice", "Deployment", "ReplicaSet", "DaemonSet"] as const)
        for (const [tk, o] of Object.entries(tableFor(st, k))) if (o.metadata.namespace === name) delete tableFor(st, k)[tk];
      for (const p of tableValues(st.pods)) if (p.ns === name) deletePodRecord(st, p);
      delete st.namespaces[name];
      noteWrite(st); // (an empty namespace goes without a new resourceVersion)
      break;
    default: {
      if (kind === "ReplicaSet") keepSpecs(st, obj as ReplicaSet);
      if (kind === "DaemonSet") keepSpecs(st, obj as DaemonSet);
      delete tableFor(st, kind)[objKey(kind, name, ns)];
      st.rv += 1;
      // Garbage collection of dependents (background cascade).
      if (kind === "Deployment") cascadeFrom(st, obj.metadata.uid);
      if (kind === "ReplicaSet" || kind === "DaemonSet") cascadeFrom(st, obj.metadata.uid);
      // The endpoints controller deletes a Service's Endpoints when the Service goes (selector or not).
      if (kind === "Service") delete st.endpoints[key(ns!, name)];
      // The garbage collector deletes the EndpointSlices the Service owns.
      if (kind === "Service") deleteOwnedSlices(st, obj as Service);
    }
  }
  return obj;
}

function cascadeFrom(st: ClusterState, ownerUid: string): void {
  for (const [k, rs] of tableEntries(st.replicasets)) {
    if (rs.metadata.ownerReferences?.some((o) => o.uid === ownerUid)) {
      keepSpecs(st, rs);
      delete st.replicasets[k];
      cascadeFrom(st, rs.metadata.uid);
    }
  }
  for (const p of tableValues(st.pods)) if (p.owner?.uid === ownerUid) beginPodDeletion(st, p);
}

/** kubectl label semantics (v1.19): refuse to change an existing key without overwrite, report missing keys. */
export function labelObject(st: ClusterState, kind: Kind, name: string, namespace: string | undefined, change: LabelChange): LabelResult {
  const res = resourceFor(kind);
  const obj = getObject(st, kind, name, namespace);
  if (change.resourceVersion && change.resourceVersion !== obj.metadata.resourceVersion) throw conflict(res.qualified, name);
  const current = obj.metadata.labels;
  const set = change.set ?? {};
  if (!change.overwrite) {
    const clashes = Object.keys(set)
      .filter((k) => current && Object.hasOwn(current, k))
      .sort()
      .map((k) => `'${k}' already has a value (${current![k]}), and --overwrite is false`);
    if (clashes.length) throw new ClientError(clashes.join("\n"));
  }
  const next: Record<string, string> = { ...(current ?? {}) };
  const notFoundKeys: string[] = [];
  for (const k of change.remove ?? []) {
    if (Object.hasOwn(next, k)) delete next[k];
    else notFoundKeys.push(k);
  }
  Object.assign(next, set);
  const errs = validateLabels(next, "metadata.labels");
  if (errs.length) throw invalid(kind, name, errs);
  // v1.19 compares the object's JSON: a pod with no labels field gets `labels: {}`, which counts as a change.
  const changed = current === undefined || JSON.stringify(sorted(current)) !== JSON.stringify(sorted(next));
  if (JSON.stringify(sorted(current ?? {})) !== JSON.stringify(sorted(next))) writeLabels(st, kind, obj, next);
  const out: LabelResult = { kind, name, resource: res.printName, notFound: notFoundKeys, changed };
  if (obj.metadata.namespace) out.namespace = obj.metadata.namespace;
  return out;
}

function sorted(m: Record<string, string>): [string, string][] {
  return Object.entries(m).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

function writeLabels(st: ClusterState, kind: Kind, obj: AnyObject, labels: Record<string, string>): void {
  const has = Object.keys(labels).length > 0;
  if (kind === "Pod") {
    const rec = st.pods[key(obj.metadata.namespace!, obj.metadata.name)];
    if (has) rec.labels = labels;
    else delete rec.labels;
    touchPod(st, rec);
    return;
  }
  const stored = findObject(st, kind, obj.metadata.name, obj.metadata.namespace)!;
  if (has) stored.metadata.labels = labels;
  else delete stored.metadata.labels;
  stored.metadata.resourceVersion = nextRV(st);
}

export function scaleObject(st: ClusterState, kind: Kind, name: string, namespace: string | undefined, replicas: number): void {
  const res = resourceFor(kind);
  if (kind !== "Deployment" && kind !== "ReplicaSet") throw notFound(`${res.qualified}`, `${name}/scale`);
  if (!Number.isInteger(replicas) || replicas < 0)
    throw new ClientError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
  const obj = getObject(st, kind, name, namespace) as Deployment | ReplicaSet;
  if (obj.spec.replicas === replicas) return;
  obj.spec.replicas = replicas;
  obj.metadata.generation = (obj.metadata.generation ?? 1) + 1;
  obj.metadata.resourceVersion = nextRV(st);
}

/** Pods whose spec is their ReplicaSet's template (terminating ones too) keep a copy of it when the ReplicaSet goes. */
/** Pods that outlive their owner for a grace period keep the spec its template gave them (ReplicaSets, DaemonSets). */
function keepSpecs(st: ClusterState, owner: ReplicaSet | DaemonSet): void {
  for (const p of tableValues(st.pods)) if (p.owner?.uid === owner.metadata.uid && !p.spec) p.spec = structuredCloneJson(owner.spec.template.spec);
}

// kube-system in a student's cluster: the derived objects (derive.ts) are put into the live state when a cluster is
// created or loaded; the stored form keeps only those a student changed (scaled coredns, a node label that moved a
// daemon pod) and the names of those that are gone, so an untouched kube-system costs nothing in the database.
import type { ClusterState, PodRec } from "../state.ts";
import { storedMemoVerifying } from "../stored-memo.ts";
import { jsonEqual, canonicalEqual } from "../hash.ts";
import { copyUnfrozen, deepFreeze } from "../shared.ts";
import { SYSTEM_TABLES, systemMaxRV, systemSet, type SystemSet, type SystemTable } from "./derive.ts";

export { KUBE_SYSTEM, DNS_SERVICE_IP } from "./manifests.ts";

/** The stored form's key listing derived objects that no longer exist: `<table>:<ns>/<name>`. */
export const GONE_KEY = "sysGone";

/**
 * Put every derived object not already there (and not deleted) into the state: a copy of its own, but for the parts
 * no controller writes in place, which every cluster of the topology shares (sharedParts). The cluster's
 * resourceVersion counter moves past theirs: kubeadm's bootstrap wrote them before anything the student makes, so
 * what comes after must have higher versions (counting from the cluster's own start gave new objects the versions
 * kube-system's pods already had).
 */
export function injectSystem(st: ClusterState, gone: readonly string[] = []): void {
  const set = sharedParts(systemSet(st.topo));
  st.rv = Math.max(st.rv, systemMaxRV(set));
  const dropped = new Set(gone);
  for (const t of SYSTEM_TABLES) {
    const table = st[t] as Record<string, unknown>;
    for (const [k, v] of Object.entries(set[t])) if (!(k in table) && !dropped.has(`${t}:${k}`)) table[k] = copyUnfrozen(v);
  }
}

const frozen = new WeakSet<SystemSet>();

/**
 * The derived objects with their largest parts frozen, so injectSystem's copies share them: the pod templates of
 * the Deployment, its ReplicaSet and the DaemonSets, and the static pods' specs (~14 KiB of every hydrated cluster).
 * These are only ever replaced as a whole (an edit, an apply or `kubectl set image` stores a new object or spec;
 * pods materialised from a template copy it); the status, metadata and kubelet's records stay each cluster's own.
 */
function sharedParts(set: SystemSet): SystemSet {
  if (frozen.has(set)) return set;
  for (const p of Object.values(set.pods) as PodRec[]) if (p.spec) deepFreeze(p.spec);
  for (const t of ["deployments", "replicasets", "daemonsets"] as const)
    for (const o of Object.values(set[t]) as { spec: { template: unknown } }[]) deepFreeze(o.spec.template);
  frozen.add(set);
  return set;
}

// Every save asks, for every kube-system entry: the answer is kept per object until what can change it changes
// (its resourceVersion; for a pod record also the kubelet's bookkeeping and the app state, which change without one).
const verdicts = new WeakMap<object, { fp: string; derived: boolean }>();

function fingerprint(table: string, v: unknown): string {
  if (table === "pods") {
    const p = v as PodRec;
    return `${p.rv}/${JSON.stringify(p.c)}/${p.app ? JSON.stringify(p.app) : ""}`;
  }
  return (v as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
}

/** Whether a live entry equals its derived object (and so needs no storing). */
export function isDerived(st: ClusterState, table: string, k: string, v: unknown): boolean {
  if (!k.startsWith("kube-system/") || !(SYSTEM_TABLES as readonly string[]).includes(table)) return false;
  const d = systemSet(st.topo)[table as SystemTable][k];
  if (d === undefined) return false;
  const fp = fingerprint(table, v);
  const seen = verdicts.get(v as object);
  if (seen && seen.fp === fp && !storedMemoVerifying()) return seen.derived;
  const derived = jsonEqual(v, d) || canonicalEqual(v, d);
  verdicts.set(v as object, { fp, derived });
  return derived;
}

/** The derived objects the live state no longer holds. */
export function goneSystem(st: ClusterState): string[] {
  const set = systemSet(st.topo);
  const out: string[] = [];
  for (const t of SYSTEM_TABLES) {
    const table = st[t] as Record<string, unknown>;
    for (const k of Object.keys(set[t])) if (!(k in table)) out.push(`${t}:${k}`);
  }
  return out;
}

// The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`), scaled to the
// Deployment's replicas; ReplicaSets of older templates scaled to zero; status rolled up from the pods.
import type { Deployment, ReplicaSet } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { key, tableValues } from "../state.ts";
import { newMeta, recordEvent, nextRV } from "../store.ts";
import { canonicalEqual, templateHash } from "../hash.ts";
import { rfc3339 } from "../clock.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";
import { claimReplicaSets } from "./ownership.ts";
import { indexPodsByOwner, podsOf, type PodIndex } from "./replicaset.ts";

const REVISION = "deployment.kubernetes.io/revision";

// The template hash only changes when the template object is replaced (apply/replace), so it is memoised per
// template object; the cache lives outside the state.
const hashes = new WeakMap<object, string>();
function cachedTemplateHash(d: Deployment): string {
  let h = hashes.get(d.spec.template);
  if (h === undefined) {
    h = templateHash(d.spec.template);
    hashes.set(d.spec.template, h);
  }
  return h;
}

// A ReplicaSet's template without its pod-template-hash label, hashed as the Deployment's own template is: equal
// hashes are upstream's EqualIgnoreHash. Memoised per template object, like the Deployment's.
const rsHashes = new WeakMap<object, string>();
function rsTemplateHashIgnoringHash(rs: ReplicaSet): string {
  let h = rsHashes.get(rs.spec.template);
  if (h === undefined) {
    const t = rs.spec.template;
    const { ["pod-template-hash"]: _dropped, ...labels } = t.metadata?.labels ?? {};
    h = templateHash({ ...t, metadata: { ...t.metadata, labels } });
    rsHashes.set(rs.spec.template, h);
  }
  return h;
}

/**
 * FindNewReplicaSet (pkg/controller/deployment/util): of the owned ReplicaSets whose template equals the
 * Deployment's ignoring the hash label, the oldest (then by name) — so a released ReplicaSet adopted back is the new
 * one again, and the one made in its place becomes old.
 */
function findNewReplicaSet(d: Deployment, owned: ReplicaSet[]): ReplicaSet | undefined {
  const want = cachedTemplateHash(d);
  let best: ReplicaSet | undefined;
  for (const rs of owned) {
    if (rsTemplateHashIgnoringHash(rs) !== want) continue;
    const a = rs.metadata.creationTimestamp ?? "", b = best?.metadata.creationTimestamp ?? "";
    if (!best || a < b || (a === b && rs.metadata.name < best.metadata.name)) best = rs;
  }
  return best;
}

export function syncDeployments(st: ClusterState, pods: PodIndex = indexPodsByOwner(st)): void {
  claimReplicaSets(st);
  const rsByOwner = new Map<string, ReplicaSet[]>();
  for (const rs of tableValues(st.replicasets))
    for (const o of rs.metadata.ownerReferences ?? []) {
      const list = rsByOwner.get(o.uid);
      if (list) list.push(rs);
      else rsByOwner.set(o.uid, [rs]);
    }
  for (const d of tableValues(st.deployments)) syncDeployment(st, d, rsByOwner.get(d.metadata.uid) ?? [], pods);
}

function syncDeployment(st: ClusterState, d: Deployment, owned: ReplicaSet[], podIdx: PodIndex): void {
  const ns = d.metadata.namespace!;
  let hash = d.status.collisionCount ? templateHash(d.spec.template, d.status.collisionCount) : cachedTemplateHash(d);
  let current = findNewReplicaSet(d, owned);
  let rsName = current?.metadata.name ?? `${d.metadata.name}-${hash}`;
  current ??= owned.find((rs) => rs.metadata.name === rsName);
  // A ReplicaSet of that name that is not this Deployment's (released, or someone else's): upstream counts a hash
  // collision and names the new ReplicaSet from the hash with the count.
  while (!current && st.replicasets[key(ns, rsName)]) {
    d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
    d.metadata.resourceVersion = nextRV(st);
    hash = templateHash(d.spec.template, d.status.collisionCount);
    rsName = `${d.metadata.name}-${hash}`;
    current = owned.find((rs) => rs.metadata.name === rsName);
  }
  const dRef = { kind: "Deployment", name: d.metadata.name, namespace: ns, uid: d.metadata.uid };
  // MaxRevision of the old ReplicaSets, plus one (upstream's newRevision)
  const revision = String(1 + owned.reduce((m, rs) => (rs === current ? m : Math.max(m, Number(rs.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0))), 0));
  if (!current) {
    const template = structuredCloneJson(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...(template.metadata.labels ?? {}), "pod-template-hash": hash } };
    const selector = structuredCloneJson(d.spec.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), "pod-template-hash": hash };
    const meta = newMeta(st, rsName, ns);
    meta.labels = { ...template.metadata.labels };
    meta.annotations = {
      "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas),
      "deployment.kubernetes.io/max-replicas": String(d.spec.replicas + Math.ceil(d.spec.replicas / 4)),
      "deployment.kubernetes.io/revision": revision,
    };
    meta.generation = 1;
    meta.ownerReferences = [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }];
    current = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta, spec: { replicas: d.spec.replicas, selector, template }, status: { replicas: 0 } };
    st.replicasets[key(ns, rsName)] = current;
    owned = [...owned, current];
    recordEvent(st, dRef, "Normal", "ScalingReplicaSet", `Scaled up replica set ${rsName} to ${d.spec.replicas}`, "deployment-controller");
  } else if (Number(current.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0) < Number(revision)) {
    // An older template back (rollout undo, or an edit back to it): its ReplicaSet takes the next revision.
    current.metadata.annotations = { ...current.metadata.annotations, "deployment.kubernetes.io/revision": revision };
    current.metadata.resourceVersion = nextRV(st);
  }
  // The Deployment carries its new ReplicaSet's revision (SetDeploymentRevision), as `describe deploy` shows it.
  const newRevision = current.metadata.annotations?.[REVISION];
  if (newRevision !== undefined && d.metadata.annotations?.[REVISION] !== newRevision) {
    d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: newRevision };
    d.metadata.resourceVersion = nextRV(st);
  }
  if (current.spec.replicas !== d.spec.replicas) {
    const up = d.spec.replicas > current.spec.replicas;
    current.spec.replicas = d.spec.replicas;
    current.metadata.generation = (current.metadata.generation ?? 1) + 1;
    current.metadata.resourceVersion = nextRV(st);
    current.metadata.annotations = { ...current.metadata.annotations, "deployment.kubernetes.io/desired-replicas": String(d.spec.replicas) };
    recordEvent(st, dRef, "Normal", "ScalingReplicaSet", `Scaled ${up ? "up" : "down"} replica set ${rsName} to ${d.spec.replicas}`, "deployment-controller");
  }
  for (const old of owned) {
    if (old === current || old.spec.replicas === 0) continue;
    old.spec.replicas = 0;
    old.metadata.generation = (old.metadata.generation ?? 1) + 1; // a spec change (the registry's PrepareForUpdate)
    old.metadata.resourceVersion = nextRV(st);
    recordEvent(st, dRef, "Normal", "ScalingReplicaSet", `Scaled down replica set ${old.metadata.name} to 0`, "deployment-controller");
  }
  // Status from the pods of all owned ReplicaSets.
  let replicas = 0, updated = 0, ready = 0;
  for (const rs of owned) {
    const pods = podsOf(podIdx, rs);
    replicas += pods.length;
    const r = pods.filter((p) => p.ready).length;
    ready += r;
    if (rs === current) updated += pods.length;
  }
  const available = ready;
  const gen = d.metadata.generation ?? 1;
  const prev = d.status;
  if (
    prev.conditions &&
    prev.observedGeneration === gen &&
    (prev.replicas ?? 0) === replicas &&
    (prev.updatedReplicas ?? 0) === updated &&
    (prev.readyReplicas ?? 0) === ready &&
    (prev.availableReplicas ?? 0) === available &&
    prev.conditions[1]?.message.includes(`"${rsName}"`)
  )
    return;
  const status: Deployment["status"] = { observedGeneration: gen };
  if (prev.collisionCount) status.collisionCount = prev.collisionCount;
  if (replicas) status.replicas = replicas;
  if (updated) status.updatedReplicas = updated;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (replicas - available > 0) status.unavailableReplicas = replicas - available;
  const prevConds = prev.conditions ?? [];
  const now = rfc3339(st.now);
  const availableOk = available >= d.spec.replicas - Math.floor(d.spec.replicas / 4);
  const cond = (type: string, ok: boolean, reason: string, message: string) => {
    const p = prevConds.find((c) => c.type === type);
    const status = ok ? "True" : "False";
    const changed = !p || p.status !== status || p.reason !== reason;
    return { type, status, lastUpdateTime: changed ? now : p!.lastUpdateTime, lastTransitionTime: p && p.status === status ? p.lastTransitionTime : now, reason, message };
  };
  status.conditions = [
    cond("Available", availableOk, availableOk ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", availableOk ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
    cond(
      "Progressing",
      true,
      updated === d.spec.replicas && available === d.spec.replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
      updated === d.spec.replicas && available === d.spec.replicas
        ? `ReplicaSet "${rsName}" has successfully progressed.`
        : `ReplicaSet "${rsName}" is progressing.`,
    ),
  ];
  if (!canonicalEqual(status, d.status)) {
    d.status = status;
    d.metadata.resourceVersion = nextRV(st);
  }
}

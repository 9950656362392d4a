// The ReplicaSet controller: creates pods `<rs>-<5 random chars>` from the template (podtemplate.ts) until the count
// matches, and deletes surplus pods in upstream's ranking order (ActivePodsWithRanks).
import type { ReplicaSet } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { tableValues } from "../state.ts";
import { nextRV, recordEvent } from "../store.ts";
import { beginPodDeletion } from "./podlifecycle.ts";
import { canonicalEqual } from "../hash.ts";
import { claimPods } from "./ownership.ts";
import { createPodFromTemplate } from "./podtemplate.ts";

/** Active pods by owning ReplicaSet uid: built once per controller pass instead of a scan per ReplicaSet. */
export type PodIndex = Map<string, PodRec[]>;

export function indexPodsByOwner(st: ClusterState): PodIndex {
  const idx: PodIndex = new Map();
  for (const k in st.pods) {
    const p = st.pods[k];
    if (!p.owner || p.deleting !== undefined) continue;
    const list = idx.get(p.owner.uid);
    if (list) list.push(p);
    else idx.set(p.owner.uid, [p]);
  }
  return idx;
}

export function podsOf(idx: PodIndex, rs: ReplicaSet): PodRec[] {
  return idx.get(rs.metadata.uid) ?? [];
}

export function syncReplicaSets(st: ClusterState, idx: PodIndex = indexPodsByOwner(st)): void {
  claimPods(st, idx);
  for (const rs of tableValues(st.replicasets)) syncReplicaSet(st, rs, idx);
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Upstream ActivePodsWithRanks.Less: the pods to delete first sort first. */
export function rankForDeletion(pods: PodRec[], all: PodRec[]): PodRec[] {
  const onNode = new Map<string, number>();
  for (const p of all) if (p.node) onNode.set(p.node, (onNode.get(p.node) ?? 0) + 1);
  const rank = (p: PodRec) => (p.node ? onNode.get(p.node) ?? 0 : 0);
  const maxRestarts = (p: PodRec) => p.c.reduce((m, c) => Math.max(m, c.restarts), 0);
  return [...pods].sort((a, b) => {
    if (!!a.node !== !!b.node) return a.node ? 1 : -1;
    const pa = PHASE_ORDER[a.phase] ?? 3, pb = PHASE_ORDER[b.phase] ?? 3;
    if (pa !== pb) return pa - pb;
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    if (rank(a) !== rank(b)) return rank(b) - rank(a);
    if (a.ready && b.ready && a.readyAt !== b.readyAt) return b.readyAt - a.readyAt;
    if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
    if (a.ct !== b.ct) return b.ct - a.ct;
    return 0;
  });
}

function syncReplicaSet(st: ClusterState, rs: ReplicaSet, idx: PodIndex): void {
  const ns = rs.metadata.namespace!;
  const pods = [...podsOf(idx, rs)];
  const mine = (idx.get(rs.metadata.uid) ?? []);
  idx.set(rs.metadata.uid, mine);
  const rsRef = { kind: "ReplicaSet" as const, name: rs.metadata.name, namespace: ns, uid: rs.metadata.uid };
  const diff = pods.length - rs.spec.replicas;
  if (diff < 0) {
    for (let i = 0; i < -diff; i++) mine.push(createPodFromTemplate(st, rsRef, rs.spec.template, { component: "replicaset-controller" }));
  } else if (diff > 0) {
    const victims = rs.spec.replicas === 0 ? pods : rankForDeletion(pods, pods).slice(0, diff);
    for (const p of victims) {
      beginPodDeletion(st, p);
      mine.splice(mine.indexOf(p), 1);
      recordEvent(st, rsRef, "Normal", "SuccessfulDelete", `Deleted pod: ${p.name}`, "replicaset-controller");
    }
  }
  const now = mine;
  const ready = now.filter((p) => p.ready).length;
  const status: ReplicaSet["status"] = { replicas: now.length };
  if (now.length) status.fullyLabeledReplicas = now.length;
  if (ready) status.readyReplicas = ready;
  if (ready) status.availableReplicas = ready;
  status.observedGeneration = rs.metadata.generation ?? 1;
  if (!canonicalEqual(status, rs.status)) {
    rs.status = status;
    rs.metadata.resourceVersion = nextRV(st);
  }
}

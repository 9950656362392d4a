// Controller references as the ReplicaSet and Deployment controllers claim them (upstream ControllerRefManager,
// pkg/controller/controller_ref_manager.go): an owned object whose labels stop matching its owner's selector is
// released (its controllerRef dropped, it lives on as an orphan), and an orphan whose labels match a live owner's
// selector is adopted. Objects being deleted are neither adopted nor released.
import type { Deployment, LabelSelector, ReplicaSet } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { tableValues } from "../state.ts";
import { labelSelectorAsSelector, matchesSelector, type Selector } from "../labels/selector.ts";
import { nextRV } from "../store.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";
import { KCM, readForm, recordUpdate } from "../apiserver/managed-fields.ts";
import { touchPod } from "./podlifecycle.ts";
import type { PodIndex } from "./replicaset.ts";

const selectors = new WeakMap<LabelSelector, Selector>();
function selectorOf(ls: LabelSelector): Selector {
  let s = selectors.get(ls);
  if (!s) selectors.set(ls, (s = labelSelectorAsSelector(ls)));
  return s;
}

/** Release the pods of `idx` their ReplicaSet no longer selects; adopt orphans a ReplicaSet selects. */
export function claimPods(st: ClusterState, idx: PodIndex): void {
  const sets = tableValues(st.replicasets);
  for (const rs of sets) {
    const mine = idx.get(rs.metadata.uid);
    if (!mine) continue;
    const sel = selectorOf(rs.spec.selector);
    for (let i = mine.length - 1; i >= 0; i--) {
      const p = mine[i];
      if (matchesSelector(sel, p.labels)) continue;
      // The pod keeps the spec it was created with: the record stores it now that no template stands for it.
      p.spec ??= structuredCloneJson(rs.spec.template.spec);
      delete p.owner;
      touchPod(st, p);
      mine.splice(i, 1);
    }
  }
  for (const k in st.pods) {
    const p = st.pods[k];
    if (p.owner || p.deleting !== undefined) continue;
    const rs = sets.find((r) => r.metadata.namespace === p.ns && !r.metadata.deletionTimestamp && matchesSelector(selectorOf(r.spec.selector), p.labels));
    if (!rs) continue;
    adoptPod(st, p, rs);
    const list = idx.get(rs.metadata.uid);
    if (list) list.push(p);
    else idx.set(rs.metadata.uid, [p]);
  }
}

function adoptPod(st: ClusterState, p: PodRec, rs: ReplicaSet): void {
  // A pod keeps its own spec once adopted (the template may differ); only a pod without one could lack it.
  const before = readForm(st, "Pod", p.name, p.ns);
  p.owner = { kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid };
  touchPod(st, p);
  // The controller's adoption is a patch: the ownerReference is kube-controller-manager's.
  recordUpdate(st, "Pod", p.name, p.ns, KCM, before);
}

/** The same for ReplicaSets and the Deployments selecting them. */
export function claimReplicaSets(st: ClusterState): void {
  const deps = tableValues(st.deployments);
  const byUid = new Map(deps.map((d) => [d.metadata.uid, d]));
  for (const rs of tableValues(st.replicasets)) {
    if (rs.metadata.deletionTimestamp) continue;
    const ref = rs.metadata.ownerReferences?.find((o) => o.controller);
    if (ref) {
      const d = byUid.get(ref.uid);
      if (!d || ref.kind !== "Deployment" || matchesSelector(selectorOf(d.spec.selector), rs.metadata.labels)) continue;
      rs.metadata.ownerReferences = rs.metadata.ownerReferences!.filter((o) => o !== ref);
      if (!rs.metadata.ownerReferences.length) delete rs.metadata.ownerReferences;
      rs.metadata.resourceVersion = nextRV(st);
      continue;
    }
    const d = deps.find((x) => x.metadata.namespace === rs.metadata.namespace && matchesSelector(selectorOf(x.spec.selector), rs.metadata.labels));
    if (d) adoptReplicaSet(st, rs, d);
  }
}

function adoptReplicaSet(st: ClusterState, rs: ReplicaSet, d: Deployment): void {
  rs.metadata.ownerReferences = [
    ...(rs.metadata.ownerReferences ?? []),
    { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true },
  ];
  rs.metadata.resourceVersion = nextRV(st);
}

// The DaemonSet controller (v1.19 pkg/controller/daemon): one pod per eligible node. A node is eligible when it
// matches the template's nodeSelector and every NoSchedule/NoExecute taint on it is tolerated (by the template, or
// by the tolerations the controller adds to every daemon pod); a pod already running stays while its node's
// NoExecute taints are tolerated. Pods are bound to their node at creation, so the scheduler never sees them.
import type { DaemonSet, Node, PodSpec } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { tableValues } from "../state.ts";
import { nextRV, recordEvent } from "../store.ts";
import { canonicalEqual, templateHash } from "../hash.ts";
import { deletePodRecord } from "./podlifecycle.ts";
import { createPodFromTemplate } from "./podtemplate.ts";

type Toleration = NonNullable<PodSpec["tolerations"]>[number];
type Taint = NonNullable<Node["spec"]["taints"]>[number];

/** util.AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates whatever its template says. */
export function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const t: Toleration[] = [
    { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
    { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
    { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
  ];
  if (spec.hostNetwork) t.push({ key: "node.kubernetes.io/network-unavailable", operator: "Exists", effect: "NoSchedule" });
  return t;
}

function tolerated(tols: Toleration[], taint: Taint): boolean {
  return tols.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

/** nodeShouldRunDaemonPod: whether a new pod should go there, and whether a pod already there may stay. */
export function placement(spec: PodSpec, node: Node): { run: boolean; stay: boolean } {
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { run: false, stay: false };
  const sel = spec.nodeSelector ?? {};
  if (Object.entries(sel).some(([k, v]) => node.metadata.labels?.[k] !== v)) return { run: false, stay: false };
  const taints = node.spec.taints ?? [];
  if (!taints.length) return { run: true, stay: true };
  const tols = [...(spec.tolerations ?? []), ...daemonPodTolerations(spec)];
  const stay = taints.every((t) => t.effect !== "NoExecute" || tolerated(tols, t));
  const run = stay && taints.every((t) => t.effect !== "NoSchedule" || tolerated(tols, t));
  return { run, stay };
}

// The revision hash changes only with the template object; memoised per template (outside the state).
const hashes = new WeakMap<object, string>();
export function daemonSetHash(ds: DaemonSet): string {
  let h = hashes.get(ds.spec.template);
  if (h === undefined) {
    h = templateHash(ds.spec.template);
    hashes.set(ds.spec.template, h);
  }
  return h;
}

export function syncDaemonSets(st: ClusterState): void {
  const dss = tableValues(st.daemonsets);
  if (!dss.length) return;
  const byOwner = new Map<string, PodRec[]>();
  const leaving = new Map<string, PodRec[]>();
  for (const k in st.pods) {
    const p = st.pods[k];
    if (p.owner?.kind !== "DaemonSet") continue;
    const table = p.deleting === undefined ? byOwner : leaving;
    const list = table.get(p.owner.uid);
    if (list) list.push(p);
    else table.set(p.owner.uid, [p]);
  }
  for (const ds of dss) syncDaemonSet(st, ds, byOwner.get(ds.metadata.uid) ?? [], leaving.get(ds.metadata.uid) ?? []);
}

function syncDaemonSet(st: ClusterState, ds: DaemonSet, pods: PodRec[], terminating: PodRec[]): void {
  const ns = ds.metadata.namespace!;
  const ref = { kind: "DaemonSet", name: ds.metadata.name, namespace: ns, uid: ds.metadata.uid };
  const spec = ds.spec.template.spec;
  const hash = daemonSetHash(ds);
  const generation = ds.metadata.annotations?.["deprecated.daemonset.template.generation"] ?? String(ds.metadata.generation ?? 1);
  let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0;
  for (const node of tableValues(st.nodes)) {
    const name = node.metadata.name;
    const { run, stay } = placement(spec, node);
    const here = pods.filter((p) => p.node === name);
    if (here.length && !stay) {
      for (const p of here) {
        deletePodRecord(st, p);
        recordEvent(st, ref, "Normal", "SuccessfulDelete", `Deleted pod: ${p.name}`, "daemonset-controller");
      }
      continue;
    }
    // RollingUpdate: a pod of an older template is replaced (kubelab's pods start at once, so one node at a time
    // and all at once end the same); OnDelete leaves it until someone deletes it.
    if (run && ds.spec.updateStrategy?.type !== "OnDelete")
      for (const p of [...here])
        if (p.labels?.["controller-revision-hash"] !== hash) {
          deletePodRecord(st, p);
          here.splice(here.indexOf(p), 1);
          recordEvent(st, ref, "Normal", "SuccessfulDelete", `Deleted pod: ${p.name}`, "daemonset-controller");
        }
    // v1.19's podsShouldBeOnNode: a node that still has a daemon pod, terminating or not, gets no new one yet; the
    // replacement comes once the old pod is gone (after `kubectl delete pod`, its grace period)
    if (!here.length && run && !terminating.some((p) => p.node === name)) here.push(createPod(st, ds, name, hash, generation));
    if (run) desired++;
    // the status counts a node's daemon pods terminating ones included, as v1.19's updateDaemonSetStatus does
    const present = here.length ? here : terminating.filter((p) => p.node === name);
    if (!present.length) continue;
    // A pod left on a node that no longer wants one (a NoSchedule taint it does not tolerate) is misscheduled.
    if (!run) {
      misscheduled++;
      continue;
    }
    current++;
    if (present.some((p) => p.ready)) ready++;
    if (present.some((p) => p.labels?.["controller-revision-hash"] === hash)) updated++;
  }
  const status: DaemonSet["status"] = {
    currentNumberScheduled: current,
    desiredNumberScheduled: desired,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
  };
  if (ready) status.numberAvailable = ready;
  if (desired - ready > 0) status.numberUnavailable = desired - ready;
  if (updated) status.updatedNumberScheduled = updated;
  if (!canonicalEqual(status, ds.status)) {
    ds.status = status;
    ds.metadata.resourceVersion = nextRV(st);
  }
}

function createPod(st: ClusterState, ds: DaemonSet, node: string, hash: string, generation: string): PodRec {
  const owner = { kind: "DaemonSet" as const, name: ds.metadata.name, namespace: ds.metadata.namespace!, uid: ds.metadata.uid };
  const extraLabels = { "controller-revision-hash": hash, "pod-template-generation": generation };
  return createPodFromTemplate(st, owner, ds.spec.template, { extraLabels, node, component: "daemonset-controller" });
}

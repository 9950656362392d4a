// Small shared steps of a pod's life: bumping its resourceVersion when its status changes, and removing it.
import type { ClusterState, PodRec } from "../state.ts";
import { key } from "../state.ts";
import { podSpec, recordEvent } from "../store.ts";

export function touchPod(st: ClusterState, p: PodRec): void {
  st.rv += 1;
  p.rv = st.rv;
}

/** Remove a pod's record now: the end of its grace period, or a deletion with grace period 0. */
export function deletePodRecord(st: ClusterState, p: PodRec): void {
  delete st.pods[key(p.ns, p.name)];
  st.rv += 1;
  st.gone.push(key(p.ns, p.name));
}

export function setReady(st: ClusterState, p: PodRec): void {
  const ready = p.phase === "Running" && p.c.every((c) => c.ready);
  if (ready !== p.ready) {
    p.ready = ready;
    p.readyAt = st.now;
    touchPod(st, p);
  }
}

/**
 * Start a pod's graceful deletion (apiserver pod strategy CheckGracefulDelete, v1.19): the grace period asked for, or
 * the pod's terminationGracePeriodSeconds (default 30); 0 for a pod never scheduled or already finished. The pod
 * shows `Terminating` (deletionTimestamp = now + period) until the period is over; asking again may only shorten it.
 */
export function beginPodDeletion(st: ClusterState, p: PodRec, gracePeriodSeconds?: number): void {
  let grace = gracePeriodSeconds ?? podSpec(st, p).terminationGracePeriodSeconds ?? 30;
  if (!p.node || p.phase === "Succeeded" || p.phase === "Failed") grace = 0;
  if (grace <= 0) return deletePodRecord(st, p);
  const at = st.now + grace;
  if (p.deleting !== undefined && p.deleting <= at) return;
  const first = p.deleting === undefined;
  p.deleting = at;
  p.grace = grace;
  touchPod(st, p);
  if (first)
    for (const c of podSpec(st, p).containers)
      recordEvent(st, { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid }, "Normal", "Killing", `Stopping container ${c.name}`, `kubelet, ${p.node}`);
}

/** Remove the pods whose grace period is over (the kubelet has stopped them; the apiserver deletes the object). */
export function finishTerminations(st: ClusterState): void {
  for (const k in st.pods) {
    const p = st.pods[k];
    if (p.deleting !== undefined && p.deleting <= st.now) deletePodRecord(st, p);
  }
}

/** When the next terminating pod goes. */
export function nextTerminationTime(st: ClusterState): number | undefined {
  let t: number | undefined;
  for (const k in st.pods) {
    const d = st.pods[k].deleting;
    if (d !== undefined && (t === undefined || d < t)) t = d;
  }
  return t;
}

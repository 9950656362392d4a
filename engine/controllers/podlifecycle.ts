// Small shared steps of a pod's life: bumping its resourceVersion when its status changes, and removing it.
import type { ClusterState, PodRec } from "../state.ts";
import { key } from "../state.ts";

export function touchPod(st: ClusterState, p: PodRec): void {
  st.rv += 1;
  p.rv = st.rv;
}

/** Remove a pod now (kubelab skips the Terminating grace period: endpoints drop terminating pods at once anyway). */
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

// Run every controller until nothing changes: what a real control plane converges to between two commands.
import type { ClusterState } from "../state.ts";
import { canonicalizeTables } from "../state.ts";
import { syncDeployments } from "./deployment.ts";
import { indexPodsByOwner, syncReplicaSets } from "./replicaset.ts";
import { schedulePods } from "./scheduler.ts";
import { startPods, runDueProbes, nextProbeTime, skipProbesTo } from "./kubelet.ts";
import { syncEndpoints } from "./endpoints.ts";
import { syncLoadBalancers } from "./loadbalancer.ts";

const MAX_ROUNDS = 20;

export function reconcile(st: ClusterState): void {
  reconcileRounds(st);
  canonicalizeTables(st);
}

function reconcileRounds(st: ClusterState): void {
  for (let i = 0; i < MAX_ROUNDS; i++) {
    const before = st.rv;
    // One owner index per round; the ReplicaSet controller keeps it current as it creates and deletes pods.
    const pods = indexPodsByOwner(st);
    syncDeployments(st, pods);
    syncReplicaSets(st, pods);
    schedulePods(st);
    startPods(st);
    syncDeployments(st, pods);
    syncEndpoints(st);
    syncLoadBalancers(st);
    if (st.rv === before) return;
  }
}

/**
 * How many probe rounds one advance simulates one by one. Probe results only change when an app's state does, and
 * nothing outside changes it while the clock runs, so past this budget every probe has long settled; the rest of
 * a very long sleep is skipped instead of simulated (a student's `sleep 100000000` must not hold the server).
 */
export const PROBE_ROUND_BUDGET = 5_000;

/** Let `seconds` of virtual time pass, running probes (and everything they trigger) at their exact times. */
export function advanceClock(st: ClusterState, seconds: number): void {
  const target = st.now + Math.max(0, Math.floor(seconds));
  for (let round = 0; ; round++) {
    const t = nextProbeTime(st);
    if (t === undefined || t > target) break;
    if (round >= PROBE_ROUND_BUDGET) {
      skipProbesTo(st, target);
      break;
    }
    st.now = Math.max(st.now, t);
    runDueProbes(st);
    startPods(st);
    reconcile(st);
  }
  st.now = target;
  startPods(st);
  reconcile(st);
}

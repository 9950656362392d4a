// Run every controller until nothing changes: what a real control plane converges to between two commands.
import type { ClusterState } from "../state.ts";
import { canonicalizeTables } from "../state.ts";
import { syncDeployments } from "./deployment.ts";
import { indexPodsByOwner, syncReplicaSets, type PodIndex } from "./replicaset.ts";
import { schedulePods } from "./scheduler.ts";
import { startPods, runDueProbes, nextProbeTime, skipProbesTo } from "./kubelet.ts";
import { syncEndpoints } from "./endpoints.ts";
import { syncLoadBalancers } from "./loadbalancer.ts";
import { syncDaemonSets } from "./daemonset.ts";
import { finishTerminations, nextTerminationTime } from "./podlifecycle.ts";

const MAX_ROUNDS = 20;

export function reconcile(st: ClusterState): void {
  reconcileRounds(st);
  canonicalizeTables(st);
}

/** The object tables controllers read and write. */
type Table = "nodes" | "pods" | "deployments" | "replicasets" | "daemonsets" | "services" | "endpoints" | "endpointslices";

/**
 * One controller of a round. `reads` lists every table its decisions depend on (pods' specs come from their
 * ReplicaSets' templates, hence `replicasets` for the pod controllers), `writes` every table it changes (events
 * aside: no controller reads them); the clock, the topology and the cluster's other fields do not move during one
 * reconcile.
 */
interface Controller {
  name: string;
  reads: readonly Table[] | "everything";
  writes: readonly Table[];
  /** Runs every round whatever changed: it records a failure event on each pass it cannot do its work (a retry). */
  everyRound?: true;
  run(st: ClusterState, round: Round): void;
}

/** What the controllers of one round share: the pod-by-owner index, built on first use and kept current by the ReplicaSet controller. */
class Round {
  private index: PodIndex | undefined;
  constructor(private readonly st: ClusterState) {}
  pods(): PodIndex {
    return (this.index ??= indexPodsByOwner(this.st));
  }
}

const deployments: Controller = {
  name: "deployment",
  reads: ["deployments", "replicasets", "pods"],
  writes: ["deployments", "replicasets"],
  run: (st, r) => syncDeployments(st, r.pods()),
};
const CONTROLLERS: readonly Controller[] = [
  // The end of grace periods: depends on the clock, which only moves between reconciles (all controllers run first).
  { name: "termination", reads: ["pods"], writes: ["pods"], run: (st) => finishTerminations(st) },
  deployments,
  { name: "replicaset", reads: ["replicasets", "pods", "nodes"], writes: ["replicasets", "pods"], run: (st, r) => syncReplicaSets(st, r.pods()) },
  { name: "daemonset", reads: ["daemonsets", "pods", "nodes"], writes: ["daemonsets", "pods"], run: (st) => syncDaemonSets(st) },
  { name: "scheduler", reads: ["pods", "nodes", "replicasets", "daemonsets"], writes: ["pods"], run: (st) => schedulePods(st) },
  { name: "kubelet", reads: ["pods", "nodes", "replicasets", "daemonsets"], writes: ["pods"], run: (st) => startPods(st) },
  // Again, so a Deployment's status counts the pods the kubelet just started in the same round.
  deployments,
  // Its bookkeeping (the resourceVersion it has seen up to) follows every write, so any write gives it a pass.
  { name: "endpoints", reads: "everything", writes: ["endpoints", "endpointslices"], run: (st) => syncEndpoints(st) },
  { name: "loadbalancer", reads: ["services"], writes: ["services"], everyRound: true, run: (st) => syncLoadBalancers(st) },
];

/** Whether a write by `writer` can give `c` work. */
function affects(writer: Controller, c: Controller): boolean {
  return c.reads === "everything" || writer.writes.some((t) => (c.reads as readonly Table[]).includes(t));
}

/**
 * The test suite's self-check (tests/setup): a controller the loop skips, because nothing it reads was written
 * since it last ran, is run anyway, and must change nothing — not the state, not the random generator, not the
 * events. One that would have done something proves a `reads` or `writes` list incomplete (or a write without a
 * new resourceVersion).
 */
export const reconcileChecks = { on: false, violations: [] as string[], /** skipped controllers run anyway */ checked: 0 };

function reconcileRounds(st: ClusterState): void {
  // The controllers with possible work: all of them at first, then those that something they read was written to
  // since they last ran. Controllers are level-triggered (a pass over the same inputs again finds nothing to do),
  // so this skips most of the last round, which only confirms that nothing moves any more.
  const pending = new Set(CONTROLLERS);
  for (let i = 0; i < MAX_ROUNDS; i++) {
    const before = st.rv;
    const round = new Round(st);
    for (const c of CONTROLLERS) {
      if (!c.everyRound && !pending.has(c)) {
        if (reconcileChecks.on) checkSkipped(st, c, round);
        continue;
      }
      const rv = st.rv;
      c.run(st, round);
      pending.delete(c);
      if (st.rv !== rv) for (const other of CONTROLLERS) if (other !== c && affects(c, other)) pending.add(other);
    }
    if (st.rv === before) return;
  }
}

function checkSkipped(st: ClusterState, c: Controller, round: Round): void {
  reconcileChecks.checked++;
  const before = snapshot(st);
  c.run(st, round);
  const after = snapshot(st);
  if (after.length !== before.length || after.some((s, i) => s !== before[i]))
    reconcileChecks.violations.push(`the ${c.name} controller changed the cluster although nothing it reads (${c.reads}) was written since its last run`);
}

/**
 * The state as JSON, one text per top-level field and per table entry: texts of a whole cluster pass V8's 128 KiB
 * and land in its large-object space, where thousands of them a test cost full collections.
 */
function snapshot(st: ClusterState): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(st)) {
    out.push(k);
    if (v && typeof v === "object" && !Array.isArray(v) && k !== "topo" && k !== "rng") for (const [ek, ev] of Object.entries(v)) out.push(ek, JSON.stringify(ev));
    else out.push(JSON.stringify(v));
  }
  return out;
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
    const tp = nextProbeTime(st), td = nextTerminationTime(st);
    const t = tp === undefined ? td : td === undefined ? tp : Math.min(tp, td);
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

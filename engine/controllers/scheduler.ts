// The scheduler: binds each unscheduled pod to a feasible node (taints, nodeSelector, unschedulable), spreading
// pods of the same owner first, then least-loaded, with a seeded pick among equals.
import type { Node } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { podSpec, recordEvent } from "../store.ts";
import { nextInt } from "../rng.ts";
import { touchPod } from "./podlifecycle.ts";

function tolerates(spec: ReturnType<typeof podSpec>, taint: { key: string; value?: string; effect: string }): boolean {
  return (spec.tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

export function schedulePods(st: ClusterState): void {
  const pending: PodRec[] = [];
  for (const k in st.pods) if (!st.pods[k].node && st.pods[k].deleting === undefined) pending.push(st.pods[k]);
  if (!pending.length) return;
  pending.sort((a, b) => a.ct - b.ct || (a.name < b.name ? -1 : 1));
  // Pods per node, and per owner and node: the spreading scores, kept up to date as pods are bound.
  const load: Load = { all: new Map(), owned: new Map() };
  for (const k in st.pods) if (st.pods[k].node) addLoad(load, st.pods[k].node!, st.pods[k].owner?.uid);
  for (const p of pending) schedule(st, p, load);
}

interface Load {
  /** node → pods bound to it */
  all: Map<string, number>;
  /** owner uid → node → that owner's pods bound to it */
  owned: Map<string, Map<string, number>>;
}

function addLoad(l: Load, node: string, owner: string | undefined): void {
  l.all.set(node, (l.all.get(node) ?? 0) + 1);
  if (!owner) return;
  let byNode = l.owned.get(owner);
  if (!byNode) l.owned.set(owner, (byNode = new Map()));
  byNode.set(node, (byNode.get(node) ?? 0) + 1);
}

function schedule(st: ClusterState, p: PodRec, l: Load): void {
  const spec = podSpec(st, p);
  const nodes = Object.values(st.nodes);
  const reasons = new Map<string, number>();
  const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
  const feasible: Node[] = [];
  for (const n of nodes) {
    if (n.spec.unschedulable) {
      fail("node(s) were unschedulable");
      continue;
    }
    const bad = (n.spec.taints ?? []).find((t) => (t.effect === "NoSchedule" || t.effect === "NoExecute") && !tolerates(spec, t));
    if (bad) {
      fail(`node(s) had taint {${bad.key}: ${bad.value ?? ""}}, that the pod didn't tolerate`);
      continue;
    }
    const maxPods = Number(n.status.allocatable.pods ?? "110");
    if ((l.all.get(n.metadata.name) ?? 0) >= maxPods) {
      fail("Too many pods");
      continue;
    }
    const sel = spec.nodeSelector ?? {};
    if (Object.entries(sel).some(([k, v]) => n.metadata.labels?.[k] !== v)) {
      fail("node(s) didn't match node selector");
      continue;
    }
    feasible.push(n);
  }
  const ref = { kind: "Pod", name: p.name, namespace: p.ns, uid: p.uid };
  if (!feasible.length) {
    const msg = `0/${nodes.length} nodes are available: ${[...reasons].map(([r, c]) => `${c} ${r}`).sort().join(", ")}.`;
    if (p.unsched !== msg) {
      p.unsched = msg;
      recordEvent(st, ref, "Warning", "FailedScheduling", msg, "default-scheduler");
    }
    return;
  }
  const mine = p.owner ? l.owned.get(p.owner.uid) : undefined;
  const load = (n: Node) => [mine?.get(n.metadata.name) ?? 0, l.all.get(n.metadata.name) ?? 0];
  const scored = feasible.map((n) => ({ n, s: load(n) }));
  scored.sort((a, b) => a.s[0] - b.s[0] || a.s[1] - b.s[1]);
  const best = scored.filter((x) => x.s[0] === scored[0].s[0] && x.s[1] === scored[0].s[1]);
  const chosen = best[nextInt(st.rng, best.length)].n;
  p.node = chosen.metadata.name;
  addLoad(l, p.node, p.owner?.uid);
  delete p.unsched;
  touchPod(st, p);
  recordEvent(st, ref, "Normal", "Scheduled", `Successfully assigned ${p.ns}/${p.name} to ${p.node}`, "default-scheduler");
}

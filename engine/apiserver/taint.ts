// Node taints (`kubectl taint`): kubectl's rules for adding, overwriting and removing them (v1.19
// pkg/kubectl/cmd/taint: reorganizeTaints), applied to the Node and seen by the scheduler and DaemonSet controller.
import type { Node } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { ClientError } from "../errors.ts";
import { getObject, nextRV } from "../store.ts";

export type Taint = NonNullable<Node["spec"]["taints"]>[number];
export interface TaintChange {
  add: Taint[];
  /** Removals: a key, with an effect or not. */
  remove: { key: string; effect?: string }[];
  overwrite: boolean;
}

export function taintNode(st: ClusterState, name: string, change: TaintChange): boolean {
  const node = getObject(st, "Node", name) as Node;
  let taints = [...(node.spec.taints ?? [])];
  for (const r of change.remove) {
    const keep = taints.filter((t) => !(t.key === r.key && (!r.effect || t.effect === r.effect)));
    if (keep.length === taints.length) throw new ClientError(`taint ${JSON.stringify(r.effect ? `${r.key}:${r.effect}` : r.key)} not found`);
    taints = keep;
  }
  for (const a of change.add) {
    const i = taints.findIndex((t) => t.key === a.key && t.effect === a.effect);
    if (i >= 0 && !change.overwrite) throw new ClientError(`Node ${name} already has ${a.key} taint(s) with same effect(s) and --overwrite is false`);
    if (i >= 0) taints[i] = a;
    else taints.push(a);
  }
  const before = JSON.stringify(node.spec.taints ?? []);
  if (before === JSON.stringify(taints)) return false;
  node.spec = { ...node.spec };
  if (taints.length) node.spec.taints = taints;
  else delete node.spec.taints;
  node.metadata.resourceVersion = nextRV(st);
  return true;
}

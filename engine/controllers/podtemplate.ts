// A controller's new pod from its pod template (v1.19 pkg/controller controller_utils.go GetPodFromTemplate and
// CreatePodsWithControllerRef, the apiserver's SimpleNameGenerator): `generateName` is `<owner>-`, the name that
// prefix cut to 58 characters plus 5 random ones; the template's labels (with the controller's own added) and
// annotations; owned by the controller; a SuccessfulCreate event. ReplicaSets and DaemonSets create pods this way.
import type { Labels, PodTemplateSpec } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { key } from "../state.ts";
import { nextRV, recordEvent } from "../store.ts";
import { nameSuffix, uid } from "../rng.ts";

/** names.SimpleNameGenerator: the longest base a generated name keeps (63 less the 5 random characters). */
const MAX_GENERATED_BASE = 58;

export interface PodOwner {
  kind: "ReplicaSet" | "DaemonSet";
  name: string;
  namespace: string;
  uid: string;
}

export function createPodFromTemplate(
  st: ClusterState,
  owner: PodOwner,
  template: PodTemplateSpec,
  opts: { extraLabels?: Labels; node?: string; component: string },
): PodRec {
  const ns = owner.namespace;
  const generateName = `${owner.name}-`;
  const base = generateName.slice(0, MAX_GENERATED_BASE);
  let name: string;
  do name = base + nameSuffix(st.rng);
  while (st.pods[key(ns, name)]);
  const rec: PodRec = {
    name,
    ns,
    uid: uid(st.rng),
    rv: Number(nextRV(st)),
    ct: st.now,
    generateName,
    labels: { ...(template.metadata.labels ?? {}), ...opts.extraLabels },
    owner: { kind: owner.kind, name: owner.name, uid: owner.uid },
    phase: "Pending",
    ready: false,
    readyAt: st.now,
    c: template.spec.containers.map(() => ({ state: "waiting", reason: "ContainerCreating", ready: false, restarts: 0, startedAt: st.now })),
  };
  const node = opts.node ?? template.spec.nodeName;
  if (node) rec.node = node;
  if (template.metadata.annotations) rec.annotations = { ...template.metadata.annotations };
  st.pods[key(ns, name)] = rec;
  recordEvent(st, owner, "Normal", "SuccessfulCreate", `Created pod: ${name}`, opts.component);
  return rec;
}

// The pods a reader gets (Cluster.get / list): materialised from their compact record with the server's defaults,
// and remembered between commands, so `kubectl get pods`, describe, the picture and the grader do not rebuild an
// unchanged pod on every call (materialising and defaulting was most of a `kubectl get pods`).
//
// A remembered pod is valid while what it was built from is unchanged: the record's resourceVersion (every write
// to a pod object bumps it: engine/controllers/podlifecycle.ts touchPod), the spec it takes (the owner's template or
// its own, by identity: the engine replaces a spec as a whole), and the objects it reads besides — its node (hostIP)
// or the node that owns a mirror pod (uid), and its namespace (the service-account token's name) — by identity and
// resourceVersion. The clock is not among them: nothing of a materialised pod depends on it. Like engine/memo.ts and
// engine/stored-memo.ts it is module state, never cluster state: a miss computes exactly what a hit returns, and
// `verifyStoredMemo(true)` (the test suite) recomputes every hit and throws StalePodReadError when they differ.
//
// A remembered pod is deep-frozen and shared between reads: a reader gets its own top-level object and metadata
// (managedFields are derived into it on use: apiserver/managed-fields.ts), the rest shared and read-only. The spec's
// parts are shared between the pods of one template (equal values, one copy), so a cached cluster holds little more
// than each pod's metadata and status.
import type { Namespace, Node, Pod, PodSpec } from "./objects.ts";
import type { ClusterState, PodRec } from "./state.ts";
import { materializePod, podSpec } from "./store.ts";
import { withServerDefaults } from "./apiserver/server-defaults.ts";
import { withManagedFields } from "./apiserver/managed-fields.ts";
import { deepFreeze } from "./shared.ts";
import { jsonEqual } from "./hash.ts";
import { memoCaches } from "./memo.ts";
import { storedMemoVerifying } from "./stored-memo.ts";

/** A remembered pod differed from the pod built again: something changed a pod's inputs without a resourceVersion. */
export class StalePodReadError extends Error {
  constructor(what: string) {
    super(`the remembered read of pod ${what} is stale: its inputs changed without a new resourceVersion`);
    this.name = "StalePodReadError";
  }
}

interface Entry {
  rv: number;
  spec: PodSpec;
  node: Node | undefined;
  nodeRV: string | undefined;
  mirrorOf: Node | undefined;
  mirrorRV: string | undefined;
  ns: Namespace | undefined;
  nsRV: string | undefined;
  pod: Pod;
}

const memo = new WeakMap<PodRec, Entry>();
/** Per source spec (a template's or a pod's own): the frozen value last remembered for each key of a defaulted spec. */
const specParts = new WeakMap<PodSpec, Record<string, unknown>>();

/** The pod with its server defaults, built afresh (what every reader got before this memo). */
function build(st: ClusterState, p: PodRec): Pod {
  return withServerDefaults(materializePod(st, p), st);
}

/** Share with earlier pods of the same source spec every part of the defaulted spec that equals theirs. */
function shareSpecParts(src: PodSpec, spec: Record<string, unknown>): void {
  let parts = specParts.get(src);
  if (!parts) specParts.set(src, (parts = {}));
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (v === null || typeof v !== "object") continue;
    const prev = parts[k];
    if (prev !== undefined && jsonEqual(prev, v)) spec[k] = prev;
    else parts[k] = deepFreeze(v);
  }
}

/** The reader's pod for record `p` of `st`: frozen and shared (the caller must not change it). */
export function frozenPod(st: ClusterState, p: PodRec): Pod {
  const spec = podSpec(st, p);
  const node = p.node !== undefined ? st.nodes[p.node] : undefined;
  const mirrorOf = p.owner?.kind === "Node" ? st.nodes[p.owner.name] : undefined;
  const ns = st.namespaces[p.ns];
  const hit = memo.get(p);
  if (
    hit &&
    hit.rv === p.rv &&
    hit.spec === spec &&
    hit.node === node &&
    hit.nodeRV === node?.metadata.resourceVersion &&
    hit.mirrorOf === mirrorOf &&
    hit.mirrorRV === mirrorOf?.metadata.resourceVersion &&
    hit.ns === ns &&
    hit.nsRV === ns?.metadata.resourceVersion
  ) {
    if (storedMemoVerifying() && !jsonEqual(build(st, p), hit.pod)) throw new StalePodReadError(`${p.ns}/${p.name}`);
    return hit.pod;
  }
  const pod = build(st, p);
  shareSpecParts(spec, pod.spec as unknown as Record<string, unknown>);
  deepFreeze(pod);
  memo.set(p, {
    rv: p.rv,
    spec,
    node,
    nodeRV: node?.metadata.resourceVersion,
    mirrorOf,
    mirrorRV: mirrorOf?.metadata.resourceVersion,
    ns,
    nsRV: ns?.metadata.resourceVersion,
    pod,
  });
  return pod;
}

/**
 * The pod as Cluster.get / list hand it out: its own top-level object and metadata (with managedFields derived on
 * use), spec and status shared and frozen. With the caches off (mutation testing) every read builds it afresh.
 */
export function readPod(st: ClusterState, p: PodRec): Pod {
  if (memoCaches.off) return withManagedFields(st, build(st, p));
  const pod = frozenPod(st, p);
  return withManagedFields(st, { ...pod, metadata: { ...pod.metadata } });
}

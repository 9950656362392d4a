// The pods a reader gets (Cluster.get / list): materialised from their compact record with the server's defaults,
// and remembered between commands, so `kubectl get pods`, describe, the picture and the grader do not rebuild an
// unchanged pod on every call (materialising and defaulting was most of a `kubectl get pods`).
//
// A remembered pod is valid while what it was built from is unchanged: the record's resourceVersion (every write
// to a pod object bumps it: engine/controllers/podlifecycle.ts touchPod), the spec it takes (the owner's template or
// its own, by identity: the engine replaces a spec as a whole), and the objects it reads besides — its node (the
// status's hostIP) and its namespace (the service-account token's name) — by identity and resourceVersion. The
// clock is not among them: nothing of a materialised pod depends on it. Like engine/memo.ts and
// engine/stored-memo.ts it is module state, never cluster state: a miss computes exactly what a hit returns, and
// `verifyStoredMemo(true)` (the test suite) recomputes every hit and throws StalePodReadError when they differ.
//
// What is remembered is a pod's spec (with the server's defaults) and status, deep-frozen and shared between reads;
// a reader gets its own top-level object and metadata (built afresh: cheap, and managedFields are derived into it on
// use, apiserver/managed-fields.ts). The specs of one template's pods are shared (one per node, equal parts once),
// and parts every student's cluster of a lab has alike are kept once for all (commonParts), so a cached cluster
// holds little more than each read pod's status.
import type { Namespace, Node, Pod, PodSpec } from "./objects.ts";
import type { ClusterState, PodRec } from "./state.ts";
import { own } from "./state.ts";
import { materializePod, podMetadata, podSpec } from "./store.ts";
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
  src: PodSpec;
  node: Node | undefined;
  nodeRV: string | undefined;
  ns: Namespace | undefined;
  nsRV: string | undefined;
  /** The scheduler's reason for a Pending pod: it changes (nodes relabelled, tainted) without a new resourceVersion. */
  unsched: string | undefined;
  /** The defaulted spec and the status, frozen. */
  spec: PodSpec;
  status: Pod["status"];
}

const memo = new WeakMap<PodRec, Entry>();
/**
 * Per source spec (a template's or a pod's own): the defaulted specs remembered for its pods, frozen — one per node
 * as a rule, since a spec differs between pods of a template only by its node.
 */
const specShares = new WeakMap<PodSpec, PodSpec[]>();
/** At most this many specs per source spec (a template's pods on as many nodes). */
const MAX_SPECS = 8;

/** The pod with its server defaults, built afresh (what every reader got before this memo). */
function build(st: ClusterState, p: PodRec): Pod {
  return withServerDefaults(materializePod(st, p), st);
}

/**
 * Parts of a defaulted spec that hold the cluster's own names (the service-account token's Secret, by the namespace's
 * uid): the rest (tolerations, security contexts, ports, probes, resources…) is the same in every student's cluster
 * of a lab, so one frozen copy of each serves them all.
 */
const OWN_SPEC_PARTS = new Set(["containers", "initContainers", "volumes"]);
const OWN_CONTAINER_PARTS = new Set(["volumeMounts"]);
/** A status's own parts: its containers' ids and its IPs (its conditions are often another cluster's, to the second). */
const OWN_STATUS_PARTS = new Set(["containerStatuses", "podIPs"]);
/** Equal parts of every cluster's pods, by their JSON text (bounded: cleared when full, as engine/memo.ts does). */
const commonParts = new Map<string, unknown>();
const MAX_COMMON = 1000;

/** Replace each object-valued key of `o` (except `own`) by the frozen copy of an equal value, or remember it as that. */
function internParts(o: Record<string, unknown>, own: Set<string>): Record<string, unknown> {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === null || typeof v !== "object" || own.has(k)) continue;
    const text = `${k}:${JSON.stringify(v)}`;
    const hit = commonParts.get(text);
    if (hit !== undefined) o[k] = hit;
    else {
      if (commonParts.size >= MAX_COMMON) commonParts.clear();
      commonParts.set(text, deepFreeze(v));
    }
  }
  return o;
}

/**
 * `spec` (a fresh defaulted spec), or an equal one an earlier pod of the same source spec got; else `spec` itself
 * with every part that equals the same part of an earlier one replaced by it. What it returns is frozen.
 */
function sharedSpec(src: PodSpec, spec: PodSpec): PodSpec {
  let shared = specShares.get(src);
  if (!shared) specShares.set(src, (shared = []));
  for (const w of shared) if (jsonEqual(w, spec)) return w;
  const s = spec as unknown as Record<string, unknown>;
  internParts(s, OWN_SPEC_PARTS);
  for (const c of [...((s.initContainers ?? []) as Record<string, unknown>[]), ...((s.containers ?? []) as Record<string, unknown>[])]) internParts(c, OWN_CONTAINER_PARTS);
  for (const k of Object.keys(s)) {
    const v = s[k];
    if (v === null || typeof v !== "object") continue;
    for (const w of shared) {
      const prev = (w as unknown as Record<string, unknown>)[k];
      if (prev !== undefined && jsonEqual(prev, v)) {
        s[k] = prev;
        break;
      }
    }
  }
  if (shared.length >= MAX_SPECS) shared.shift();
  shared.push(deepFreeze(spec));
  return spec;
}

/** The spec and status of the reader's pod for record `p` of `st`: frozen and shared (the caller must not change them). */
export function frozenParts(st: ClusterState, p: PodRec): { spec: PodSpec; status: Pod["status"] } {
  const hit = rememberedParts(st, p);
  return hit ?? remember(st, p);
}

/**
 * The remembered spec and status of record `p`, when they are still its own; undefined otherwise (nothing is built
 * or remembered: a caller that reads the pod once, as the field manager around a write does, builds it as before).
 */
export function rememberedParts(st: ClusterState, p: PodRec): { spec: PodSpec; status: Pod["status"] } | undefined {
  if (memoCaches.off) return undefined;
  const src = podSpec(st, p);
  const node = p.node !== undefined ? own(st.nodes, p.node) : undefined;
  const ns = own(st.namespaces, p.ns);
  const hit = memo.get(p);
  if (
    hit &&
    hit.rv === p.rv &&
    hit.src === src &&
    hit.node === node &&
    hit.nodeRV === node?.metadata.resourceVersion &&
    hit.ns === ns &&
    hit.nsRV === ns?.metadata.resourceVersion &&
    hit.unsched === p.unsched
  ) {
    if (storedMemoVerifying()) {
      const fresh = build(st, p);
      if (!jsonEqual(fresh.spec, hit.spec) || !jsonEqual(fresh.status, hit.status)) throw new StalePodReadError(`${p.ns}/${p.name}`);
    }
    return hit;
  }
  return undefined;
}

function remember(st: ClusterState, p: PodRec): Entry {
  const src = podSpec(st, p);
  const node = p.node !== undefined ? own(st.nodes, p.node) : undefined;
  const ns = own(st.namespaces, p.ns);
  const pod = build(st, p);
  const entry: Entry = {
    rv: p.rv,
    src,
    node,
    nodeRV: node?.metadata.resourceVersion,
    ns,
    nsRV: ns?.metadata.resourceVersion,
    unsched: p.unsched,
    spec: sharedSpec(src, pod.spec),
    status: deepFreeze(internParts(pod.status as unknown as Record<string, unknown>, OWN_STATUS_PARTS) as unknown as Pod["status"]),
  };
  memo.set(p, entry);
  return entry;
}

/**
 * The pod as Cluster.get / list hand it out: its own top-level object and metadata (with managedFields derived on
 * use), spec and status shared and frozen. With the caches off (mutation testing) every read builds it afresh.
 */
export function readPod(st: ClusterState, p: PodRec): Pod {
  if (memoCaches.off) return withManagedFields(st, build(st, p));
  const { spec, status } = frozenParts(st, p);
  return withManagedFields(st, { apiVersion: "v1", kind: "Pod", metadata: podMetadata(st, p), spec, status });
}

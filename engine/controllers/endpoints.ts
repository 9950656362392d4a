// The endpoints controller: for every Service with a selector, an Endpoints object of the same name whose
// addresses are the selected pods with an IP — Ready pods (or all, with publishNotReadyAddresses) in
// `addresses`, the others in `notReadyAddresses` — and whose ports are the Service's ports resolved per pod
// (named targetPorts looked up in each pod's container ports). Selector-less Services are left alone; deleting a
// Service deletes its Endpoints (apiserver/ops.ts), as the controller does when it sees the Service go.
// The same pass runs the EndpointSlice controller (endpointslice.ts) for every Service it syncs, or whose slices
// someone else changed or deleted (both follow the same pods), then the EndpointSliceMirroring controller
// (endpointslicemirroring.ts) for the Endpoints of Services without a selector.
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints, Pod, Service } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { key, tableValues, tableEntries } from "../state.ts";
import { newMeta, nextRV, podSpec } from "../store.ts";
import { rfc3339 } from "../clock.ts";
import { canonicalEqual, canonicalJSON } from "../hash.ts";
import { matchesSelector, selectorFromSet } from "../labels/index.ts";
import { SERVICE_NAME_LABEL, slicesByService, syncServiceSlices } from "./endpointslice.ts";
import { syncMirroredSlices } from "./endpointslicemirroring.ts";

const TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time";

// Compiled selectors per Service selector map (replaced, never mutated, when the Service changes).
const compiled = new WeakMap<object, ReturnType<typeof selectorFromSet>>();
function serviceSelector(svc: Service): ReturnType<typeof selectorFromSet> {
  const m = svc.spec.selector ?? {};
  let sel = compiled.get(m);
  if (!sel) {
    sel = selectorFromSet(m);
    compiled.set(m, sel);
  }
  return sel;
}

export function syncEndpoints(st: ClusterState): void {
  // Only Services whose own spec changed, or that select (or currently list) a pod that changed or went away
  // since the last sync, are recomputed: the rest cannot have changed.
  // Stryker disable next-line ArrayDeclaration: a junk element has no ns / name of a pod, so it only marks more Services dirty (recomputing writes only on a change)
  const changed: PodRec[] = [];
  for (const k in st.pods) if (st.pods[k].rv > st.epRV) changed.push(st.pods[k]);
  const gone = st.gone;
  let podsByNs: Map<string, PodRec[]> | undefined;
  // Which Services currently list each touched pod (built only when pods changed).
  let listedBy: Map<string, string[]> | undefined;
  if (changed.length || gone.length) {
    const touched = new Set([...changed.map((p) => key(p.ns, p.name)), ...gone]);
    // Names first (the addresses' own strings, no key built per address), the namespace only on a name match.
    const touchedNames = new Set([...changed.map((p) => p.name), ...gone.map((g) => g.slice(g.indexOf("/") + 1))]);
    listedBy = new Map();
    for (const [k, ep] of tableEntries(st.endpoints))
      for (const s of ep.subsets ?? [])
        for (const list of [s.addresses, s.notReadyAddresses])
          for (const a of list ?? []) {
            if (!a.targetRef || !touchedNames.has(a.targetRef.name)) continue;
            const pk = key(ep.metadata.namespace!, a.targetRef.name);
            if (!touched.has(pk)) continue;
            const l = listedBy.get(pk);
            if (l) l.push(k);
            else listedBy.set(pk, [k]);
          }
    // (a slice may list a pod its Endpoints do not: one whose ports do not resolve)
    for (const s of tableValues(st.endpointslices)) {
      const svcName = s.metadata.labels?.[SERVICE_NAME_LABEL];
      if (!svcName) continue;
      for (const e of s.endpoints ?? []) {
        if (!e.targetRef || !touchedNames.has(e.targetRef.name)) continue;
        const pk = key(s.metadata.namespace!, e.targetRef.name);
        if (!touched.has(pk)) continue;
        const l = listedBy.get(pk);
        if (l) l.push(key(s.metadata.namespace!, svcName));
        else listedBy.set(pk, [key(s.metadata.namespace!, svcName)]);
      }
    }
  }
  const slices = slicesByService(st);
  const listing = new Set<string>();
  for (const l of listedBy?.values() ?? []) for (const k of l) listing.add(k);
  for (const [k, svc] of tableEntries(st.services)) {
    // An empty selector map is omitted on the wire (omitempty), i.e. the same as no selector.
    if (!svc.spec.selector || !Object.keys(svc.spec.selector).length || svc.spec.type === "ExternalName") continue;
    const ns = svc.metadata.namespace!;
    const cur = st.endpoints[k];
    // Dirty when the Service changed, or someone else wrote its Endpoints (the controller reverts that).
    const own = slices.get(k);
    let dirty =
      !cur ||
      Number(svc.metadata.resourceVersion) > st.epRV ||
      Number(cur.metadata.resourceVersion) > st.epRV ||
      !own ||
      own.some((sk) => Number(st.endpointslices[sk].metadata.resourceVersion) > st.epRV);
    if (!dirty && changed.length) {
      const sel = serviceSelector(svc);
      dirty = listing.has(k) || changed.some((p) => p.ns === ns && matchesSelector(sel, p.labels ?? {}));
    } else if (!dirty && gone.length) dirty = listing.has(k);
    if (!dirty) continue;
    if (!podsByNs) {
      podsByNs = new Map();
      for (const p of tableValues(st.pods)) {
        const list = podsByNs.get(p.ns);
        if (list) list.push(p);
        else podsByNs.set(p.ns, [p]);
      }
    }
    const pods = podsByNs.get(ns) ?? [];
    syncService(st, k, svc, pods);
    const sel = serviceSelector(svc);
    syncServiceSlices(st, svc, pods, (p) => matchesSelector(sel, p.labels ?? {}), own ?? []);
  }
  syncMirroredSlices(st, st.epRV);
  st.epRV = st.rv;
  // Stryker disable next-line ArrayDeclaration: a junk "gone" key is a one-character string no pod or Service key equals: more work next pass, same result
  st.gone = [];
}

/** Upstream FindPort: a number is used as is; a name is looked up in the pod's containers, same protocol. */
// A number and a digits-only string take the same line (a numeric targetPort is a validated integer).
export function findPort(st: ClusterState, p: PodRec, targetPort: number | string, protocol: string): number | undefined {
  if (/^\d+$/.test(String(targetPort))) return Number(targetPort);
  for (const c of podSpec(st, p).containers)
    for (const cp of c.ports ?? []) if (cp.name === targetPort && (cp.protocol ?? "TCP") === protocol) return cp.containerPort;
  return undefined;
}

function compareIP(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip < b.ip) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's TimSort only asks whether the answer is below 0
  return a.ip > b.ip ? 1 : 0;
}

/** Port groups by their canonical key (keys of one Map: never equal). */
function compareGroupKey(a: [string, unknown], b: [string, unknown]): number {
  if (a[0] < b[0]) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: keys are distinct, and V8's TimSort only asks whether the answer is below 0
  return a[0] > b[0] ? 1 : 0;
}

export function computeSubsets(st: ClusterState, svc: Service, pods: PodRec[]): EndpointSubset[] {
  const sel = serviceSelector(svc);
  const tolerate = !!svc.spec.publishNotReadyAddresses || svc.metadata.annotations?.["service.alpha.kubernetes.io/tolerate-unready-endpoints"] === "true";
  // Group addresses by their resolved port set (RepackSubsets).
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const p of pods) {
    if (!p.ip || !matchesSelector(sel, p.labels ?? {})) continue;
    if (p.deleting !== undefined && !tolerate) continue;
    const spec = podSpec(st, p);
    if (!p.ready && !tolerate && !shouldBeInEndpoints(spec.restartPolicy, p.phase)) continue;
    const addr: EndpointAddress = { ip: p.ip, nodeName: p.node, targetRef: { kind: "Pod", namespace: p.ns, name: p.name, uid: p.uid, resourceVersion: String(p.rv) } };
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = findPort(st, p, sp.targetPort, sp.protocol);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if ((svc.spec.ports ?? []).length && !ports.length) continue;
    const gk = canonicalJSON(ports);
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { ports, ready: [], notReady: [] }));
    (p.ready || tolerate ? g.ready : g.notReady).push(addr);
  }
  const subsets: EndpointSubset[] = [];
  for (const [gk, g] of [...groups].sort(compareGroupKey)) {
    void gk;
    const s: EndpointSubset = {};
    if (g.ready.length) s.addresses = g.ready.sort(compareIP);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(compareIP);
    if (g.ports.length) s.ports = g.ports;
    subsets.push(s);
  }
  return subsets;
}

// Unreachable today: no pod of the engine ever ends (nothing sets phase Failed or Succeeded: the apps never exit).
function shouldBeInEndpoints(restartPolicy: string, phase: Pod["status"]["phase"]): boolean {
  // Stryker disable next-line all: no pod ever reaches phase Failed or Succeeded (the apps never exit)
  if (restartPolicy === "Never") return phase !== "Failed" && phase !== "Succeeded";
  // Stryker disable next-line all: no pod ever reaches phase Succeeded
  if (restartPolicy === "OnFailure") return phase !== "Succeeded";
  return true;
}

function syncService(st: ClusterState, k: string, svc: Service, pods: PodRec[]): void {
  const subsets = computeSubsets(st, svc, pods);
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (svc.spec.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  const cur = st.endpoints[k];
  const sameSubsets = cur && canonicalEqual(cur.subsets ?? [], subsets);
  const sameLabels = cur && canonicalEqual(cur.metadata.labels ?? {}, labels);
  if (sameSubsets && sameLabels) return;
  const meta = cur ? { ...cur.metadata, resourceVersion: nextRV(st) } : newMeta(st, svc.metadata.name, svc.metadata.namespace);
  if (Object.keys(labels).length) meta.labels = labels;
  else delete meta.labels;
  meta.annotations = { ...(cur?.metadata.annotations ?? {}), [TRIGGER]: rfc3339(st.now) };
  const ep: Endpoints = { apiVersion: "v1", kind: "Endpoints", metadata: meta };
  if (subsets.length) ep.subsets = subsets;
  st.endpoints[key(svc.metadata.namespace!, svc.metadata.name)] = ep;
}

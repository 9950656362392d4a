// The EndpointSlice controller of v1.19 (pkg/controller/endpointslice, discovery.k8s.io/v1beta1): for every
// Service with a selector, IPv4 slices of at most 100 endpoints, one endpoint per selected pod with an IP —
// `conditions.ready` from the pod's Ready condition (always true with publishNotReadyAddresses), terminating pods left
// out unless publishNotReadyAddresses, `targetRef` the pod, `topology` its node — grouped by the ports the pod
// resolves (named targetPorts per pod; a port a pod cannot resolve is left out of its group, the pod is not).
// A slice is named `<service>-<5 chars>` (generateName), labelled `kubernetes.io/service-name` and
// `endpointslice.kubernetes.io/managed-by`, owned by the Service. The reconciler keeps existing endpoints where they
// are, fills slices before making new ones, turns a create plus a delete into an update of the deleted slice (so a
// Service keeps its slice's name while its pods come and go), and keeps one empty placeholder slice (ports and
// endpoints `null`) for a Service that selects nothing. The endpoints controller runs it for the Services it syncs.
import type { EndpointSlice, Service, SliceEndpoint, SlicePort } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { key, tableEntries } from "../state.ts";
import { nextRV, podSpec } from "../store.ts";
import { rfc3339 } from "../clock.ts";
import { canonicalEqual, canonicalJSON, hex64 } from "../hash.ts";
import { nameSuffix, seedRng, uid as newUid } from "../rng.ts";
import { findPort } from "./endpoints.ts";
import { isMaster } from "../topology.ts";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const CONTROLLER_NAME = "endpointslice-controller.k8s.io";
export const SLICE_API_VERSION = "discovery.k8s.io/v1beta1";
const TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time";
/** --max-endpoints-per-slice's default (pkg/controller/endpointslice/config/v1alpha1/defaults.go). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** Whether the EndpointSlice controller keeps this slice (its two labels, as the controller lists them). */
export function isManagedSlice(s: EndpointSlice): boolean {
  return s.metadata.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME && !!s.metadata.labels?.[SERVICE_NAME_LABEL];
}

/** The managed slices of each Service (`<ns>/<service>`), in key order. */
export function slicesByService(st: ClusterState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, s] of tableEntries(st.endpointslices)) {
    if (!isManagedSlice(s)) continue;
    const sk = key(s.metadata.namespace!, s.metadata.labels![SERVICE_NAME_LABEL]);
    const l = out.get(sk);
    if (l) l.push(k);
    else out.set(sk, [k]);
  }
  return out;
}

/** ShouldPodBeInEndpoints(pod, includeTerminating = publishNotReadyAddresses) of pkg/controller/util/endpoint. */
function inSlices(st: ClusterState, svc: Service, p: PodRec): boolean {
  if (!p.ip) return false;
  if (p.deleting !== undefined && !svc.spec.publishNotReadyAddresses) return false;
  const policy = podSpec(st, p).restartPolicy;
  if (policy === "Never") return p.phase !== "Failed" && p.phase !== "Succeeded";
  if (policy === "OnFailure") return p.phase !== "Succeeded";
  return true;
}

/** getEndpointPorts: every Service port the pod resolves, named (`""` included), in the Service's order. */
function podPorts(st: ClusterState, svc: Service, p: PodRec): SlicePort[] {
  const out: SlicePort[] = [];
  for (const sp of svc.spec.ports ?? []) {
    const port = findPort(st, p, sp.targetPort, sp.protocol);
    if (port === undefined) continue;
    const ep: SlicePort = { name: sp.name ?? "", protocol: sp.protocol, port };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** podToEndpoint: the pod's IPv4 address, readiness, reference and topology (hostname, the node's zone and region). */
export function podEndpoint(st: ClusterState, svc: Service, p: PodRec): SliceEndpoint {
  const topology: Record<string, string> = {};
  if (p.node) {
    topology["kubernetes.io/hostname"] = p.node;
    const labels = st.nodes[p.node]?.metadata.labels ?? {};
    for (const l of ["topology.kubernetes.io/zone", "topology.kubernetes.io/region"]) if (labels[l]) topology[l] = labels[l];
  }
  const ep: SliceEndpoint = {
    addresses: [p.ip!],
    conditions: { ready: !!svc.spec.publishNotReadyAddresses || (!!p.node && p.ready) },
  };
  const spec = podSpec(st, p) as { hostname?: string; subdomain?: string };
  if (spec.hostname && spec.subdomain === svc.metadata.name) ep.hostname = spec.hostname;
  ep.targetRef = { kind: "Pod", namespace: p.ns, name: p.name, uid: p.uid, resourceVersion: String(p.rv) };
  if (Object.keys(topology).length) ep.topology = topology;
  return ep;
}

export interface Group {
  ports: SlicePort[];
  /** By the endpoint's identity (address and pod: upstream's endpoint hash), in address order. */
  endpoints: Map<string, SliceEndpoint>;
}

export const identity = (e: SliceEndpoint) => `${e.addresses.join(",")}|${e.targetRef?.namespace ?? ""}/${e.targetRef?.name ?? ""}`;
export const portKey = (ports: SlicePort[] | null) => canonicalJSON(ports ?? []);

/** The endpoints a Service should have, grouped by resolved port set (desiredEndpointsByPortMap). */
function desiredGroups(st: ClusterState, svc: Service, pods: PodRec[], selects: (p: PodRec) => boolean): Map<string, Group> {
  const groups = new Map<string, Group>();
  const chosen = pods.filter((p) => selects(p) && inSlices(st, svc, p)).sort((a, b) => (a.ip! < b.ip! ? -1 : a.ip! > b.ip! ? 1 : 0));
  for (const p of chosen) {
    const ports = podPorts(st, svc, p);
    const k = portKey(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, endpoints: new Map() }));
    const ep = podEndpoint(st, svc, p);
    g.endpoints.set(identity(ep), ep);
  }
  return groups;
}

/** A slice as the controller builds it before the apiserver names it (newEndpointSlice). */
export interface Draft {
  /** The slice it updates (its key), or undefined for a create. */
  from?: string;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

/** What reconciling one owner's slices comes to: slices to create, to update (`from`), to delete. */
export interface SlicePlan {
  create: Draft[];
  update: Draft[];
  remove: string[];
}

/**
 * The reconciler's plan for one owner's slices (keys in `existing`) against the endpoints it should have, by port
 * set; `placeholder`: keep one empty slice when there would be none (the EndpointSlice controller's rule).
 */
export function planSlices(st: ClusterState, existing: string[], desired: Map<string, Group>, placeholder: boolean): SlicePlan {
  const byPorts = new Map<string, string[]>();
  for (const k of existing) {
    const pk = portKey(st.endpointslices[k].ports);
    const l = byPorts.get(pk);
    if (l) l.push(k);
    else byPorts.set(pk, [k]);
  }
  const plan: SlicePlan = { create: [], update: [], remove: [] };
  for (const [pk, g] of desired) {
    const r = reconcileByPorts(st, byPorts.get(pk) ?? [], g);
    plan.create.push(...r.create);
    plan.update.push(...r.update);
    plan.remove.push(...r.remove);
  }
  for (const [pk, keys] of byPorts) if (!desired.has(pk)) plan.remove.push(...keys);
  if (placeholder && existing.length === plan.remove.length && plan.create.length < 1) plan.create.push({ ports: [], endpoints: [] });
  // finalize: a create and a delete become an update of the slice that would go
  while (plan.remove.length && plan.create.length) plan.update.push({ ...plan.create.pop()!, from: plan.remove.shift()! });
  return plan;
}

/** A slice's body (`null` for an empty list, as served). */
export function sliceBody(d: Draft): Pick<EndpointSlice, "addressType" | "endpoints" | "ports"> {
  return { addressType: "IPv4", endpoints: d.endpoints.length ? d.endpoints : null, ports: d.ports.length ? d.ports : null };
}

/** Whether a slice's body differs from a draft's (what the apiserver bumps `generation` for). */
export function bodyChanged(cur: EndpointSlice, d: Draft): boolean {
  const b = sliceBody(d);
  return !canonicalEqual({ a: cur.addressType, e: cur.endpoints, p: cur.ports }, { a: b.addressType, e: b.endpoints, p: b.ports });
}

/** Bring the Service's managed slices (keys in `existing`) to what its pods say; returns whether anything was written. */
export function syncServiceSlices(st: ClusterState, svc: Service, pods: PodRec[], selects: (p: PodRec) => boolean, existing: string[]): boolean {
  const { create, update, remove } = planSlices(st, existing, desiredGroups(st, svc, pods, selects), true);
  if (!create.length && !update.length && !remove.length) return false;
  const now = rfc3339(st.now);
  for (const k of remove) delete st.endpointslices[k];
  for (const d of update) {
    const cur = st.endpointslices[d.from!];
    const meta = { ...cur.metadata, resourceVersion: nextRV(st), annotations: { ...(cur.metadata.annotations ?? {}), [TRIGGER]: now } };
    if (bodyChanged(cur, d)) meta.generation = (cur.metadata.generation ?? 1) + 1;
    st.endpointslices[d.from!] = { apiVersion: SLICE_API_VERSION, kind: "EndpointSlice", metadata: meta, ...sliceBody(d) };
  }
  for (const d of create) {
    const s = newSlice(st, svc, d, now);
    st.endpointslices[key(s.metadata.namespace!, s.metadata.name)] = s;
  }
  return true;
}

/** reconcileByPortMapping: keep, refresh or drop the endpoints of existing slices, then fill and create. */
function reconcileByPorts(st: ClusterState, keys: string[], g: Group): { create: Draft[]; update: Draft[]; remove: string[] } {
  const left = new Map(g.endpoints);
  const work = new Map<string, Draft>();
  const unchanged: string[] = [];
  const remove: string[] = [];
  for (const k of keys) {
    const s = st.endpointslices[k];
    const kept: SliceEndpoint[] = [];
    let updated = false;
    for (const e of s.endpoints ?? []) {
      const id = identity(e);
      const want = left.get(id);
      if (!want) continue;
      kept.push(want);
      if (!canonicalEqual(want, e)) updated = true;
      left.delete(id);
    }
    if (updated || kept.length !== (s.endpoints ?? []).length) {
      if (kept.length === 0) remove.push(k);
      else work.set(k, { from: k, ports: g.ports, endpoints: kept });
    } else unchanged.push(k);
  }
  // fill the slices being updated, fullest first
  for (const d of [...work.values()].sort((a, b) => b.endpoints.length - a.endpoints.length))
    for (const [id, e] of left) {
      if (d.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) break;
      d.endpoints.push(e);
      left.delete(id);
    }
  const create: Draft[] = [];
  while (left.size) {
    let fill: Draft | undefined;
    if (left.size < MAX_ENDPOINTS_PER_SLICE && unchanged.length) {
      // getSliceToFill: the unchanged slice that the rest brings closest to full
      let best: string | undefined;
      let bestDiff = MAX_ENDPOINTS_PER_SLICE;
      for (const k of unchanged) {
        const diff = MAX_ENDPOINTS_PER_SLICE - (left.size + (st.endpointslices[k].endpoints ?? []).length);
        if (diff >= 0 && diff < bestDiff) [best, bestDiff] = [k, diff];
      }
      if (best) {
        unchanged.splice(unchanged.indexOf(best), 1);
        fill = { from: best, ports: g.ports, endpoints: [...(st.endpointslices[best].endpoints ?? [])] };
        work.set(best, fill);
      }
    }
    if (!fill) create.push((fill = { ports: g.ports, endpoints: [] }));
    for (const [id, e] of left) {
      if (fill.endpoints.length >= MAX_ENDPOINTS_PER_SLICE) break;
      fill.endpoints.push(e);
      left.delete(id);
    }
  }
  return { create, update: [...work.values()], remove };
}

/** A new slice of the Service's (newEndpointSlice, named by the apiserver). */
function newSlice(st: ClusterState, svc: Service, d: Draft, now: string): EndpointSlice {
  const { name, prefix, uid } = sliceName(st, svc.metadata.namespace!, svc.metadata.name, svc.metadata.uid);
  return {
    apiVersion: SLICE_API_VERSION,
    kind: "EndpointSlice",
    metadata: {
      name,
      generateName: prefix,
      namespace: svc.metadata.namespace!,
      uid,
      resourceVersion: nextRV(st),
      generation: 1,
      creationTimestamp: now,
      labels: { [SERVICE_NAME_LABEL]: svc.metadata.name, [MANAGED_BY_LABEL]: CONTROLLER_NAME },
      annotations: { [TRIGGER]: now },
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: svc.metadata.name, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    ...sliceBody(d),
  };
}

/**
 * The name the apiserver gives a new slice from its generateName (`<owner>-`, or the owner's name when that is too
 * long for a name), and its uid. They come from a stream of their own, seeded by the cluster's seed, the owner and
 * the moment, so that slices do not shift the cluster's random sequence (pod names, ClusterIPs).
 */
export function sliceName(st: ClusterState, ns: string, owner: string, ownerUid: string): { name: string; prefix: string; uid: string } {
  const rng = seedRng(parseInt(hex64(`endpointslice/${st.seed}/${ownerUid}/${st.rv}`).slice(0, 8), 16));
  const prefix = owner.length + 1 <= 253 - 5 ? `${owner}-` : owner;
  let name = prefix + nameSuffix(rng);
  while (st.endpointslices[key(ns, name)]) name = prefix + nameSuffix(rng);
  return { name, prefix, uid: newUid(rng) };
}

/** The garbage collector's part when a Service goes: the slices it owns go too. */
export function deleteOwnedSlices(st: ClusterState, svc: Service): void {
  for (const [k, s] of tableEntries(st.endpointslices)) if (s.metadata.ownerReferences?.some((o) => o.uid === svc.metadata.uid)) delete st.endpointslices[k];
}

/**
 * The slice the kube-apiserver's endpoint reconciler writes beside the `kubernetes` Endpoints
 * (pkg/master/reconcilers/endpointsadapter.go): same name, the service-name label only, the master's address.
 */
export function apiserverSlice(name: string, meta: { uid: string; resourceVersion: string; creationTimestamp: string }, ip: string, port: number): EndpointSlice {
  return {
    apiVersion: SLICE_API_VERSION,
    kind: "EndpointSlice",
    metadata: { name, namespace: "default", ...meta, generation: 1, labels: { [SERVICE_NAME_LABEL]: name } },
    addressType: "IPv4",
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: "https", protocol: "TCP", port }],
  };
}

// ---- The stored form: a slice the controller (or the apiserver) wrote, as what does not follow from the rest ----

/** [uid, resourceVersion, generation, creationTimestamp, trigger time or null, the endpoints' pod names]. */
type BriefSlice = { "=svc": [string, string, number, string, string | null, string[]] };
/** [uid, resourceVersion, creationTimestamp]: the apiserver's `kubernetes` slice. */
type BriefApiserver = { "=apiserver": [string, string, string] };

/** The stored form of a slice, or undefined when it does not rebuild exactly from its Service and pods. */
export function compactSlice(st: ClusterState, k: string, s: EndpointSlice): unknown {
  const m = s.metadata;
  let brief: BriefSlice | BriefApiserver;
  if (k === "default/kubernetes" && !isManagedSlice(s)) brief = { "=apiserver": [m.uid, m.resourceVersion, m.creationTimestamp] };
  else if (isManagedSlice(s)) {
    const names: string[] = [];
    for (const e of s.endpoints ?? []) {
      if (e.targetRef?.kind !== "Pod" || e.targetRef.namespace !== m.namespace) return undefined;
      names.push(e.targetRef.name);
    }
    brief = { "=svc": [m.uid, m.resourceVersion, m.generation ?? 1, m.creationTimestamp, m.annotations?.[TRIGGER] ?? null, names] };
  } else return undefined;
  const back = expandSlice(st, k, brief);
  return back && canonicalEqual(back, s) ? brief : undefined;
}

/** A stored slice as it was (undefined when a brief one's Service or pods are not there). */
export function expandSlice(st: ClusterState, k: string, stored: unknown): EndpointSlice | undefined {
  const i = k.indexOf("/");
  const ns = k.slice(0, i), name = k.slice(i + 1);
  const api = (stored as BriefApiserver)["=apiserver"];
  if (api) {
    const master = st.topo.nodes.find(isMaster) ?? st.topo.nodes[0];
    return apiserverSlice(name, { uid: api[0], resourceVersion: api[1], creationTimestamp: api[2] }, master.ip, 6443);
  }
  const b = (stored as BriefSlice)["=svc"];
  if (!b) return stored as EndpointSlice;
  const [uid, rv, generation, ct, trigger, names] = b;
  const svcName = name.slice(0, name.lastIndexOf("-"));
  const svc = st.services[key(ns, svcName)];
  if (!svc) return undefined;
  const endpoints: SliceEndpoint[] = [];
  for (const n of names) {
    const p = st.pods[key(ns, n)];
    if (!p?.ip) return undefined;
    endpoints.push(podEndpoint(st, svc, p));
  }
  const ports = names.length ? podPorts(st, svc, st.pods[key(ns, names[0])]) : [];
  const meta: EndpointSlice["metadata"] = {
    name,
    generateName: `${svcName}-`,
    namespace: ns,
    uid,
    resourceVersion: rv,
    generation,
    creationTimestamp: ct,
    labels: { [SERVICE_NAME_LABEL]: svcName, [MANAGED_BY_LABEL]: CONTROLLER_NAME },
  };
  if (trigger !== null) meta.annotations = { [TRIGGER]: trigger };
  meta.ownerReferences = [{ apiVersion: "v1", kind: "Service", name: svcName, uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }];
  return { apiVersion: SLICE_API_VERSION, kind: "EndpointSlice", metadata: meta, addressType: "IPv4", endpoints: endpoints.length ? endpoints : null, ports: ports.length ? ports : null };
}

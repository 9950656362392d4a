// The EndpointSliceMirroring controller, new in v1.19 (pkg/controller/endpointslicemirroring): the Endpoints of a
// Service without a selector (written by hand, as for an external database) are mirrored to EndpointSlices —
// `<endpoints>-<5 chars>`, owned by the Endpoints, with its labels and annotations plus `kubernetes.io/service-name`
// and `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`; each address an endpoint,
// ready for `addresses`, not ready for `notReadyAddresses`, its nodeName as topology. Not mirrored: Endpoints without
// such a Service, labelled `endpointslice.kubernetes.io/skip-mirror: "true"` (the apiserver's `kubernetes`), or
// carrying a leader-election record. No placeholder: Endpoints without addresses have no slice.
import type { EndpointSlice, Endpoints, Service, SliceEndpoint, SlicePort } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { key, tableEntries } from "../state.ts";
import { nextRV } from "../store.ts";
import { canonicalEqual } from "../hash.ts";
import { rfc3339 } from "../clock.ts";
import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, SLICE_API_VERSION, type Group, bodyChanged, identity, planSlices, portKey, sliceBody, sliceName } from "./endpointslice.ts";

export const MIRROR_CONTROLLER_NAME = "endpointslicemirroring-controller.k8s.io";
const SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";
const LEADER = "control-plane.alpha.kubernetes.io/leader";

/** The Service whose Endpoints these are, when they are to be mirrored. */
function mirrored(st: ClusterState, k: string, ep: Endpoints | undefined): Service | undefined {
  const svc = st.services[k];
  if (!ep || !svc) return undefined;
  // (an empty selector is no selector: the apiserver stores none)
  if (svc.spec.selector && Object.keys(svc.spec.selector).length) return undefined;
  if (ep.metadata.labels?.[SKIP_MIRROR] === "true" || ep.metadata.annotations?.[LEADER] !== undefined) return undefined;
  return svc;
}

/** The endpoints each subset asks for, by port set (epPortsToEpsPorts, addressToEndpoint). */
function desired(ep: Endpoints): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const ss of ep.subsets ?? []) {
    const ports: SlicePort[] = (ss.ports ?? []).map((p) => ({ name: p.name ?? "", port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
    const k = portKey(ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports, endpoints: new Map() }));
    for (const [list, ready] of [[ss.addresses, true], [ss.notReadyAddresses, false]] as const)
      for (const a of list ?? []) {
        if (a.ip.includes(":")) continue; // IPv6: another address type, not in this cluster
        const e: SliceEndpoint = { addresses: [a.ip], conditions: { ready } };
        if (a.hostname) e.hostname = a.hostname;
        if (a.targetRef) e.targetRef = { ...a.targetRef };
        if (a.nodeName) e.topology = { "kubernetes.io/hostname": a.nodeName };
        g.endpoints.set(identity(e), e);
      }
    if (!g.endpoints.size) groups.delete(k);
  }
  return groups;
}

/** The metadata the controller gives a mirrored slice, besides its identity. */
function sliceMeta(ep: Endpoints): Pick<EndpointSlice["metadata"], "labels" | "annotations" | "ownerReferences"> {
  const labels = { ...(ep.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY_LABEL]: MIRROR_CONTROLLER_NAME };
  const out: Pick<EndpointSlice["metadata"], "labels" | "annotations" | "ownerReferences"> = { labels };
  if (ep.metadata.annotations && Object.keys(ep.metadata.annotations).length) out.annotations = { ...ep.metadata.annotations };
  out.ownerReferences = [{ apiVersion: "v1", kind: "Endpoints", name: ep.metadata.name, uid: ep.metadata.uid, controller: true, blockOwnerDeletion: true }];
  return out;
}

/**
 * Mirror the Endpoints that changed since `since` (a resourceVersion), or whose Service or mirrored slices did, or
 * that lack their slices; delete the mirrored slices of Endpoints that went or are no longer to be mirrored.
 */
export function syncMirroredSlices(st: ClusterState, since: number): void {
  const own = new Map<string, string[]>();
  for (const [k, s] of tableEntries(st.endpointslices)) {
    if (s.metadata.labels?.[MANAGED_BY_LABEL] !== MIRROR_CONTROLLER_NAME) continue;
    const ek = key(s.metadata.namespace!, s.metadata.labels[SERVICE_NAME_LABEL] ?? "");
    const l = own.get(ek);
    if (l) l.push(k);
    else own.set(ek, [k]);
  }
  const newer = (o: { metadata: { resourceVersion: string } } | undefined) => !!o && Number(o.metadata.resourceVersion) > since;
  for (const k of new Set([...Object.keys(st.endpoints), ...own.keys()])) {
    const ep = st.endpoints[k];
    const slices = own.get(k) ?? [];
    const svc = mirrored(st, k, ep);
    if (!svc) {
      for (const sk of slices) delete st.endpointslices[sk];
      continue;
    }
    if (!newer(ep) && !newer(st.services[k]) && !slices.some((sk) => newer(st.endpointslices[sk])) && (slices.length || !ep!.subsets?.length)) continue;
    syncOne(st, ep!, slices);
  }
}

function syncOne(st: ClusterState, ep: Endpoints, existing: string[]): void {
  const ns = ep.metadata.namespace!;
  const plan = planSlices(st, existing, desired(ep), false);
  const meta = sliceMeta(ep);
  // slices whose endpoints stay but whose labels or annotations no longer follow the Endpoints' are updated too
  for (const k of existing) {
    if (plan.remove.includes(k) || plan.update.some((d) => d.from === k)) continue;
    const s = st.endpointslices[k];
    if (!canonicalEqual(pickMeta(s.metadata), pickMeta(meta))) plan.update.push({ from: k, ports: s.ports ?? [], endpoints: s.endpoints ?? [] });
  }
  for (const k of plan.remove) delete st.endpointslices[k];
  for (const d of plan.update) {
    const cur = st.endpointslices[d.from!];
    const m: EndpointSlice["metadata"] = { ...cur.metadata, resourceVersion: nextRV(st) };
    delete m.annotations;
    Object.assign(m, meta);
    if (bodyChanged(cur, d)) m.generation = (cur.metadata.generation ?? 1) + 1;
    st.endpointslices[d.from!] = { apiVersion: SLICE_API_VERSION, kind: "EndpointSlice", metadata: m, ...sliceBody(d) };
  }
  for (const d of plan.create) {
    const { name, prefix, uid } = sliceName(st, ns, ep.metadata.name, ep.metadata.uid);
    st.endpointslices[key(ns, name)] = {
      apiVersion: SLICE_API_VERSION,
      kind: "EndpointSlice",
      metadata: { name, generateName: prefix, namespace: ns, uid, resourceVersion: nextRV(st), generation: 1, creationTimestamp: rfc3339(st.now), ...meta },
      ...sliceBody(d),
    };
  }
}

function pickMeta(m: Pick<EndpointSlice["metadata"], "labels" | "annotations" | "ownerReferences">) {
  return { l: m.labels ?? {}, a: m.annotations ?? {}, o: m.ownerReferences ?? [] };
}


// ---- The stored form: a mirrored slice as its identity, when the Endpoints it mirrors rebuild the rest ----

/** [uid, resourceVersion, generation, creationTimestamp] of the one slice of its Endpoints. */
type BriefMirror = { "=ep": [string, string, number, string] };

export function isMirroredSlice(s: EndpointSlice): boolean {
  return s.metadata.labels?.[MANAGED_BY_LABEL] === MIRROR_CONTROLLER_NAME;
}

/** The stored form of a mirrored slice, or undefined when it does not rebuild exactly from its Endpoints. */
export function compactMirrored(st: ClusterState, k: string, s: EndpointSlice): BriefMirror | undefined {
  if (!isMirroredSlice(s)) return undefined;
  const m = s.metadata;
  const brief: BriefMirror = { "=ep": [m.uid, m.resourceVersion, m.generation ?? 1, m.creationTimestamp] };
  const back = expandMirrored(st, k, brief);
  return back && canonicalEqual(back, s) ? brief : undefined;
}

/** A stored mirrored slice rebuilt from its Endpoints (undefined when `stored` is not one, or they are gone). */
export function expandMirrored(st: ClusterState, k: string, stored: unknown): EndpointSlice | undefined {
  const b = (stored as BriefMirror)["=ep"];
  if (!b) return undefined;
  const i = k.indexOf("/");
  const ns = k.slice(0, i), name = k.slice(i + 1);
  const ep = st.endpoints[key(ns, name.slice(0, name.lastIndexOf("-")))];
  if (!ep) return undefined;
  const groups = [...desired(ep).values()];
  if (groups.length !== 1) return undefined;
  const [uid, rv, generation, ct] = b;
  return {
    apiVersion: SLICE_API_VERSION,
    kind: "EndpointSlice",
    metadata: { name, generateName: `${ep.metadata.name}-`, namespace: ns, uid, resourceVersion: rv, generation, creationTimestamp: ct, ...sliceMeta(ep) },
    ...sliceBody({ ports: groups[0].ports, endpoints: [...groups[0].endpoints.values()] }),
  };
}

// Admission per kind: defaulting, validation with upstream messages, and the registry work (ClusterIP and
// NodePort allocation). Each function builds the new object without touching the cluster until it is valid, so a
// rejected request changes nothing.
import { stripTemplateDefaults, withPodDefaults } from "./server-defaults.ts";
import type { Deployment, Endpoints, Namespace, Pod, ReplicaSet, Service } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import type { FieldError } from "../errors.ts";
import { KubeError, invalid } from "../errors.ts";
import { key } from "../state.ts";
import { metaForCreate, metaForUpdate } from "./meta.ts";
import { allocateClusterIP, allocateNodePort, checkClusterIP, checkNodePort, usedNodePorts } from "./allocators.ts";
import { defaultDeployment, defaultEndpoints, defaultPod, defaultReplicaSet, defaultService } from "../validation/defaults.ts";
import { serviceUpdateClearedFields, validateServiceCreate, validateServiceUpdate } from "../validation/service.ts";
import { validateDeployment, validateDeploymentUpdate, validatePod, validateReplicaSet } from "../validation/workloads.ts";
import { validateEndpoints, validateEndpointsUpdate } from "../validation/endpoints.ts";
import { canonicalEqual, sortKeysDeep } from "../hash.ts";
import { validateNamespaceName, validateObjectMeta } from "../validation/fielderrors.ts";

type Obj = Record<string, unknown>;

function fail(kind: string, name: string, errs: FieldError[]): void {
  if (errs.length) throw invalid(kind, name, errs);
}

// ---- Service ----

export function admitService(st: ClusterState, input: Obj, name: string, ns: string, existing?: Service): Service {
  const defaulted = defaultService(input);
  // Leaving NodePort/LoadBalancer clears externalTrafficPolicy and healthCheckNodePort (v1.19 Service storage).
  const svc = (existing ? serviceUpdateClearedFields(defaulted, existing) : defaulted) as unknown as Service;
  svc.metadata = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, ns);
  svc.apiVersion = "v1";
  svc.kind = "Service";
  fail("Service", name, existing ? validateServiceUpdate(svc, existing) : validateServiceCreate(svc));
  const selfKey = key(ns, name);
  const spec = svc.spec;
  const errs: FieldError[] = [];
  // ClusterIP: none for ExternalName; user's choice checked; otherwise kept or allocated.
  if (spec.type === "ExternalName") {
    delete spec.clusterIP;
  } else if (spec.clusterIP && spec.clusterIP !== existing?.spec.clusterIP) {
    if (spec.clusterIP !== "None") {
      const e = checkClusterIP(st, spec.clusterIP, selfKey);
      if (e) errs.push(e);
    }
  } else if (!spec.clusterIP) {
    spec.clusterIP = existing?.spec.clusterIP && existing.spec.clusterIP !== "" ? existing.spec.clusterIP : allocateClusterIP(st);
  }
  // NodePorts for NodePort and LoadBalancer; same `port` number reuses the requested nodePort.
  const used = usedNodePorts(st);
  const oldPorts = new Set((existing?.spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
  if (spec.type === "NodePort" || spec.type === "LoadBalancer") {
    const byPort = new Map<number, number>();
    (spec.ports ?? []).forEach((p, i) => {
      if (p.nodePort) {
        if (!oldPorts.has(p.nodePort) && !byPort.has(p.port)) {
          const e = checkNodePort(st, p.nodePort, `spec.ports[${i}].nodePort`, used);
          if (e) errs.push(e);
        }
        used.add(p.nodePort);
        byPort.set(p.port, p.nodePort);
      }
    });
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      p.nodePort = byPort.get(p.port) ?? allocateNodePort(st, used);
      used.add(p.nodePort);
      byPort.set(p.port, p.nodePort);
    }
    if (spec.type === "LoadBalancer" && spec.externalTrafficPolicy === "Local") {
      spec.healthCheckNodePort = existing?.spec.healthCheckNodePort ?? spec.healthCheckNodePort ?? allocateNodePort(st, used);
    } else delete spec.healthCheckNodePort;
  }
  fail("Service", name, errs);
  svc.status = existing?.status && spec.type === "LoadBalancer" ? existing.status : { loadBalancer: {} };
  return svc;
}

// ---- Workloads ----

export function admitDeployment(st: ClusterState, input: Obj, name: string, ns: string, existing?: Deployment): Deployment {
  const d = defaultDeployment(stripTemplateDefaults(input)) as Deployment;
  // One key order for a spec whatever the manifest's order (kubectl -o yaml sorts keys anyway), so the stored
  // form can rebuild it from the last-applied configuration byte for byte.
  d.spec = sortKeysDeep(d.spec);
  d.apiVersion = "apps/v1";
  d.kind = "Deployment";
  d.metadata = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, ns);
  fail("Deployment", name, existing ? validateDeploymentUpdate(d, existing) : validateDeployment(d));
  const specChanged = !existing || !canonicalEqual(existing.spec, d.spec);
  d.metadata.generation = (existing?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
  d.status = existing?.status ?? {};
  return d;
}

export function admitReplicaSet(st: ClusterState, input: Obj, name: string, ns: string, existing?: ReplicaSet): ReplicaSet {
  const rs = defaultReplicaSet(stripTemplateDefaults(input)) as ReplicaSet;
  rs.apiVersion = "apps/v1";
  rs.kind = "ReplicaSet";
  rs.metadata = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, ns);
  if (existing?.metadata.ownerReferences && !rs.metadata.ownerReferences) rs.metadata.ownerReferences = existing.metadata.ownerReferences;
  fail("ReplicaSet", name, validateReplicaSet(rs));
  rs.metadata.generation = (existing?.metadata.generation ?? 0) + 1;
  rs.status = existing?.status ?? { replicas: 0 };
  return rs;
}

const POD_UPDATE_FORBIDDEN =
  "pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` (only additions to existing tolerations)";

/** A new pod record from a manifest, or the updated record of an existing pod. */
export function admitPod(st: ClusterState, input: Obj, name: string, ns: string, existing?: { rec: PodRec; obj: Pod }): PodRec {
  const pod = defaultPod(input) as Pod;
  pod.apiVersion = "v1";
  pod.kind = "Pod";
  pod.metadata = existing ? metaForUpdate(st, input, existing.obj.metadata) : metaForCreate(st, input, name, ns);
  fail("Pod", name, validatePod(pod));
  if (existing) {
    const strip = (s: Pod["spec"]) => ({ ...s, nodeName: undefined, containers: s.containers.map((c) => ({ ...c, image: "" })) });
    if (!canonicalEqual(strip(withPodDefaults(pod, st).spec), strip(withPodDefaults(existing.obj, st).spec)))
      throw invalid("Pod", name, [{ field: "spec", type: "Forbidden", detail: POD_UPDATE_FORBIDDEN }]);
    const rec: PodRec = { ...existing.rec, rv: Number(pod.metadata.resourceVersion) };
    rec.labels = pod.metadata.labels;
    rec.annotations = pod.metadata.annotations;
    if (!rec.labels) delete rec.labels;
    if (!rec.annotations) delete rec.annotations;
    const images = pod.spec.containers.map((c) => c.image);
    const oldImages = existing.obj.spec.containers.map((c) => c.image);
    if (images.join() !== oldImages.join()) {
      if (rec.spec) rec.spec = { ...rec.spec, containers: rec.spec.containers.map((c, i) => ({ ...c, image: images[i] })) };
      else rec.spec = { ...pod.spec, nodeName: undefined };
    }
    return rec;
  }
  const spec = { ...pod.spec };
  const node = spec.nodeName;
  delete spec.nodeName;
  const rec: PodRec = {
    name,
    ns,
    uid: pod.metadata.uid,
    rv: Number(pod.metadata.resourceVersion),
    ct: st.now,
    spec,
    phase: "Pending",
    ready: false,
    readyAt: st.now,
    c: spec.containers.map(() => ({ state: "waiting", reason: "ContainerCreating", ready: false, restarts: 0, startedAt: st.now })),
  };
  if (pod.metadata.labels) rec.labels = pod.metadata.labels;
  if (pod.metadata.annotations) rec.annotations = pod.metadata.annotations;
  if (node) rec.node = node;
  return rec;
}

// ---- Endpoints / Namespace ----

export function admitEndpoints(st: ClusterState, input: Obj, name: string, ns: string, existing?: Endpoints): Endpoints {
  const ep = defaultEndpoints(input) as Endpoints;
  ep.apiVersion = "v1";
  ep.kind = "Endpoints";
  ep.metadata = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, ns);
  fail("Endpoints", name, existing ? validateEndpointsUpdate(ep, existing) : validateEndpoints(ep));
  return ep;
}

export function admitNamespace(st: ClusterState, input: Obj, name: string, existing?: Namespace): Namespace {
  fail("Namespace", name, validateObjectMeta({ ...((input.metadata as Obj) ?? {}), name }, { nameFn: validateNamespaceName, requiresNamespace: false }));
  const meta = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, undefined);
  return { apiVersion: "v1", kind: "Namespace", metadata: meta, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
}

export { KubeError };

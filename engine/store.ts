// Object storage over ClusterState: typed lookups per kind, resourceVersions, uids, events, and the
// materialisation of compact pod records into v1 Pods.
import type { AnyObject, ContainerStatus, KubeEvent, ObjectMeta, Pod, PodCondition, PodSpec } from "./objects.ts";
import type { ClusterState, ContainerRt, PodRec } from "./state.ts";
import { KubeError } from "./errors.ts";
import type { Kind } from "./types.ts";
import { rfc3339 } from "./clock.ts";
import { uid as newUid } from "./rng.ts";
import { key, own, tableValues } from "./state.ts";
import { notFound } from "./errors.ts";
import { resourceFor } from "./resources.ts";
import { hex64 } from "./hash.ts";
import { memoize } from "./memo.ts";
import { structuredCloneJson } from "./apiserver/merge.ts";

export function nextRV(st: ClusterState): string {
  st.rv += 1;
  return String(st.rv);
}

export function newMeta(st: ClusterState, name: string, namespace: string | undefined): ObjectMeta {
  const meta: ObjectMeta = { name, uid: newUid(st.rng), resourceVersion: nextRV(st), creationTimestamp: rfc3339(st.now) };
  if (namespace !== undefined) meta.namespace = namespace;
  return meta;
}

type Table = Record<string, AnyObject>;

/** The table holding a kind (pods excepted: they are compact records). */
export function tableFor(st: ClusterState, kind: Exclude<Kind, "Pod">): Table {
  switch (kind) {
    case "Namespace":
      return st.namespaces as Table;
    case "Node":
      return st.nodes as Table;
    case "Deployment":
      return st.deployments as Table;
    case "ReplicaSet":
      return st.replicasets as Table;
    case "DaemonSet":
      return st.daemonsets as Table;
    case "Service":
      return st.services as Table;
    case "Endpoints":
      return st.endpoints as Table;
    case "EndpointSlice":
      return st.endpointslices as Table;
    case "Event":
    // events are records, not stored objects (engine/events.ts), and Leases, ServiceAccounts and Secrets are
    // derived on read (engine/derived.ts): nothing writes them through the store
    case "Lease":
    case "ServiceAccount":
    case "Secret":
      throw new KubeError("MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}

export function objKey(kind: Kind, name: string, namespace: string | undefined): string {
  return resourceFor(kind).namespaced ? key(namespace ?? "default", name) : name;
}

export function findObject(st: ClusterState, kind: Kind, name: string, namespace?: string): AnyObject | undefined {
  const k = objKey(kind, name, namespace);
  if (kind === "Pod") {
    const p = own(st.pods, k);
    return p ? materializePod(st, p) : undefined;
  }
  return own(tableFor(st, kind), k);
}

export function getObject(st: ClusterState, kind: Kind, name: string, namespace?: string): AnyObject {
  const o = findObject(st, kind, name, namespace);
  if (!o) throw notFound(resourceFor(kind).qualified, name);
  return o;
}

/** Objects of a kind (in one namespace, or all), optionally only those whose labels match; sorted by ns/name. */
export function listObjects(st: ClusterState, kind: Kind, namespace?: string, match?: (labels: Record<string, string> | undefined) => boolean): AnyObject[] {
  const inNs = namespace === undefined || !resourceFor(kind).namespaced ? undefined : namespace;
  let out: AnyObject[];
  if (kind === "Pod") {
    // Filter the compact records first: only the pods asked for are materialised.
    return listPodRecords(st, inNs, match).map((p) => materializePod(st, p));
  } else {
    out = Object.values(tableFor(st, kind)).filter((o) => (inNs === undefined || o.metadata.namespace === inNs) && (!match || match(o.metadata.labels)));
  }
  return out.sort(compareObjects);
}

/** The pod records listObjects materialises for Pods (in one namespace, or all; matching labels), in its order. */
export function listPodRecords(st: ClusterState, namespace?: string, match?: (labels: Record<string, string> | undefined) => boolean): PodRec[] {
  const out: PodRec[] = [];
  for (const p of tableValues(st.pods)) if ((namespace === undefined || p.ns === namespace) && (!match || match(p.labels))) out.push(p);
  return out.sort(compareRecords);
}

function compareRecords(a: PodRec, b: PodRec): number {
  if (a.ns !== b.ns) return a.ns < b.ns ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function compareObjects(a: AnyObject, b: AnyObject): number {
  const an = a.metadata.namespace ?? "";
  const bn = b.metadata.namespace ?? "";
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

// ---- Pods ----

export function podSpec(st: ClusterState, p: PodRec): PodSpec {
  if (p.spec) return p.spec;
  const owner = p.owner?.kind === "DaemonSet" ? st.daemonsets[key(p.ns, p.owner.name)] : p.owner ? st.replicasets[key(p.ns, p.owner.name)] : undefined;
  if (!owner) throw new Error(`pod ${p.ns}/${p.name} has neither a spec nor its ReplicaSet`);
  return owner.spec.template.spec;
}

/** The image a container status names (the tag made explicit); one string per image, shared by every pod. */
const imageRef = memoize((image: string) => (/[:@]/.test(image.split("/").pop() ?? "") ? image : `${image}:latest`), 1000);
const imageID = memoize((img: string) => `docker-pullable://${img.split(":")[0]}@sha256:${hex64(img)}`, 1000);

function containerStatus(image: string, name: string, c: ContainerRt, podUid: string): ContainerStatus {
  const state: ContainerStatus["state"] =
    c.state === "running"
      ? { running: { startedAt: rfc3339(c.startedAt) } }
      : c.state === "waiting"
        ? { waiting: { reason: c.reason ?? "ContainerCreating" } }
        : { terminated: { exitCode: c.lastExit?.code ?? 0, reason: c.reason ?? "Completed" } };
  const lastState: ContainerStatus["state"] = c.lastExit
    ? {
        terminated: {
          exitCode: c.lastExit.code,
          reason: c.lastExit.reason,
          startedAt: rfc3339(c.lastExit.startedAt),
          finishedAt: rfc3339(c.lastExit.finishedAt),
        },
      }
    : {};
  const img = imageRef(image);
  return {
    name,
    image: img,
    imageID: imageID(img),
    containerID: `docker://${hex64(`${podUid}/${name}/${c.restarts}`)}`,
    ready: c.ready,
    started: c.state === "running",
    restartCount: c.restarts,
    state,
    lastState,
  };
}

/** Whether the materialised pod's Ready condition is True (materializePod writes it only for a scheduled pod). */
export function podRecordReady(p: PodRec): boolean {
  return !!p.node && !!p.ready;
}

export function materializePod(st: ClusterState, p: PodRec): Pod {
  const spec = podSpec(st, p);
  // Everything here is a fresh object (the spec is copied: it may be the ReplicaSet's template), so callers may keep it.
  return { apiVersion: "v1", kind: "Pod", metadata: podMetadata(st, p), spec: { ...structuredCloneJson(spec), ...(p.node ? { nodeName: p.node } : {}) }, status: podStatus(st, p, spec) };
}

/** A materialised pod's metadata (fresh objects). */
export function podMetadata(st: ClusterState, p: PodRec): ObjectMeta {
  const meta: ObjectMeta = {
    name: p.name,
    namespace: p.ns,
    uid: p.uid,
    resourceVersion: String(p.rv),
    creationTimestamp: rfc3339(p.ct),
  };
  if (p.generateName) meta.generateName = p.generateName;
  if (p.labels && Object.keys(p.labels).length) meta.labels = { ...p.labels };
  if (p.annotations && Object.keys(p.annotations).length) meta.annotations = { ...p.annotations };
  if (p.deleting !== undefined) {
    meta.deletionTimestamp = rfc3339(p.deleting);
    meta.deletionGracePeriodSeconds = p.grace ?? 30;
  }
  if (p.owner?.kind === "Node")
    meta.ownerReferences = [{ apiVersion: "v1", kind: "Node", name: p.owner.name, uid: st.nodes[p.owner.name]?.metadata.uid ?? p.owner.uid, controller: true }];
  else if (p.owner)
    meta.ownerReferences = [
      { apiVersion: "apps/v1", kind: p.owner.kind, name: p.owner.name, uid: p.owner.uid, controller: true, blockOwnerDeletion: true },
    ];
  return meta;
}

/** A materialised pod's status (fresh objects); `spec` is the pod's (podSpec). */
export function podStatus(st: ClusterState, p: PodRec, spec: PodSpec): Pod["status"] {
  const status: Pod["status"] = { phase: p.phase };
  if (p.node) {
    const ct = rfc3339(p.ct);
    const sched = rfc3339(p.start ?? p.ct);
    const allReady = p.c.every((c) => c.ready);
    const notReady = spec.containers.filter((_, i) => !p.c[i]?.ready).map((c) => c.name);
    const cond = (type: PodCondition["type"], ok: boolean, at: string): PodCondition => {
      const c: PodCondition = { type, status: ok ? "True" : "False", lastProbeTime: null, lastTransitionTime: at };
      if (!ok) {
        c.reason = "ContainersNotReady";
        c.message = `containers with unready status: [${notReady.join(" ")}]`;
      }
      return c;
    };
    status.conditions = [
      cond("Initialized", true, sched),
      cond("Ready", p.ready, rfc3339(p.readyAt)),
      cond("ContainersReady", allReady, rfc3339(p.readyAt)),
      cond("PodScheduled", true, ct),
    ];
    const node = st.nodes[p.node];
    const hostIP = node?.status.addresses.find((a) => a.type === "InternalIP")?.address;
    if (hostIP) status.hostIP = hostIP;
    if (p.ip) {
      status.podIP = p.ip;
      status.podIPs = [{ ip: p.ip }];
    }
    if (p.start !== undefined) status.startTime = rfc3339(p.start);
    status.containerStatuses = spec.containers.map((c, i) => containerStatus(c.image, c.name, p.c[i], p.uid));
    status.qosClass = "BestEffort";
  } else {
    status.conditions = [
      {
        type: "PodScheduled",
        status: "False",
        lastProbeTime: null,
        lastTransitionTime: rfc3339(p.ct),
        reason: "Unschedulable",
        message: p.unsched ?? "0/0 nodes are available.",
      },
    ];
    status.qosClass = "BestEffort";
  }
  return status;
}

// ---- Events ----

const MAX_EVENTS = 200;

export function recordEvent(
  st: ClusterState,
  obj: { kind: string; name: string; namespace?: string; uid?: string },
  type: KubeEvent["type"],
  reason: string,
  message: string,
  source: string,
): void {
  const now = rfc3339(st.now);
  const last = st.events[st.events.length - 1];
  if (
    last &&
    last.involvedObject.kind === obj.kind &&
    last.involvedObject.name === obj.name &&
    last.reason === reason &&
    last.message === message
  ) {
    last.count += 1;
    last.lastTimestamp = now;
    return;
  }
  st.events.push({
    namespace: obj.namespace ?? "default",
    involvedObject: { kind: obj.kind, name: obj.name, ...(obj.namespace ? { namespace: obj.namespace } : {}), ...(obj.uid ? { uid: obj.uid } : {}) },
    type,
    reason,
    message,
    source,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  });
  // The apiserver keeps events for an hour (--event-ttl=1h), and kubelab at most MAX_EVENTS of them.
  const cutoff = rfc3339(st.now - 3600);
  let drop = 0;
  while (drop < st.events.length && st.events[drop].lastTimestamp < cutoff) drop++;
  drop = Math.max(drop, st.events.length - MAX_EVENTS);
  if (drop > 0) st.events.splice(0, drop);
}

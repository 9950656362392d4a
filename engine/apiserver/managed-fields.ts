// `metadata.managedFields` as a v1.19 API server records them (k8s.io/apiserver handlers/fieldmanager with
// structured-merge-diff v4.0), computed when an object is read from a small record kept with it.
//
// What v1.19 does: every create, update and patch runs the field manager with the request's `fieldManager` (kubectl
// sends `kubectl-create`, `kubectl-client-side-apply`, `kubectl-label`, `kubectl-annotate`, `kubectl-edit`,
// `kubectl-set`, `kubectl-rollout`, `kubectl-patch`, `kubectl-expose`, `kubectl-run`, `kubectl-taint`, …) or, without
// one, the User-Agent's first word (`kube-controller-manager`, `kubelet`, `kube-scheduler`, `kubectl`). The fields
// the write added or changed (the object as decoded, so with its decode-time defaults; before admission and the
// registry's own changes) go to that manager — one entry per manager, `operation: Update`, the object's apiVersion,
// the time of its last write that changed something — and leave every other manager. Fields the write removed leave
// everyone. Writes that bypass the field manager move nothing: pods/binding (spec.nodeName, the PodScheduled
// condition), admission (serviceAccountName, priority, preemptionPolicy, default tolerations, the token volume),
// the registry (clusterIP, nodePorts, status.qosClass, namespace finalizers) and the scale subresource (in v1.19 it
// converts a Scale that carries no managedFields, so `kubectl scale` leaves spec.replicas to its earlier owner).
//
// What kubelab stores: nothing for what controllers write (the controller that writes a kind's status owns it; its
// time is read off the object), the creator's name for objects a student made, and the field paths of later writes
// (a label, an image) with their manager and time. Everything else is derived when the object is read.
import type { AnyObject, Pod } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import type { Kind } from "../types.ts";
import { rfc3339, parseRfc3339 } from "../clock.ts";
import { findObject, podMetadata, podSpec } from "../store.ts";
import { key, own, tableValues } from "../state.ts";
import { rememberedParts } from "../pod-reads.ts";
import { structuredCloneJson } from "./merge.ts";
import { withServerDefaults } from "./server-defaults.ts";
import { LAST_APPLIED } from "./meta.ts";
import { compareFieldMaps, fieldMap, kindSchema, SEP, toFieldsV1, type Path } from "./fieldpaths.ts";

export const KCM = "kube-controller-manager";

/** The stored record: the creator (when not derivable) and the paths later writes took, per manager. */
export interface ManagedRecord {
  /** Who created the object. */
  c?: string;
  /** [manager, time (epoch s), ...paths]: paths changed by that manager's writes, each path in one entry only. */
  u?: [string, number, ...Path[]][];
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Update";
  apiVersion: string;
  time: string;
  fieldsType: "FieldsV1";
  fieldsV1: Record<string, unknown>;
}

/** The fields the field manager never records (stripmeta.go), and `metadata` itself. */
const STRIPPED = new Set(
  ["apiVersion", "kind", "metadata"]
    .map((f) => `f:${f}`)
    .concat(["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map((f) => `f:metadata${SEP}f:${f}`)),
);

const p = (...els: string[]) => els.map((e) => (e.includes(":") && /^[fkv]:/.test(e) ? e : `f:${e}`)).join(SEP);

/**
 * Nodes the empty object of the kind already has (runtime.Object zero value as unstructured): a create adds what is
 * under them, never them, so they are no one's member (no `.`), and as empty leaves no one's field.
 */
const TEMPLATE = [p("spec", "selector"), p("spec", "template"), p("spec", "template", "metadata"), p("spec", "template", "spec"), p("spec", "template", "spec", "containers")];
const SKELETON: Record<string, Set<Path>> = {
  Pod: new Set([p("spec"), p("status"), p("spec", "containers")]),
  Deployment: new Set([p("spec"), p("status"), ...TEMPLATE, p("spec", "strategy")]),
  ReplicaSet: new Set([p("spec"), p("status"), ...TEMPLATE]),
  DaemonSet: new Set([p("spec"), p("status"), ...TEMPLATE, p("spec", "updateStrategy")]),
  Service: new Set([p("spec"), p("status"), p("status", "loadBalancer")]),
  Endpoints: new Set([]),
  Namespace: new Set([p("spec"), p("status")]),
  Node: new Set([p("spec"), p("status"), p("status", "daemonEndpoints"), p("status", "daemonEndpoints", "kubeletEndpoint"), p("status", "nodeInfo")]),
};

// Paths the rules below compare every path with (built once, not per path).
const NODE_NAME = p("spec", "nodeName");
const SPEC_VOLUMES = p("spec", "volumes");
const QOS_CLASS = p("status", "qosClass");
const PHASE = p("status", "phase");
const CONDITIONS = p("status", "conditions");
const DELETION_TIMESTAMP = p("metadata", "deletionTimestamp");
const DELETION_GRACE = p("metadata", "deletionGracePeriodSeconds");
/** What a pod's admission may add to its spec: the field and its path. */
const ADMITTED_SPEC = ["serviceAccountName", "serviceAccount", "priority", "preemptionPolicy", "tolerations", "volumes"].map((f) => [f, p("spec", f)] as const);
const SCHEDULED_CONDITION = p("status", "conditions", 'k:{"type":"PodScheduled"}');

const under = (path: Path, prefix: Path) => path === prefix || path.startsWith(prefix + SEP);

// ---- the record ----

function podRec(st: ClusterState, obj: AnyObject): PodRec | undefined {
  return st.pods[key(obj.metadata.namespace ?? "default", obj.metadata.name)];
}

function recordOf(st: ClusterState, kind: string, name: string, ns: string | undefined): ManagedRecord | undefined {
  if (kind === "Pod") return st.pods[key(ns ?? "default", name)]?.mf;
  const o = findObject(st, kind as Kind, name, ns);
  const r = o?.metadata.managedFields;
  return r && !Array.isArray(r) ? (r as ManagedRecord) : undefined;
}

function setRecord(st: ClusterState, kind: string, name: string, ns: string | undefined, r: ManagedRecord): void {
  const empty = !r.c && !r.u?.length;
  if (kind === "Pod") {
    const rec = st.pods[key(ns ?? "default", name)];
    if (!rec) return;
    if (empty) delete rec.mf;
    else rec.mf = r;
    return;
  }
  const o = findObject(st, kind as Kind, name, ns);
  if (!o) return;
  if (empty) delete o.metadata.managedFields;
  else o.metadata.managedFields = r;
}

/** The object as a reader gets it (server defaults added), without managedFields: what the field manager compares. */
export function readForm(st: ClusterState, kind: string, name: string, ns: string | undefined): AnyObject | undefined {
  if (kind === "Pod") {
    // a pod's defaulted spec and status as readers got them, when they are remembered and still its own
    // (engine/pod-reads.ts: frozen — the field manager only reads them), its metadata afresh
    const p = own(st.pods, key(ns ?? "default", name));
    const hit = p && rememberedParts(st, p);
    if (hit) return { apiVersion: "v1", kind: "Pod", metadata: podMetadata(st, p), spec: hit.spec, status: hit.status } as Pod;
  }
  const o = findObject(st, kind as Kind, name, ns);
  if (!o) return undefined;
  const copy = withServerDefaults(kind === "Pod" ? o : structuredCloneJson(o));
  delete copy.metadata.managedFields;
  return copy;
}

// ---- writes ----

/**
 * After a create by `manager`: the creator's name, and the fields it sent that the registry or admission would
 * otherwise have set (a nodePort, a clusterIP, a pod's nodeName) as its own.
 */
export function recordCreate(st: ClusterState, kind: string, name: string, ns: string | undefined, manager: string, input: Record<string, unknown>): void {
  const obj = readForm(st, kind, name, ns);
  if (!obj) return;
  // The creator is stored only when it cannot be told from the object (kubectl apply's annotation, the controller).
  const r: ManagedRecord = {};
  const rules = rulesFor(st, obj, r);
  if (rules.creator.manager !== manager) r.c = manager;
  const schema = kindSchema(obj.apiVersion, obj.kind);
  const sent = fieldMap(input, schema);
  const own = [...fieldMap(obj as never, schema).keys()].filter((path) => rules.untracked(path) && sent.has(path));
  if (own.length) r.u = [[manager, st.now, ...own]];
  setRecord(st, kind, name, ns, r);
}

/**
 * After an update or patch by `manager` (`before` is readForm of the object before it): the fields it added or
 * changed become its own and nobody else's; paths no longer in the object leave every record.
 */
export function recordUpdate(st: ClusterState, kind: string, name: string, ns: string | undefined, manager: string, before: AnyObject | undefined): void {
  const after = readForm(st, kind, name, ns);
  if (!after || !before) return;
  const schema = kindSchema(after.apiVersion, after.kind);
  // the object's paths after the write: compared with those before, then what the records may still name
  const present = fieldMap(after as never, schema);
  const cmp = compareFieldMaps(fieldMap(before as never, schema), present);
  const changed = [...cmp.added, ...cmp.modified].filter((path) => !STRIPPED.has(path));
  const r: ManagedRecord = structuredCloneJson(recordOf(st, kind, name, ns) ?? {});
  if (!changed.length && !cmp.removed.length) return;
  // The creator told from the object (by its last-applied annotation) is pinned when the write changes what tells it.
  const creator = rulesFor(st, before, r).creator.manager;
  if (!r.c && rulesFor(st, after, r).creator.manager !== creator) r.c = creator;
  const taken = new Set(changed);
  const entries = (r.u ?? []).map(([m, t, ...paths]) => [m, t, ...paths.filter((x) => present.has(x) && !taken.has(x))] as [string, number, ...Path[]]);
  if (changed.length) {
    // Paths the writer owns anyway once no record names them (its own creation's, its controller's status) are not
    // stored: the entry keeps only the time of the write.
    const rules = rulesFor(st, after, r);
    const skeleton = SKELETON[after.kind] ?? new Set<Path>();
    const own = changed.filter((x) => implicitOwner(rules, skeleton, x) !== manager);
    const mine = entries.find((e) => e[0] === manager);
    if (mine) {
      mine[1] = st.now;
      mine.push(...own);
    } else entries.push([manager, st.now, ...own]);
  }
  // An entry without paths still says when its manager last wrote.
  r.u = entries;
  if (!r.u.length) delete r.u;
  setRecord(st, kind, name, ns, r);
}

// ---- reads ----

interface Claim {
  manager: string;
  time: number;
  prefixes: Path[];
}

interface Rules {
  creator: { manager: string; time: number };
  /** Owners by prefix (the controller writing a status), over the creator. */
  claims: Claim[];
  /** Fields no tracked write set (binding, admission, the registry): no one owns them unless a record says so. */
  untracked(path: Path): boolean;
}

const secs = (t: string | undefined) => (t ? parseRfc3339(t) : 0);

function fallbackCreator(obj: AnyObject): string {
  if (obj.metadata.annotations?.[LAST_APPLIED] !== undefined) return "kubectl-client-side-apply";
  if (obj.metadata.namespace === "kube-system") return "kubeadm";
  return "kubectl-create";
}

function podTimes(st: ClusterState, ownerUid: string): number {
  let t = 0;
  for (const rec of tableValues(st.pods)) if (rec.owner?.uid === ownerUid) t = Math.max(t, rec.ct, rec.readyAt, rec.start ?? 0);
  return t;
}

function kubeletTime(rec: PodRec): number {
  let t = Math.max(rec.ct, rec.readyAt, rec.start ?? 0);
  for (const c of rec.c) t = Math.max(t, c.startedAt, c.lastExit?.finishedAt ?? 0);
  return t;
}

const NOT_TRACKED = () => false;

function rulesFor(st: ClusterState, obj: AnyObject, stored: ManagedRecord | undefined): Rules {
  const meta = obj.metadata;
  const ct = secs(meta.creationTimestamp);
  const named = (m: string) => ({ manager: stored?.c ?? m, time: ct });
  switch (obj.kind) {
    case "Pod": {
      const rec = podRec(st, obj);
      // A controller's pods have a generateName (and keep it when released); a student's pod it adopts has none.
      const creator = { manager: stored?.c ?? (rec?.owner?.kind === "Node" ? "kubelet" : rec?.generateName ? KCM : fallbackCreator(obj)), time: ct };
      const claims: Claim[] = [];
      const bound = !!rec?.node;
      if (rec && bound) claims.push({ manager: "kubelet", time: kubeletTime(rec), prefixes: [p("status")] });
      else if (rec) claims.push({ manager: "kube-scheduler", time: ct, prefixes: [p("status", "conditions")] });
      // What admission adds (serviceAccount, priority, default tolerations, the token volume) is no one's, unless the
      // pod's own spec (or its controller's template) had it already.
      const storedSpec = (rec ? podSpec(st, rec) : (obj as Pod).spec) as unknown as Record<string, unknown>;
      // A DaemonSet's pods carry its controller's tolerations in the create request itself (AddOrUpdateDaemonPodTolerations).
      const daemon = rec?.owner?.kind === "DaemonSet";
      const untrackedSpec = ADMITTED_SPEC.filter(([f]) => storedSpec[f] === undefined && !(daemon && f === "tolerations")).map(([, path]) => path);
      const scheduled = SCHEDULED_CONDITION;
      return {
        creator,
        claims,
        untracked: (path) =>
          path === NODE_NAME ||
          untrackedSpec.some((u) => under(path, u)) ||
          (/\nf:volumeMounts(\n|$)/.test(path) && untrackedSpec.includes(SPEC_VOLUMES)) ||
          path === QOS_CLASS ||
          (path === PHASE && obj.status.phase === "Pending") ||
          (bound && (path === CONDITIONS || under(path, scheduled))),
      };
    }
    case "Deployment": {
      const conds = obj.status.conditions ?? [];
      const t = Math.max(ct, ...conds.map((c) => secs(c.lastUpdateTime)));
      return {
        creator: named(fallbackCreator(obj)),
        // the revision annotation is the controller's; so is the annotations map when the controller made it (no
        // other annotation: a Deployment created without any)
        claims: [{ manager: KCM, time: t, prefixes: [p("status"), Object.keys(meta.annotations ?? {}).every((k) => k === "deployment.kubernetes.io/revision") ? p("metadata", "annotations") : p("metadata", "annotations", "deployment.kubernetes.io/revision")] }],
        untracked: NOT_TRACKED,
      };
    }
    case "ReplicaSet":
    case "DaemonSet": {
      const owned = obj.kind === "ReplicaSet" && meta.ownerReferences?.some((o) => o.kind === "Deployment" && o.controller);
      const t = Math.max(ct, podTimes(st, meta.uid));
      if (owned) return { creator: { manager: stored?.c ?? KCM, time: t }, claims: [], untracked: NOT_TRACKED };
      const creator = stored?.c ?? (meta.name === "kube-flannel-ds" && meta.namespace === "kube-system" ? "kubectl-client-side-apply" : fallbackCreator(obj));
      return { creator: { manager: creator, time: ct }, claims: [{ manager: KCM, time: t, prefixes: [p("status")] }], untracked: NOT_TRACKED };
    }
    case "Service": {
      const system = meta.namespace === "default" && meta.name === "kubernetes" ? "kube-apiserver" : undefined;
      const allocated = [p("spec", "clusterIP"), p("spec", "clusterIPs"), p("spec", "ipFamilies"), p("spec", "ipFamilyPolicy"), p("spec", "healthCheckNodePort")];
      return {
        creator: named(system ?? fallbackCreator(obj)),
        claims: [{ manager: "controller", time: ct, prefixes: [p("status")] }],
        untracked: (path) => allocated.includes(path) || (path.startsWith(p("spec", "ports") + SEP) && path.endsWith(`${SEP}f:nodePort`)),
      };
    }
    case "Endpoints": {
      const svc = st.services[key(meta.namespace ?? "default", meta.name)];
      const controlled = !!svc?.spec.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== "ExternalName";
      // The control plane's leader-election locks are written by the component holding them.
      const leader = meta.namespace === "kube-system" && (meta.name === "kube-controller-manager" || meta.name === "kube-scheduler") ? meta.name : undefined;
      const system = meta.namespace === "default" && meta.name === "kubernetes" ? "kube-apiserver" : leader;
      const trigger = secs(meta.annotations?.["endpoints.kubernetes.io/last-change-trigger-time"]);
      const creator = stored?.c ?? system ?? (controlled ? KCM : fallbackCreator(obj));
      return { creator: { manager: creator, time: creator === KCM ? Math.max(ct, trigger) : ct }, claims: [], untracked: NOT_TRACKED };
    }
    case "Namespace": {
      const system = ["default", "kube-system", "kube-public", "kube-node-lease"].includes(meta.name) ? "kube-apiserver" : undefined;
      return { creator: named(system ?? fallbackCreator(obj)), claims: [], untracked: (path) => under(path, p("spec", "finalizers")) };
    }
    case "Node": {
      const heartbeat = Math.max(ct, ...obj.status.conditions.map((c) => secs(c.lastHeartbeatTime)));
      const ann = (a: string) => p("metadata", "annotations", a);
      return {
        creator: { manager: stored?.c ?? "kubelet", time: heartbeat },
        claims: [
          { manager: "kubeadm", time: ct, prefixes: [ann("kubeadm.alpha.kubernetes.io/cri-socket"), p("metadata", "labels", "node-role.kubernetes.io/master"), p("spec", "taints")] },
          { manager: KCM, time: ct, prefixes: [ann("node.alpha.kubernetes.io/ttl"), p("spec", "podCIDR"), p("spec", "podCIDRs")] },
          {
            manager: "flanneld",
            time: ct,
            prefixes: ["backend-data", "backend-type", "kube-subnet-manager", "public-ip"].map((a) => ann(`flannel.alpha.coreos.com/${a}`)).concat(p("status", "conditions", 'k:{"type":"NetworkUnavailable"}')),
          },
        ],
        untracked: NOT_TRACKED,
      };
    }
  }
  return { creator: named(fallbackCreator(obj)), claims: [], untracked: NOT_TRACKED };
}

/** Who owns a path no record names: the longest claim over it, else the creator; no one for what no tracked write set. */
function implicitOwner(rules: Rules, skeleton: Set<Path>, path: Path): string | undefined {
  if (skeleton.has(path) || rules.untracked(path) || path === DELETION_TIMESTAMP || path === DELETION_GRACE) return undefined;
  let best = -1;
  let owner = rules.creator.manager;
  for (const c of rules.claims)
    for (const pre of c.prefixes)
      if (pre.length > best && under(path, pre)) {
        best = pre.length;
        owner = c.manager;
      }
  return owner;
}

/** What a read object's managedFields are worked out from, kept on its metadata (non-enumerable, under a symbol). */
const LAZY = Symbol("managedFields source");
interface Lazy {
  st: ClusterState;
  obj: AnyObject;
  record: ManagedRecord | undefined;
}
type LazyMeta = Record<string, unknown> & { [LAZY]?: Lazy };

function settleEntries(meta: LazyMeta, v: unknown): void {
  meta[LAZY] = undefined; // worked out or set: the source (the cluster's state among it) is not kept
  if (v === undefined) delete meta.managedFields;
  else Object.defineProperty(meta, "managedFields", { value: v, writable: true, enumerable: true, configurable: true });
}

/**
 * One getter and one setter for every read object: a function per object would give each metadata its own hidden
 * class (V8 keeps an accessor's functions in the class), and every reader of `metadata` a megamorphic site.
 */
const LAZY_ENTRIES: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: LazyMeta) {
    const src = this[LAZY]!;
    delete this.managedFields; // the walk over the object's fields must not come back here
    const v = entriesOf(src.obj, rulesFor(src.st, src.obj, src.record), src.record);
    settleEntries(this, v);
    return v;
  },
  set(this: LazyMeta, v: unknown) {
    settleEntries(this, v);
  },
};

/** `obj` (a fresh copy the caller owns, as Cluster.get returns it) with its managedFields as v1.19 serves them. */
export function withManagedFields<T extends AnyObject>(st: ClusterState, obj: T): T {
  const record = obj.kind === "Pod" ? podRec(st, obj)?.mf : ((obj.metadata.managedFields && !Array.isArray(obj.metadata.managedFields) ? obj.metadata.managedFields : undefined) as ManagedRecord | undefined);
  delete obj.metadata.managedFields;
  // The entries are computed on first use: a table (`kubectl get pods`) or a grader check never reads them, and
  // working them out for every pod of a list would be most of the cost of the list. Every reader serialises the
  // object it got before the cluster changes again, so they are the entries of the cluster it was read from.
  const meta = obj.metadata as unknown as LazyMeta;
  Object.defineProperty(meta, LAZY, { value: { st, obj, record } satisfies Lazy, writable: true, configurable: true });
  Object.defineProperty(meta, "managedFields", LAZY_ENTRIES);
  return obj;
}

function entriesOf(obj: AnyObject, rules: Rules, record: ManagedRecord | undefined): ManagedFieldsEntry[] | undefined {
  const skeleton = SKELETON[obj.kind] ?? new Set<Path>();
  const explicit = new Map<Path, string>();
  const times = new Map<string, number>([[rules.creator.manager, rules.creator.time]]);
  for (const c of rules.claims) times.set(c.manager, Math.max(times.get(c.manager) ?? 0, c.time));
  for (const [m, t, ...paths] of record?.u ?? []) {
    times.set(m, Math.max(times.get(m) ?? 0, t));
    for (const x of paths) explicit.set(x, m);
  }
  const sets = new Map<string, Path[]>();
  for (const path of fieldMap(obj as never, kindSchema(obj.apiVersion, obj.kind)).keys()) {
    if (STRIPPED.has(path)) continue;
    const owner = explicit.get(path) ?? implicitOwner(rules, skeleton, path);
    if (owner === undefined) continue;
    const list = sets.get(owner);
    if (list) list.push(path);
    else sets.set(owner, [path]);
  }
  const entries: ManagedFieldsEntry[] = [...sets].map(([manager, paths]) => ({
    manager,
    operation: "Update",
    apiVersion: obj.apiVersion,
    time: rfc3339(times.get(manager) ?? rules.creator.time),
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(paths),
  }));
  // sortEncodedManagedFields: operation, then time, then manager, then apiVersion.
  entries.sort((a, b) => (a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));
  return entries.length ? entries : undefined;
}

// The stored form of a cluster. Derivable data is left out so a student's cluster stays small in Postgres:
// a pod record's name and namespace (they are its key) and generateName (its ReplicaSet's name), and the subsets
// of Endpoints the endpoints controller owns (recomputed from the pods on load — exactly, since the controller
// resyncs whenever a pod it lists or selects changes); the endpoints of the EndpointSlices that controller owns are
// kept as their pods' names, for the same reason.
import type { Deployment, EndpointSlice, Endpoints, KubeEvent, Node, PodTemplateSpec, ReplicaSet, Service } from "./objects.ts";
import { nodeObject } from "./init.ts";
import { canonicalEqual, canonicalJSON, jsonEqual, sortKeysDeep, templateHash } from "./hash.ts";
import { defaultDeployment } from "./validation/defaults.ts";
import { LAST_APPLIED } from "./apiserver/meta.ts";
import type { ClusterState, PodRec } from "./state.ts";
import { canonicalizeTables, tableEntries } from "./state.ts";
import { ClientError } from "./errors.ts";
import { structuredCloneJson } from "./apiserver/merge.ts";
import { computeSubsets } from "./controllers/endpoints.ts";
import { compactSlice, expandSlice, isManagedSlice } from "./controllers/endpointslice.ts";
import { compactMirrored, expandMirrored, isMirroredSlice } from "./controllers/endpointslicemirroring.ts";
import { memoize } from "./memo.ts";
import { deepFreeze } from "./shared.ts";
import { GONE_KEY, goneSystem, injectSystem, isDerived } from "./kubeadm/system.ts";
import { memoText, settleText, StaleStoredMemoError, storedForm, storedMemoVerifying } from "./stored-memo.ts";

type StoredPod = Omit<PodRec, "name" | "ns" | "generateName" | "owner" | "readyAt" | "c"> & {
  generateName?: string;
  /** The owning ReplicaSet's name, or name and uid when the uid is not that ReplicaSet's. */
  owner?: string | { name: string; uid: string } | { kind: "DaemonSet" | "Node"; name: string; uid: string };
  readyAt?: number;
  c: (Omit<PodRec["c"][number], "startedAt"> & { startedAt?: number })[];
};

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b![k] === a![k]);
}

function managed(st: ClusterState, k: string): boolean {
  const svc = st.services[k];
  return !!svc && !!svc.spec.selector && Object.keys(svc.spec.selector).length > 0 && svc.spec.type !== "ExternalName";
}

/** The stored form as an independent value (the caller may keep or change it). */
export function toStored(st: ClusterState): unknown {
  return structuredCloneJson(buildStored(st));
}

/**
 * The stored form as JSON text, exactly `JSON.stringify` of it, assembled from each object's memoised text
 * (stored-memo.ts): a mutation re-serialises only the objects it changed. Checked against the plain serialisation
 * whenever the memo verifies itself (the test suite).
 */
export function toStoredText(st: ClusterState): string {
  const text = storedText(st);
  if (storedMemoVerifying() && text !== JSON.stringify(buildStored(st))) throw new StaleStoredMemoError("the cluster (assembled text)");
  return text;
}

/** The tables whose entries are stored compacted (or as they are) one by one, each memoised. */
const TABLES = ["namespaces", "nodes", "pods", "deployments", "replicasets", "daemonsets", "services", "endpoints", "endpointslices"] as const;
type Table = (typeof TABLES)[number];

interface Compaction {
  /** What the compact form depends on besides the object: resourceVersions (and the object `dep`, by identity). */
  fp: string;
  dep?: object;
}

/**
 * How one entry of a table is stored: its fingerprint, or undefined when it is stored as it is, whatever its
 * content. `compact` computes the stored form; both are plain functions (no closure per entry: a save walks every
 * entry of every table).
 */
function compaction(st: ClusterState, table: Table, k: string, v: never): Compaction | undefined {
  switch (table) {
    case "namespaces":
      return { fp: (v as { metadata: { resourceVersion: string } }).metadata.resourceVersion };
    case "nodes": {
      const node = v as Node;
      const t = topoNode(st, k);
      return t ? { fp: node.metadata.resourceVersion, dep: t } : undefined;
    }
    case "pods": {
      const p = v as PodRec;
      const rs = p.owner?.kind === "ReplicaSet" ? st.replicasets[`${p.ns}/${p.owner.name}`] : undefined;
      // Two parts of the record change without a new resourceVersion, as they change nothing of the pod object: the
      // app's own state (a request sets demoapp's readyz flag) and kubelet's probe bookkeeping in `c` (the next
      // probe time, the run of successes); they are small, so they are part of the fingerprint as they are.
      return { fp: `${p.rv}/${rs?.metadata.resourceVersion ?? ""}/${JSON.stringify(p.c)}/${p.app ? JSON.stringify(p.app) : ""}`, dep: rs };
    }
    case "deployments":
      return { fp: (v as Deployment).metadata.resourceVersion };
    case "daemonsets":
      return undefined;
    case "replicasets": {
      const rs = v as ReplicaSet;
      const d = ownerDeployment(st, rs);
      return d ? { fp: `${rs.metadata.resourceVersion}/${d.metadata.resourceVersion}`, dep: d } : undefined;
    }
    case "services":
      return { fp: (v as Service).metadata.resourceVersion };
    case "endpoints":
      return { fp: `${(v as Endpoints).metadata.resourceVersion}/${managed(st, k) ? 1 : 0}` };
    case "endpointslices": {
      const s = v as EndpointSlice;
      // (an endpoint's topology is its node's labels, which change nothing the controller watches)
      if (isMirroredSlice(s)) return { fp: `${s.metadata.resourceVersion}/${st.endpoints[`${s.metadata.namespace}/${s.metadata.labels?.["kubernetes.io/service-name"]}`]?.metadata.resourceVersion ?? ""}` };
      return isManagedSlice(s) || k === "default/kubernetes" ? { fp: `${s.metadata.resourceVersion}/${nodesVersion(st)}` } : undefined;
    }
  }
}

/** The stored form of an entry that has a compaction (`dep` is what compaction() gave). */
function compact(st: ClusterState, table: Table, k: string, v: never, dep: object | undefined): unknown {
  switch (table) {
    case "namespaces":
      return v;
    case "nodes":
      return compactNode(dep as ClusterState["topo"]["nodes"][number], v as Node);
    case "pods":
      return compactPod(v as PodRec, dep as ReplicaSet | undefined);
    case "deployments":
      return compactLastApplied(compactSpec(compactConditions(v as Deployment)));
    case "daemonsets":
      return v;
    case "replicasets":
      return compactReplicaSet(v as ReplicaSet, dep as Deployment);
    case "services":
      return compactLastApplied(v as Service);
    case "endpoints":
      return managed(st, k) ? withoutSubsets(v as Endpoints) : v;
    case "endpointslices":
      return compactMirrored(st, k, v as EndpointSlice) ?? compactSlice(st, k, v as EndpointSlice) ?? v;
  }
}

function nodesVersion(st: ClusterState): string {
  let s = "";
  for (const n in st.nodes) s += st.nodes[n].metadata.resourceVersion + ",";
  return s;
}

function topoNode(st: ClusterState, name: string): ClusterState["topo"]["nodes"][number] | undefined {
  return st.topo.nodes.find((n) => n.name === name);
}

/** The stored form, sharing unchanged subtrees with the live state: only ever serialise or copy it. */
function buildStored(st: ClusterState): Record<string, unknown> {
  const out = { ...st } as Record<string, unknown>;
  for (const table of TABLES) {
    const t: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(st[table])) {
      if (isDerived(st, table, k, v)) continue;
      const c = compaction(st, table, k, v as never);
      t[k] = c ? storedForm(v as object, c.fp, c.dep, () => `${table} ${k}`, () => compact(st, table, k, v as never, c.dep)) : v;
    }
    out[table] = t;
  }
  out.events = st.events.map(eventTuple);
  const gone = goneSystem(st);
  if (gone.length) out[GONE_KEY] = gone;
  return out;
}

/** JSON.stringify(buildStored(st)), from memoised texts: same keys in the same order, undefined values left out. */
function storedText(st: ClusterState): string {
  let s = "{";
  let first = true;
  for (const key in st) {
    const value = st[key as keyof ClusterState];
    let text: string | undefined;
    if ((TABLES as readonly string[]).includes(key)) text = tableText(st, key as Table);
    else if (key === "events") text = eventsText(st.events);
    else text = JSON.stringify(value);
    if (text === undefined) continue;
    s += (first ? "" : ",") + JSON.stringify(key) + ":" + text;
    first = false;
  }
  const gone = goneSystem(st);
  if (gone.length) s += `,${JSON.stringify(GONE_KEY)}:${JSON.stringify(gone)}`;
  return s + "}";
}

function tableText(st: ClusterState, table: Table): string {
  let s = "{";
  let first = true;
  const entries = st[table] as Record<string, unknown>;
  for (const k in entries) {
    const v = entries[k];
    if (v === undefined || isDerived(st, table, k, v)) continue;
    const c = compaction(st, table, k, v as never);
    let text: string | undefined;
    if (!c) text = JSON.stringify(v);
    else {
      text = memoText(v as object, c.fp, c.dep);
      if (text === undefined || storedMemoVerifying())
        text = settleText(v as object, c.fp, c.dep, text, JSON.stringify(compact(st, table, k, v as never, c.dep)), `${table} ${k}`);
    }
    if (text === undefined) continue;
    s += (first ? "" : ",") + JSON.stringify(k) + ":" + text;
    first = false;
  }
  return s + "}";
}

function eventsText(events: KubeEvent[]): string {
  let s = "[";
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const fp = `${e.count}/${e.lastTimestamp}`;
    let text = memoText(e, fp, undefined);
    if (text === undefined || storedMemoVerifying()) text = settleText(e, fp, undefined, text, JSON.stringify(eventTuple(e)), "an event");
    s += (i ? "," : "") + text;
  }
  return s + "]";
}

/** A pod record without what its key and its ReplicaSet give back (names, template labels, start times). */
function compactPod(p: PodRec, rs: ReplicaSet | undefined): StoredPod {
  const { name: _n, ns: _ns, generateName, owner, readyAt, c, ...rest } = p;
  const sp: StoredPod = { ...rest, c: c.map(({ startedAt, ...x }) => (startedAt === p.ct ? x : { ...x, startedAt })) };
  if (readyAt !== p.ct) sp.readyAt = readyAt;
  if (p.start === p.ct) delete sp.start;
  if (owner && owner.kind !== "ReplicaSet") sp.owner = { ...owner } as never;
  else if (owner) {
    sp.owner = rs?.metadata.uid === owner.uid ? owner.name : { name: owner.name, uid: owner.uid };
    // Labels equal to the template's are the common case: store them only when the student changed them.
    if (rs && sameLabels(p.labels, rs.spec.template.metadata.labels)) delete sp.labels;
    else if (rs && !p.labels) sp.labels = {};
  }
  if (generateName && generateName !== `${owner?.name}-`) sp.generateName = generateName;
  return ordered(sp as unknown as Record<string, unknown>) as unknown as StoredPod;
}

function withoutSubsets(ep: Endpoints): Endpoints {
  const { subsets: _s, ...rest } = ep;
  return rest as Endpoints;
}

/** Events as tuples: they are many and their field names would dominate. */
function eventTuple(e: KubeEvent): unknown[] {
  return [
    e.namespace,
    e.involvedObject.kind,
    e.involvedObject.name,
    e.involvedObject.namespace ?? null,
    e.involvedObject.uid ?? null,
    e.type,
    e.reason,
    e.message,
    e.source,
    e.firstTimestamp,
    e.lastTimestamp === e.firstTimestamp ? null : e.lastTimestamp,
    e.count,
  ];
}

/** A Deployment's ReplicaSet: a brief record when the Deployment controller's shape rebuilds it exactly. */
function compactReplicaSet(rs: ReplicaSet, d: Deployment): unknown {
  if (!canonicalEqual(rs.spec.template, withHash(d.spec.template, rs))) return rs;
  const brief = briefReplicaSet(rs);
  return sameJSON(expandReplicaSet(brief, d), rs) ? brief : { ...rs, spec: { ...rs.spec, template: "=deployment" } };
}

/** A topology node's Node: its identity (and labels when changed) when kubelet's registration rebuilds it exactly. */
function compactNode(t: ClusterState["topo"]["nodes"][number], node: Node): unknown {
  const brief: StoredNode = { uid: node.metadata.uid, rv: node.metadata.resourceVersion, ct: node.metadata.creationTimestamp };
  if (node.metadata.managedFields !== undefined) brief.mf = node.metadata.managedFields;
  let regen = expandNode(t, brief);
  if (!sameJSON(regen.metadata.labels, node.metadata.labels)) {
    brief.labels = node.metadata.labels ?? {};
    regen = expandNode(t, brief);
  }
  return sameJSON(regen, node) ? brief : node;
}

/**
 * Content equality, whatever the key order: a compact form is kept when it rebuilds the same content. (Key order
 * cannot be a criterion: a JSONB column reorders keys, and the engine does not depend on it.)
 */
function sameJSON(a: unknown, b: unknown): boolean {
  // Same construction usually means the same key order: compare as plain JSON first, sort only when that differs.
  return jsonEqual(a, b) || canonicalEqual(a, b);
}

function mapValues<T, U>(m: Record<string, T>, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const [k, v] of Object.entries(m)) out[k] = f(v);
  return out;
}

// ---- ReplicaSets of Deployments: everything but identity, counts and status is the Deployment's ----

interface BriefRS {
  name: string;
  ns: string;
  owner: string;
  uid: string;
  rv: string;
  ct: string;
  gen: number;
  ann: [string, string, string]; // desired-replicas, max-replicas, revision
  replicas: number;
  status: ReplicaSet["status"];
}

const RS_ANN = ["deployment.kubernetes.io/desired-replicas", "deployment.kubernetes.io/max-replicas", "deployment.kubernetes.io/revision"] as const;

function briefReplicaSet(rs: ReplicaSet): BriefRS {
  const a = rs.metadata.annotations ?? {};
  return {
    name: rs.metadata.name,
    ns: rs.metadata.namespace!,
    owner: rs.metadata.ownerReferences![0].name,
    uid: rs.metadata.uid,
    rv: rs.metadata.resourceVersion,
    ct: rs.metadata.creationTimestamp,
    gen: rs.metadata.generation ?? 1,
    ann: [a[RS_ANN[0]] ?? "", a[RS_ANN[1]] ?? "", a[RS_ANN[2]] ?? ""],
    replicas: rs.spec.replicas,
    status: rs.status,
  };
}

/** The ReplicaSet exactly as the Deployment controller (controllers/deployment.ts) builds and updates it. */
function expandReplicaSet(b: BriefRS, d: Deployment): ReplicaSet {
  const hash = b.name.slice(b.name.lastIndexOf("-") + 1);
  const template = structuredCloneJson(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...(template.metadata.labels ?? {}), "pod-template-hash": hash } };
  const selector = structuredCloneJson(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), "pod-template-hash": hash };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: b.name,
      uid: b.uid,
      resourceVersion: b.rv,
      creationTimestamp: b.ct,
      namespace: b.ns,
      labels: { ...template.metadata.labels },
      annotations: { [RS_ANN[0]]: b.ann[0], [RS_ANN[1]]: b.ann[1], [RS_ANN[2]]: b.ann[2] },
      generation: b.gen,
      ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: b.replicas, selector, template },
    status: b.status,
  };
}

// ---- Deployment conditions: messages follow from the reason and the current ReplicaSet's name ----

function conditionMessage(d: Deployment, type: string, reason: string, hash: () => string): string | undefined {
  if (type === "Progressing" && (reason === "NewReplicaSetAvailable" || reason === "ReplicaSetUpdated")) {
    const rs = `${d.metadata.name}-${hash()}`;
    return reason === "NewReplicaSetAvailable" ? `ReplicaSet "${rs}" has successfully progressed.` : `ReplicaSet "${rs}" is progressing.`;
  }
  if (type === "Available" && reason === "MinimumReplicasAvailable") return "Deployment has minimum availability.";
  if (type === "Available" && reason === "MinimumReplicasUnavailable") return "Deployment does not have minimum availability.";
  return undefined;
}

/** templateHash of the Deployment's template, computed on first use. */
function lazyHash(d: Deployment): () => string {
  let h: string | undefined;
  return () => (h ??= templateHash(d.spec.template));
}

type CondTuple = [string, string, string, string | null, string, string | null];

function compactConditions(d: Deployment): Deployment {
  const conds = d.status.conditions;
  if (!conds) return d;
  const hash = lazyHash(d);
  const tuples: CondTuple[] = conds.map((c) => [
    c.type,
    c.status,
    c.lastUpdateTime,
    c.lastTransitionTime === c.lastUpdateTime ? null : c.lastTransitionTime,
    c.reason,
    conditionMessage(d, c.type, c.reason, hash) === c.message ? null : c.message,
  ]);
  const out = { ...d, status: { ...d.status, conditions: tuples as unknown as typeof conds } };
  // The expanded Deployment differs from d in its conditions only (same keys, same order): compare those.
  return sameJSON(expandConditions(out, hash).status.conditions, conds) ? out : d;
}

function expandConditions(d: Deployment, hash = lazyHash(d)): Deployment {
  const conds = d.status.conditions as unknown as (CondTuple | NonNullable<Deployment["status"]["conditions"]>[number])[] | undefined;
  if (!conds || !conds.length || !Array.isArray(conds[0])) return d;
  const full = (conds as CondTuple[]).map(([type, status, u, t, reason, message]) => ({
    type,
    status,
    lastUpdateTime: u,
    lastTransitionTime: t ?? u,
    reason,
    message: message ?? conditionMessage(d, type, reason, hash) ?? "",
  }));
  return { ...d, status: { ...d.status, conditions: full } };
}

// ---- Deployment specs: the defaulted last-applied configuration, with the current replica count ----

/** The result shares the memoised (frozen) subtrees: callers only compare it or copy it (sortKeysDeep). */
function specFromApplied(d: Deployment, replicas: number): Deployment["spec"] | undefined {
  const text = d.metadata.annotations?.[LAST_APPLIED];
  if (typeof text !== "string") return undefined;
  const spec = appliedSpec(text).spec;
  return spec ? { ...spec, replicas } : undefined;
}

/** The defaulted, key-sorted spec of a last-applied text (a pure function of the text; deep-frozen, shared). */
const appliedSpec = memoize((text: string): { spec: Deployment["spec"] | undefined } => {
  try {
    return { spec: deepFreeze(sortKeysDeep((defaultDeployment(JSON.parse(text)) as Deployment).spec)) };
  } catch {
    return { spec: undefined };
  }
}, 2_000);

function compactSpec(d: Deployment): Deployment {
  const regen = specFromApplied(d, d.spec.replicas);
  if (!regen || !sameJSON(regen, d.spec)) return d;
  return { ...d, spec: { "=applied": true, replicas: d.spec.replicas } as unknown as Deployment["spec"] };
}

function expandSpec(d: Deployment): Deployment {
  const brief = d.spec as unknown as { "=applied"?: boolean; replicas: number };
  if (!brief["=applied"]) return d;
  const spec = specFromApplied(d, brief.replicas);
  if (!spec) throw new ClientError(`stored Deployment ${d.metadata.name} has no usable last-applied configuration`);
  return { ...d, spec: sortKeysDeep(spec) };
}

// ---- kubectl's last-applied-configuration: canonical JSON text, stored as the value it encodes ----

type WithMeta = { metadata: { annotations?: Record<string, string> } };

function compactLastApplied<T extends WithMeta>(o: T): T {
  const text = o.metadata.annotations?.[LAST_APPLIED];
  if (text === undefined) return o;
  const value = appliedValue(text).value;
  if (value === undefined) return o;
  return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED]: { "=json": value } as unknown as string } } };
}

/**
 * The value a canonical last-applied text encodes, or undefined when the text is not canonical JSON (a pure
 * function of the text). Deep-frozen and shared by stored forms, which are only ever serialised or copied.
 */
const appliedValue = memoize((text: string): { value: unknown } => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { value: undefined };
  }
  return { value: canonicalJSON(value) + "\n" === text ? deepFreeze(value) : undefined };
}, 2_000);

function expandLastApplied<T extends WithMeta>(o: T): T {
  const v = o.metadata.annotations?.[LAST_APPLIED] as unknown;
  if (!v || typeof v !== "object") return o;
  const text = canonicalJSON((v as { "=json": unknown })["=json"]) + "\n";
  return { ...o, metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [LAST_APPLIED]: text } } };
}

interface StoredNode {
  uid: string;
  rv: string;
  ct: string;
  labels?: Record<string, string>;
  /** The field-ownership record of writes to the node (apiserver/managed-fields.ts). */
  mf?: unknown;
}

function expandNode(t: ClusterState["topo"]["nodes"][number], b: StoredNode): Node {
  const node = nodeObject(t, { name: t.name, uid: b.uid, resourceVersion: b.rv, creationTimestamp: b.ct });
  if (b.labels) node.metadata.labels = { ...b.labels };
  if (b.mf !== undefined) node.metadata.managedFields = structuredCloneJson(b.mf);
  return node;
}

function ownerDeployment(st: ClusterState, rs: ReplicaSet): Deployment | undefined {
  const ref = rs.metadata.ownerReferences?.find((o) => o.kind === "Deployment");
  const d = ref ? st.deployments[`${rs.metadata.namespace}/${ref.name}`] : undefined;
  return d && d.metadata.uid === ref!.uid ? d : undefined;
}

function withHash(t: PodTemplateSpec, rs: ReplicaSet): PodTemplateSpec {
  const hash = rs.metadata.labels?.["pod-template-hash"] ?? "";
  return { ...t, metadata: { ...t.metadata, labels: { ...(t.metadata.labels ?? {}), "pod-template-hash": hash } } };
}

export function fromStored(json: unknown): ClusterState {
  const raw = (typeof json === "string" ? JSON.parse(json) : structuredCloneJson(json)) as Record<string, unknown>;
  if (!raw || raw.v !== 1 || typeof raw.now !== "number" || !raw.rng || typeof raw.pods !== "object")
    throw new ClientError("not a kubelab cluster state (version 1)");
  const gone = (raw[GONE_KEY] ?? []) as string[];
  delete raw[GONE_KEY];
  const st = raw as unknown as ClusterState;
  st.daemonsets ??= {};
  for (const [name, n] of Object.entries(st.nodes)) {
    const brief = n as unknown as StoredNode;
    if (typeof brief.uid !== "string") continue;
    const t = st.topo.nodes.find((x) => x.name === name);
    if (!t) throw new ClientError(`stored node ${name} is not in the topology`);
    st.nodes[name] = expandNode(t, brief);
  }
  st.services = mapValues(st.services, expandLastApplied);
  st.deployments = mapValues(mapValues(mapValues(st.deployments, expandLastApplied), expandSpec), expandConditions);
  for (const [k, rs] of tableEntries(st.replicasets)) {
    const brief = rs as unknown as BriefRS;
    if (brief.owner) {
      const d = st.deployments[`${brief.ns}/${brief.owner}`];
      if (!d) throw new ClientError(`stored ReplicaSet ${brief.name} refers to a missing Deployment`);
      st.replicasets[k] = expandReplicaSet(brief, d);
      continue;
    }
    if ((rs.spec.template as unknown) !== "=deployment") continue;
    const d = ownerDeployment(st, rs);
    if (!d) throw new ClientError(`stored ReplicaSet ${rs.metadata.name} refers to a missing Deployment`);
    rs.spec.template = structuredCloneJson(withHash(d.spec.template, rs));
  }
  st.events = (raw.events as unknown[]).map((e) => {
    if (!Array.isArray(e)) return e as KubeEvent;
    const [namespace, kind, name, ins, uid, type, reason, message, source, first, last, count] = e;
    const involvedObject: KubeEvent["involvedObject"] = { kind, name };
    if (ins !== null) involvedObject.namespace = ins;
    if (uid !== null) involvedObject.uid = uid;
    return { namespace, involvedObject, type, reason, message, source, firstTimestamp: first, lastTimestamp: last ?? first, count };
  });
  const pods: Record<string, PodRec> = {};
  for (const [k, sp] of Object.entries(raw.pods as Record<string, StoredPod>)) {
    const i = k.indexOf("/");
    const rec = { name: k.slice(i + 1), ns: k.slice(0, i), ...sp } as unknown as PodRec;
    rec.readyAt = sp.readyAt ?? sp.ct;
    if (sp.start === undefined && sp.phase !== "Pending") rec.start = sp.ct;
    rec.c = sp.c.map((x) => ({ ...x, startedAt: x.startedAt ?? sp.ct }));
    if (sp.owner && typeof sp.owner === "object" && "kind" in sp.owner) {
      rec.owner = sp.owner;
      if (!sp.generateName && sp.owner.kind === "DaemonSet") rec.generateName = `${sp.owner.name}-`;
    } else if (sp.owner) {
      const name = typeof sp.owner === "string" ? sp.owner : sp.owner.name;
      const rs = (raw.replicasets as ClusterState["replicasets"])[`${rec.ns}/${name}`];
      const uid = typeof sp.owner === "string" ? rs!.metadata.uid : sp.owner.uid;
      rec.owner = { kind: "ReplicaSet", name, uid };
      if (!sp.generateName) rec.generateName = `${name}-`;
      if (sp.labels === undefined && rs?.spec.template.metadata.labels) rec.labels = { ...rs.spec.template.metadata.labels };
      else if (sp.labels && !Object.keys(sp.labels).length) delete rec.labels;
    }
    pods[k] = ordered(rec as unknown as Record<string, unknown>) as unknown as PodRec;
  }
  st.pods = pods;
  st.endpointslices ??= {};
  injectSystem(st, gone);
  for (const [k, s] of tableEntries(st.endpointslices)) {
    const full = "=ep" in s ? expandMirrored(st, k, s) : expandSlice(st, k, s);
    if (!full) throw new ClientError(`stored EndpointSlice ${k} refers to a missing Service or pod`);
    st.endpointslices[k] = full;
  }
  st.epRV ??= 0;
  st.gone ??= [];
  const byNs = new Map<string, PodRec[]>();
  for (const p of Object.values(pods)) {
    const list = byNs.get(p.ns);
    if (list) list.push(p);
    else byNs.set(p.ns, [p]);
  }
  for (const [k, ep] of tableEntries(st.endpoints)) {
    if (!managed(st, k)) continue;
    const svc = st.services[k];
    const subsets = computeSubsets(st, svc, byNs.get(svc.metadata.namespace!) ?? []);
    const full: Endpoints = { apiVersion: ep.apiVersion, kind: ep.kind, metadata: ep.metadata };
    if (subsets.length) full.subsets = subsets;
    st.endpoints[k] = full;
  }
  canonicalizeTables(st);
  return st;
}

const POD_KEYS = ["name", "ns", "uid", "rv", "ct", "generateName", "labels", "annotations", "owner", "spec", "node", "ip", "phase", "start", "ready", "readyAt", "deleting", "grace", "unsched", "c", "app"];

/** One key order for pod records whatever path created them, so stored bytes depend only on content. */
function ordered(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of POD_KEYS) if (k in p) out[k] = p[k];
  for (const k of Object.keys(p).sort()) if (!(k in out)) out[k] = p[k];
  return out;
}

// `kubectl apply` / `kubectl create` against kubelab's apiserver: each manifest document is created or merged
// into the live object, admitted (defaults, validation, allocation) and stored; controllers then run to a fixed
// point. A failing document changes nothing and does not stop the others, as with kubectl.
import type { AnyObject, DaemonSet, Deployment, Endpoints, Namespace, ReplicaSet, Service } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import type { ApplyMode, ApplyResult } from "../types.ts";
import { ClientError, KubeError, alreadyExists, conflict, invalid, notFound } from "../errors.ts";
import { nameSuffix } from "../rng.ts";
import { resourceForManifest, RESOURCES } from "../resources.ts";
import { key, own } from "../state.ts";
import { findObject } from "../store.ts";
import { canonicalEqual, canonicalJSON } from "../hash.ts";
import { threeWayMerge, structuredCloneJson } from "./merge.ts";
import { LAST_APPLIED } from "./meta.ts";
import { admitDeployment, admitEndpoints, admitNamespace, admitPod, admitReplicaSet, admitService } from "./admit.ts";
import { admitDaemonSet } from "./admit-daemonset.ts";
import type { ManifestDoc } from "./manifest.ts";
import { kubectlTypeValidationMessage } from "../validation/fielderrors.ts";
import { readForm, recordCreate, recordUpdate } from "./managed-fields.ts";

type Obj = Record<string, unknown>;

export interface ApplyOptions {
  namespace?: string;
  /** true when the namespace came from `-n` (a different namespace in the file is then an error). */
  namespaceExplicit?: boolean;
  mode?: ApplyMode;
  source?: string;
  /** The field manager (`fieldManager`): kubectl's default for the mode unless given. */
  manager?: string;
}

export function applyDoc(st: ClusterState, doc: ManifestDoc, opts: ApplyOptions): ApplyResult {
  const o = doc.obj;
  const source = opts.source ?? "STDIN";
  const apiVersion = typeof o.apiVersion === "string" ? o.apiVersion : "";
  const kind = typeof o.kind === "string" ? o.kind : "";
  const meta = (o.metadata && typeof o.metadata === "object" ? o.metadata : {}) as Obj;
  let name = typeof meta.name === "string" ? meta.name : "";
  const base: ApplyResult = { kind, name, resource: kind.toLowerCase() };
  if (!kind || !apiVersion) {
    const what = !kind ? "kind not set" : "apiVersion not set";
    return { ...base, error: new ClientError(`error validating "${source}": error validating data: ${what}; if you choose to ignore these errors, turn validation off with --validate=false`) };
  }
  const res = resourceForManifest(apiVersion, kind);
  if (!res) {
    const known = RESOURCES.find((r) => r.kind === kind);
    return {
      ...base,
      error: new ClientError(
        known
          ? `unable to recognize "${source}": no matches for kind "${kind}" in version "${apiVersion}"`
          : `unable to recognize "${source}": no matches for kind "${kind}" in version "${apiVersion}"`,
      ),
    };
  }
  base.resource = res.printName;
  const generateName = typeof meta.generateName === "string" ? meta.generateName : "";
  if (!name && opts.mode === "create" && !generateName)
    return { ...base, error: invalid(kind, "", [{ field: "metadata.name", type: "Required value", detail: "name or generateName is required" }]) };
  if (!name && !(opts.mode === "create" && generateName)) {
    return { ...base, error: new ClientError(`error when retrieving current configuration of:\nResource: "${res.group ? res.group + "/" : ""}${res.version}, Resource=${res.plural}", GroupVersionKind: "${res.apiVersion.includes("/") ? res.apiVersion : "/" + res.apiVersion}, Kind=${kind}"\nName: "", Namespace: "${opts.namespace ?? "default"}"\nfrom server for: "${source}": resource name may not be empty`) };
  }
  let ns: string | undefined;
  if (res.namespaced) {
    const fileNs = typeof meta.namespace === "string" && meta.namespace ? meta.namespace : undefined;
    if (fileNs && opts.namespaceExplicit && opts.namespace && fileNs !== opts.namespace)
      return {
        ...base,
        error: new ClientError(
          `the namespace from the provided object "${fileNs}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${fileNs}' to perform this operation.`,
        ),
      };
    ns = fileNs ?? opts.namespace ?? "default";
    base.namespace = ns;
    if (!own(st.namespaces, ns)) return { ...base, error: notFound("namespaces", ns) };
  }
  // kubectl's client-side schema check (--validate=true): wrong JSON types never reach the server.
  const typeMsg = kubectlTypeValidationMessage(o, kind, source);
  if (typeMsg) return { ...base, error: new ClientError(typeMsg) };
  // A rejected object must leave the cluster byte-identical: admission draws uids and ports before it knows.
  const saved = { rng: st.rng.s, rv: st.rv };
  if (!name) {
    // a create with only generateName: the apiserver's SimpleNameGenerator (at most 58 characters of it, then five
    // random ones), drawn again should the name be taken
    do name = generateName.slice(0, 58) + nameSuffix(st.rng);
    while (findObject(st, res.kind, name, ns));
    base.name = name;
  }
  const input = structuredCloneJson(o);
  (input.metadata as Obj).name = name;
  if (res.namespaced) (input.metadata as Obj).namespace = ns;
  const live = findObject(st, res.kind, name, ns);
  try {
    const manager = opts.manager ?? (opts.mode === "create" ? "kubectl-create" : opts.mode === "replace" ? "kubectl-replace" : "kubectl-client-side-apply");
    if (opts.mode === "replace") {
      // kubectl replace: the live object's version is sent when the file has none; a stale one is a conflict
      if (!live) throw notFound(res.qualified, name);
      const rv = meta.resourceVersion;
      if (rv !== undefined && rv !== "" && rv !== live.metadata.resourceVersion) throw conflict(res.qualified, name);
      const before = readForm(st, res.kind, name, ns);
      store(st, res.kind, input, name, ns, live);
      recordUpdate(st, res.kind, name, ns, manager, before);
      return { ...base, action: "replaced" };
    }
    if (opts.mode === "create") {
      if (live) throw alreadyExists(res.qualified, name);
      const sent = structuredCloneJson(input);
      store(st, res.kind, input, name, ns, undefined);
      recordCreate(st, res.kind, name, ns, manager, sent);
      return { ...base, action: "created" };
    }
    const lastApplied = canonicalJSON(input) + "\n";
    if (!live) {
      const withAnn = withAnnotation(input, lastApplied);
      const sent = structuredCloneJson(withAnn);
      store(st, res.kind, withAnn, name, ns, undefined);
      recordCreate(st, res.kind, name, ns, manager, sent);
      return { ...base, action: "created" };
    }
    const prevText = live.metadata.annotations?.[LAST_APPLIED];
    const original = prevText ? safeParse(prevText) : undefined;
    const liveJson = structuredCloneJson(live) as unknown as Obj;
    const merged = threeWayMerge(original, withAnnotation(input, lastApplied), liveJson) as Obj;
    if (canonicalEqual(withoutVolatile(liveJson), withoutVolatile(merged))) return { ...base, action: "unchanged" };
    const before = readForm(st, res.kind, name, ns);
    store(st, res.kind, merged, name, ns, live);
    recordUpdate(st, res.kind, name, ns, manager, before);
    const result: ApplyResult = { ...base, action: "configured" };
    if (!prevText)
      result.warning = `Warning: resource ${res.plural}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`;
    return result;
  } catch (e) {
    st.rng.s = saved.rng;
    st.rv = saved.rv;
    if (e instanceof KubeError || e instanceof ClientError) return { ...base, error: e };
    throw e;
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `input` (applyDoc's own copy of the document, used for nothing else afterwards) with the annotation set. */
function withAnnotation(input: Obj, lastApplied: string): Obj {
  const meta = (input.metadata ?? {}) as Obj;
  meta.annotations = { ...((meta.annotations as Obj) ?? {}), [LAST_APPLIED]: lastApplied };
  input.metadata = meta;
  return input;
}

/** `o` without what every write changes (status, resourceVersion, generation): a shallow view, `o` untouched. */
function withoutVolatile(o: Obj): Obj {
  const { status: _status, ...rest } = o;
  if (rest.metadata && typeof rest.metadata === "object") {
    const { resourceVersion: _rv, generation: _gen, ...meta } = rest.metadata as Obj;
    rest.metadata = meta;
  }
  return rest;
}

/** Admit and store one object (create when `live` is undefined). */
export function store(st: ClusterState, kind: string, input: Obj, name: string, ns: string | undefined, live: AnyObject | undefined): void {
  const k = ns === undefined ? name : key(ns, name);
  switch (kind) {
    case "Service":
      st.services[k] = admitService(st, input, name, ns!, live as Service | undefined);
      return;
    case "Deployment":
      st.deployments[k] = admitDeployment(st, input, name, ns!, live as Deployment | undefined);
      return;
    case "ReplicaSet":
      st.replicasets[k] = admitReplicaSet(st, input, name, ns!, live as ReplicaSet | undefined);
      return;
    case "DaemonSet":
      st.daemonsets[k] = admitDaemonSet(st, input, name, ns!, live as DaemonSet | undefined);
      return;
    case "Endpoints":
      st.endpoints[k] = admitEndpoints(st, input, name, ns!, live as Endpoints | undefined);
      return;
    case "Namespace":
      st.namespaces[k] = admitNamespace(st, input, name, live as Namespace | undefined);
      return;
    case "Pod": {
      const rec = st.pods[k];
      st.pods[k] = admitPod(st, input, name, ns!, live && rec ? { rec, obj: live as never } : undefined);
      return;
    }
    case "Node":
      throw new KubeError("Forbidden", `nodes "${name}" is forbidden: kubelab's nodes come from the lab's topology; they can be labeled but not created or replaced`);
    case "EndpointSlice":
      throw new KubeError("Forbidden", `endpointslices.discovery.k8s.io "${name}" is forbidden: kubelab's EndpointSlices are written by the EndpointSlice controller; they can be read, labeled and deleted, not created or replaced`);
  }
}

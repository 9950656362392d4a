// The three patch types of `kubectl patch` / PATCH requests, pure functions over JSON values:
//  - JSON merge patch (RFC 7386, application/merge-patch+json): objects merge, null deletes, lists are replaced;
//  - JSON patch (RFC 6902, application/json-patch+json): in json-patch.ts;
//  - strategic merge patch (application/strategic-merge-patch+json): a merge patch whose lists merge by the patch
//    merge key of the field (containers by name, Service ports by port, ...), with the directives kubectl sends
//    ($patch, $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>).
// Errors are PatchError (the facade answers 422/400 as the apiserver does). Inputs are never modified.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T extends Json>(v: T): T => (v === null || typeof v !== "object" ? v : JSON.parse(JSON.stringify(v)));

// ---- JSON merge patch ----
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

// ---- strategic merge patch ----
/** The patch merge key of a list field, by the path of field names from the object's root (`spec.ports`). */
export type MergeKeyOf = (path: string[]) => string | undefined;

/** Primitive lists that merge (their patch strategy is `merge` without a key). */
const MERGING_PRIMITIVE_LISTS = new Set(["finalizers"]);

export function strategicMergePatch(target: Json, patch: Json, mergeKeyOf: MergeKeyOf): Json {
  if (!isObj(patch)) throw new PatchError("unable to find api field in struct for the patch");
  return mergeMap(isObj(target) ? target : {}, patch, [], mergeKeyOf);
}

function mergeMap(target: Obj, patch: Obj, path: string[], mk: MergeKeyOf): Obj {
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === "delete") return {};
  const out: Obj = { ...target };
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys.map(String)) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === "$patch" || k === "$retainKeys") continue;
    if (k.startsWith("$setElementOrder/")) continue; // order applied below
    if (k.startsWith("$deleteFromPrimitiveList/")) {
      const field = k.slice("$deleteFromPrimitiveList/".length);
      const drop = new Set((Array.isArray(v) ? v : []).map((x) => JSON.stringify(x)));
      const cur = out[field];
      if (Array.isArray(cur)) out[field] = cur.filter((x) => !drop.has(JSON.stringify(x)));
      continue;
    }
    if (v === null) {
      delete out[k];
      continue;
    }
    const here = [...path, k];
    const cur = out[k];
    if (Array.isArray(v)) out[k] = mergeList(Array.isArray(cur) ? cur : [], v, here, mk);
    else if (isObj(v)) out[k] = mergeMap(isObj(cur) ? cur : {}, v, here, mk);
    else out[k] = v;
  }
  if (retain) for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith("$setElementOrder/") || !Array.isArray(order)) continue;
    const field = k.slice("$setElementOrder/".length);
    const list = out[field];
    if (Array.isArray(list)) out[field] = applyOrder(list, order, mk([...path, field]));
  }
  return out;
}

function keyOf(item: Json, key: string): string | undefined {
  return isObj(item) && item[key] !== undefined ? JSON.stringify(item[key]) : undefined;
}

function mergeList(target: Json[], patch: Json[], path: string[], mk: MergeKeyOf): Json[] {
  const key = mk(path);
  const field = path[path.length - 1];
  if (!key) {
    if (MERGING_PRIMITIVE_LISTS.has(field)) {
      const seen = new Set(target.map((x) => JSON.stringify(x)));
      return [...target, ...patch.filter((x) => !seen.has(JSON.stringify(x)))];
    }
    // a `$patch: replace` element in a list without a key is the list itself
    return clone(patch.filter((x) => !(isObj(x) && x.$patch === "replace")));
  }
  if (patch.some((x) => isObj(x) && x.$patch === "replace")) return clone(patch.filter((x) => !(isObj(x) && x.$patch === "replace")));
  const out = [...target];
  for (const item of patch) {
    if (!isObj(item)) throw new PatchError(`merging an object in json but data type is not struct, instead is: ${typeof item}`);
    const k = keyOf(item, key);
    if (k === undefined) throw new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`);
    const i = out.findIndex((x) => keyOf(x, key) === k);
    if (item.$patch === "delete") {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = mergeMap(isObj(out[i]) ? (out[i] as Obj) : {}, item, path, mk);
    else out.push(mergeMap({}, item, path, mk));
  }
  return out;
}

/** `$setElementOrder`: the listed elements in that order, then those not listed (kept in their order). */
function applyOrder(list: Json[], order: Json[], key: string | undefined): Json[] {
  const id = (x: Json) => (key ? keyOf(x, key) : JSON.stringify(x));
  const wanted = order.map((o) => (key && isObj(o) ? keyOf(o, key) : JSON.stringify(o)));
  const rank = new Map(wanted.map((w, i) => [w, i]));
  const listed = list.filter((x) => rank.has(id(x))).sort((a, b) => rank.get(id(a))! - rank.get(id(b))!);
  return [...listed, ...list.filter((x) => !rank.has(id(x)))];
}

// ---- merge keys of the kinds kubelab models (v1.19's patchMergeKey tags) ----
const BY_FIELD: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  ownerReferences: "uid",
  conditions: "type",
  taints: "key",
  podIPs: "ip",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
};

/** The merge keys of Pod, Service, Deployment, ReplicaSet, Node, Namespace and Endpoints fields. */
export const KUBE_MERGE_KEYS: MergeKeyOf = (path) => {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  if (field === "ports") return parent === "containers" || parent === "initContainers" ? "containerPort" : parent === "spec" ? "port" : undefined;
  if (field === "addresses") return path[0] === "status" ? "type" : undefined; // NodeStatus.addresses; Endpoints' are atomic
  if (path[0] === "subsets") return undefined;
  return BY_FIELD[field];
};

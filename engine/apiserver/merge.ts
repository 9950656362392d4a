// `kubectl apply`'s three-way merge, reduced to what kubelab's kinds need: the last-applied configuration
// (original), the new file (modified) and the live object. Fields the user set are taken from the file; fields
// the user dropped since the last apply are removed; everything else the server or controllers set is kept.
// Lists with a strategic-merge key are merged item by item (so an allocated nodePort survives a re-apply).

type Json = unknown;
type Obj = Record<string, Json>;

/** patchMergeKey of the list fields kubelab models (k8s.io/api struct tags). */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  ports: "port", // ServicePort; container ports use containerPort (handled below)
  tolerations: "", // replaced
};

function isObj(v: Json): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  if (field === "ports") {
    const first = items.find(isObj);
    if (first && "containerPort" in first) return "containerPort";
    return "port";
  }
  const k = MERGE_KEYS[field];
  return k ? k : undefined;
}

export function threeWayMerge(original: Json, modified: Json, live: Json): Json {
  if (!isObj(modified) || !isObj(live)) return structuredCloneJson(modified);
  const orig = isObj(original) ? original : {};
  const out: Obj = { ...live };
  for (const [k, mv] of Object.entries(modified)) {
    const lv = live[k];
    if (isObj(mv) && isObj(lv)) out[k] = threeWayMerge(orig[k], mv, lv);
    else if (Array.isArray(mv) && Array.isArray(lv)) out[k] = mergeList(k, orig[k], mv, lv);
    else out[k] = structuredCloneJson(mv);
  }
  for (const k of Object.keys(orig)) if (!(k in modified)) delete out[k];
  return out;
}

function mergeList(field: string, original: Json, modified: Json[], live: Json[]): Json[] {
  const mk = mergeKeyFor(field, [...modified, ...live]);
  if (!mk || !modified.every(isObj) || !live.every(isObj)) return structuredCloneJson(modified) as Json[];
  const origItems = Array.isArray(original) ? original.filter(isObj) : [];
  const keyOf = (o: Obj) => JSON.stringify(o[mk]);
  const liveBy = new Map(live.map((o) => [keyOf(o as Obj), o as Obj]));
  const origBy = new Map(origItems.map((o) => [keyOf(o), o]));
  const modKeys = new Set(modified.map((o) => keyOf(o as Obj)));
  const out: Json[] = modified.map((m) => {
    const l = liveBy.get(keyOf(m as Obj));
    return l ? threeWayMerge(origBy.get(keyOf(m as Obj)), m, l) : structuredCloneJson(m);
  });
  for (const l of live) {
    const k = keyOf(l as Obj);
    if (!modKeys.has(k) && !origBy.has(k)) out.push(l);
  }
  return out;
}

/** `JSON.parse(JSON.stringify(v))`: a deep copy of JSON data (undefined stays undefined). */
export function structuredCloneJson<T>(v: T): T {
  if (v === undefined) return v;
  try {
    return copyJson(v) as T;
  } catch (e) {
    // Not plain, or too deep / circular (the round trip then throws its own error, as it always did).
    if (e !== NOT_PLAIN && !(e instanceof RangeError)) throw e;
    return JSON.parse(JSON.stringify(v)) as T;
  }
}

const NOT_PLAIN = Symbol("not plain JSON");

/**
 * The JSON round trip done by hand for plain data (several times faster). Anything the round trip would change
 * rather than copy (non-finite numbers, -0, functions, undefined in arrays, holes, objects with a prototype of their
 * own or a toJSON, a "__proto__" key) makes it give up, and the caller does the round trip itself.
 */
function copyJson(v: unknown): unknown {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (!Number.isFinite(v) || Object.is(v, -0)) throw NOT_PLAIN;
      return v;
    case "object": {
      if (v === null) return v;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_PLAIN;
        const out: unknown[] = [];
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (x === undefined) throw NOT_PLAIN;
          out.push(copyJson(x));
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) {
        const x = o[k];
        if (x === undefined) continue;
        if (k === "__proto__") throw NOT_PLAIN;
        out[k] = copyJson(x);
      }
      return out;
    }
    default:
      throw NOT_PLAIN;
  }
}

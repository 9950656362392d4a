// Field paths as a v1.19 API server's field manager sees an object (sigs.k8s.io/structured-merge-diff v4.0, with
// the schema kube-openapi derives from the served OpenAPI): every field of an object is a path of elements —
// `f:<field>`, `k:{"<key>":<value>,…}` for an item of a keyed list, `v:<value>` for an item of a set — and
// `metadata.managedFields[].fieldsV1` is a set of such paths as a trie (`.` marks a node that is itself a member).
//
// The schema rules (kube-openapi pkg/schemaconv, 2020-08): a list with `x-kubernetes-list-type: map` is keyed by its
// `x-kubernetes-list-map-keys`; else a list whose patch strategy is `merge` is keyed by its patch merge key, or a set
// without one; every other list is atomic (one leaf). Structs and maps are granular. An empty map or list is a leaf
// (typed/merge.go emptyPromoteToLeaf), as is every scalar and `null`.
import { definitionOf, deref, type Schema } from "../openapi/index.ts";

/** A path: its elements joined by SEP (no element contains a newline: keys and names cannot). */
export type Path = string;
export const SEP = "\n";

type Json = unknown;

// Schemas are the served OpenAPI document's own objects, never changed: what is derived from one is kept with it
// (a walk asks for the same few hundred nodes on every write and every managedFields read).
const resolved = new WeakMap<Schema, Schema | undefined>();

function resolve(s: Schema | undefined): Schema | undefined {
  if (!s) return undefined;
  if (resolved.has(s)) return resolved.get(s);
  let cur: Schema | undefined = s;
  for (let i = 0; cur?.$ref && i < 8; i++) cur = deref(cur)?.schema;
  resolved.set(s, cur);
  return cur;
}

const kindSchemas = new Map<string, Schema | undefined>();

/** The OpenAPI definition of a kind ("apps/v1", "Deployment"). */
export function kindSchema(apiVersion: string, kind: string): Schema | undefined {
  const k = `${apiVersion}/${kind}`;
  if (!kindSchemas.has(k)) {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    kindSchemas.set(k, definitionOf(group, version, kind)?.schema);
  }
  return kindSchemas.get(k);
}

/** A map list's keys are kept sorted (the order `k:{…}` lists them in). */
type ListRule = { type: "atomic" } | { type: "set" } | { type: "map"; keys: string[] };

const rules = new WeakMap<Schema, ListRule>();

function listRule(s: Schema): ListRule {
  let r = rules.get(s);
  if (!r) {
    r = readListRule(s);
    if (r.type === "map") r.keys = [...r.keys].sort();
    rules.set(s, r);
  }
  return r;
}

function readListRule(s: Schema): ListRule {
  const lt = s["x-kubernetes-list-type"];
  if (lt === "map") return { type: "map", keys: (s["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [] };
  if (lt === "set") return { type: "set" };
  if (lt === "atomic") return { type: "atomic" };
  const ps = s["x-kubernetes-patch-strategy"];
  if (ps === "merge" || ps === "merge,retainKeys") {
    const key = s["x-kubernetes-patch-merge-key"];
    return typeof key === "string" ? { type: "map", keys: [key] } : { type: "set" };
  }
  return { type: "atomic" };
}

/**
 * `k:{"name":"x"}` — the key fields sorted by name, values as JSON. A port's protocol key is the decoded object's,
 * TCP when a manifest leaves it out (what a request defaults before the field manager sees it).
 */
function keyElement(item: Record<string, unknown>, sortedKeys: string[]): string {
  let out = "";
  for (const k of sortedKeys) {
    const v = item[k] ?? (k === "protocol" ? "TCP" : undefined);
    if (v === undefined) continue;
    out += `${out ? "," : ""}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `k:{${out}}`;
}

function isEmptyContainer(v: Json): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return !!v && typeof v === "object" && Object.keys(v).length === 0;
}

/**
 * Every path of `v` (with its schema): leaves and the non-empty maps and lists above them. `visit(path, value,
 * leaf)` sees each; the root itself is not a path.
 */
function walk(v: Json, s: Schema | undefined, prefix: string, visit: (path: Path, value: Json, leaf: boolean) => void): void {
  if (v === null || typeof v !== "object" || isEmptyContainer(v)) return;
  walkContainer(v, s, prefix, visit);
}

/** walk over a non-empty map or list (what itemIsLeaf calls not a leaf is one: its children are walked without asking again). */
function walkContainer(v: object, s: Schema | undefined, prefix: string, visit: (path: Path, value: Json, leaf: boolean) => void): void {
  if (Array.isArray(v)) {
    const rule = s ? listRule(s) : { type: "atomic" as const };
    if (rule.type === "atomic") return;
    const itemSchema = s?.items;
    for (const item of v) {
      let el: string;
      if (rule.type === "set") {
        if (item === null || typeof item === "object") continue;
        el = `v:${JSON.stringify(item)}`;
      } else {
        if (!item || typeof item !== "object" || Array.isArray(item)) continue;
        el = keyElement(item as Record<string, unknown>, rule.keys);
      }
      const p = prefix ? prefix + SEP + el : el;
      const leaf = itemIsLeaf(item, itemSchema);
      visit(p, item, leaf);
      if (!leaf) walkContainer(item as object, itemSchema, p, visit);
    }
    return;
  }
  const schema = resolve(s);
  const props = schema?.properties;
  const extra = schema?.additionalProperties;
  const o = v as Record<string, unknown>;
  const pre = prefix ? prefix + SEP + "f:" : "f:";
  for (const k of Object.keys(o)) {
    const child = o[k];
    if (child === undefined) continue;
    const cs = props?.[k] ?? extra;
    const p = pre + k;
    const leaf = itemIsLeaf(child, cs);
    visit(p, child, leaf);
    if (!leaf) walkContainer(child as object, cs, p, visit);
  }
}

function itemIsLeaf(v: Json, s: Schema | undefined): boolean {
  if (v === null || typeof v !== "object" || isEmptyContainer(v)) return true;
  if (Array.isArray(v)) return !s || listRule(s).type === "atomic";
  return false;
}

export type FieldMap = Map<Path, { value: Json; leaf: boolean }>;

/** Paths and their values (leaves) of an object, `metadata.managedFields` left out. */
export function fieldMap(obj: Record<string, unknown>, schema: Schema | undefined): FieldMap {
  const out: FieldMap = new Map();
  walk(obj, schema, "", (p, value, leaf) => {
    if (p === "f:metadata\nf:managedFields" || p.startsWith("f:metadata\nf:managedFields\n")) return;
    // A template's `creationTimestamp: null` (what kubectl sends) is the empty object's too: never a change.
    if (value === null && p.endsWith(`${SEP}f:metadata${SEP}f:creationTimestamp`)) return;
    out.set(p, { value, leaf });
  });
  return out;
}

/** What changed between two versions of an object (typed.Comparison): paths added, modified (leaves) and removed. */
export function compareFields(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown>,
  schema: Schema | undefined,
): { added: Path[]; modified: Path[]; removed: Path[] } {
  const a = before ? fieldMap(before, schema) : new Map<Path, { value: Json; leaf: boolean }>();
  return compareFieldMaps(a, fieldMap(after, schema));
}

/** compareFields over two objects' fieldMaps (a caller that needs the after map too builds it once). */
export function compareFieldMaps(a: FieldMap, b: FieldMap): { added: Path[]; modified: Path[]; removed: Path[] } {
  const added: Path[] = [];
  const modified: Path[] = [];
  const removed: Path[] = [];
  for (const [p, x] of b) {
    const y = a.get(p);
    if (!y) added.push(p);
    else if (x.leaf && y.leaf ? x.value !== y.value && JSON.stringify(x.value) !== JSON.stringify(y.value) : x.leaf !== y.leaf && !(isContainer(x.value) && isContainer(y.value)))
      modified.push(p);
  }
  for (const p of a.keys()) if (!b.has(p)) removed.push(p);
  return { added, modified, removed };
}

function isContainer(v: Json): boolean {
  return !!v && typeof v === "object";
}

interface Trie {
  self: boolean;
  children: Map<string, Trie>;
}

/** A set of paths as `fieldsV1` (keys sorted, `.` for a member that has members below it). */
export function toFieldsV1(paths: Iterable<Path>): Record<string, unknown> {
  const root: Trie = { self: false, children: new Map() };
  for (const p of paths) {
    let node = root;
    for (const el of p.split(SEP)) {
      let next = node.children.get(el);
      if (!next) node.children.set(el, (next = { self: false, children: new Map() }));
      node = next;
    }
    node.self = true;
  }
  const emit = (t: Trie): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (t.self && t.children.size) out["."] = {};
    for (const k of [...t.children.keys()].sort()) out[k] = emit(t.children.get(k)!);
    return out;
  };
  return emit(root);
}

// `-o yaml` / `-o json`: objects as kubectl prints them. `kubectl get` decodes objects generically, so its JSON has
// every map's keys sorted (Go's encoding/json); objects kubectl built itself (create --dry-run) keep Go's struct
// field order (apiVersion, kind, metadata, spec, status). YAML goes through JSON-to-YAML (sigs.k8s.io/yaml,
// yaml.v2) either way: see goyaml.ts.
import { goJson } from "./gojson.ts";
import { goYaml } from "./goyaml.ts";

const TOP_ORDER = ["apiVersion", "kind", "metadata", "spec", "subsets", "status", "items"];
/** A Go type's own order: TypeMeta is Kind, then APIVersion. */
const TYPED_TOP_ORDER = ["kind", "apiVersion", "metadata", "spec", "subsets", "status", "items"];
const META_ORDER = [
  "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
  "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
];

function ordered(o: Record<string, unknown>, order: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of order) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  return out;
}

function goOrder(obj: unknown, top = TOP_ORDER): unknown {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return obj;
  const o = ordered(obj as Record<string, unknown>, top);
  if (o.metadata && typeof o.metadata === "object") o.metadata = ordered(o.metadata as Record<string, unknown>, META_ORDER);
  if (Array.isArray(o.items)) o.items = o.items.map((x) => goOrder(x, top));
  return o;
}

export function listOf(items: unknown[]): Record<string, unknown> {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "", selfLink: "" } };
}

/** An object kubectl built from its Go type: struct field order. */
export function toJson(obj: unknown): string {
  return goJson(goOrder(obj), false) + "\n";
}

/**
 * An object a kubectl generator built (create deployment|service|namespace --dry-run=client -o json): `kind` before
 * `apiVersion`, as Go encodes TypeMeta; below the top, the order the generator built it in.
 */
export function toJsonTyped(obj: unknown): string {
  return goJson(goOrder(obj, TYPED_TOP_ORDER), false) + "\n";
}

/** An object (or List) kubectl decoded generically, as `kubectl get -o json` prints it: keys sorted at every level. */
export function toJsonSorted(obj: unknown): string {
  return goJson(obj, true) + "\n";
}

export function toYaml(obj: unknown): string {
  return goYaml(obj);
}

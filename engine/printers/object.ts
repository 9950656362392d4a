// `-o yaml` / `-o json`: objects as kubectl prints them. JSON keeps Go's struct field order (apiVersion, kind,
// metadata, spec, status) with 4-space indentation; YAML goes through JSON-to-YAML as kubectl does, so map keys
// come out sorted and sequences are not indented under their key.
import { stringify } from "yaml";

const TOP_ORDER = ["apiVersion", "kind", "metadata", "spec", "subsets", "status", "items"];
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

function goOrder(obj: unknown): unknown {
  if (!obj || typeof obj !== "object" || Array.isArray(obj)) return obj;
  const o = ordered(obj as Record<string, unknown>, TOP_ORDER);
  if (o.metadata && typeof o.metadata === "object") o.metadata = ordered(o.metadata as Record<string, unknown>, META_ORDER);
  if (Array.isArray(o.items)) o.items = o.items.map(goOrder);
  return o;
}

export function listOf(items: unknown[]): Record<string, unknown> {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "", selfLink: "" } };
}

export function toJson(obj: unknown): string {
  return JSON.stringify(goOrder(obj), null, 4) + "\n";
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function toYaml(obj: unknown): string {
  return stringify(sortKeys(obj), { version: "1.1", indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: "null" });
}

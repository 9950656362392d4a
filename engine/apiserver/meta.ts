// Object metadata on create and update: server-set fields (uid, resourceVersion, creationTimestamp) and the
// user's labels/annotations.
import type { ObjectMeta } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { newMeta, nextRV } from "../store.ts";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

type Obj = Record<string, unknown>;

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Obj)) out[k] = x === null || x === undefined ? "" : String(x);
  return Object.keys(out).length ? out : undefined;
}

export function userMeta(input: Obj): { labels?: Record<string, string>; annotations?: Record<string, string> } {
  const m = (input.metadata ?? {}) as Obj;
  return { labels: stringMap(m.labels), annotations: stringMap(m.annotations) };
}

export function metaForCreate(st: ClusterState, input: Obj, name: string, namespace: string | undefined): ObjectMeta {
  const meta = newMeta(st, name, namespace);
  const { labels, annotations } = userMeta(input);
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  return meta;
}

export function metaForUpdate(st: ClusterState, input: Obj, existing: ObjectMeta): ObjectMeta {
  const { labels, annotations } = userMeta(input);
  const meta: ObjectMeta = { ...existing, resourceVersion: nextRV(st) };
  delete meta.labels;
  delete meta.annotations;
  if (labels) meta.labels = labels;
  if (annotations) meta.annotations = annotations;
  return meta;
}

// Annotation writes (kubectl annotate): the merge patch kubectl v1.19 sends — keys set and keys removed — with the
// apiserver's ValidateAnnotations on the result. Existing keys need `overwrite` (kubectl's own check, before the
// patch); a removed key that is not there is no error.
import type { Kind } from "../types.ts";
import type { ClusterState } from "../state.ts";
import { ClientError, conflict, invalid } from "../errors.ts";
import { resourceFor } from "../resources.ts";
import { findObject, getObject, nextRV } from "../store.ts";
import { key } from "../state.ts";
import { annotationsField } from "../validation/fielderrors.ts";
import { touchPod } from "../controllers/podlifecycle.ts";

export interface AnnotationChange {
  set: Record<string, string>;
  remove: string[];
  overwrite?: boolean;
  resourceVersion?: string;
  /** The field manager (`kubectl-annotate` unless given). */
  manager?: string;
}

const CHANGE_CAUSE = "kubernetes.io/change-cause";

export function annotateObject(st: ClusterState, kind: Kind, name: string, namespace: string | undefined, change: AnnotationChange): { resource: string; name: string } {
  const res = resourceFor(kind);
  const obj = getObject(st, kind, name, namespace);
  if (change.resourceVersion && change.resourceVersion !== obj.metadata.resourceVersion) throw conflict(res.qualified, name);
  const current = obj.metadata.annotations ?? {};
  if (!change.overwrite) {
    const clashes = Object.keys(change.set)
      .filter((k) => k !== CHANGE_CAUSE && Object.hasOwn(current, k))
      .map((k) => `'${k}' already has a value (${current[k]})`);
    if (clashes.length) throw new ClientError(`--overwrite is false but found the following declared annotation(s): ${clashes.join("; ")}`);
  }
  const next: Record<string, string> = { ...current, ...change.set };
  for (const k of change.remove) delete next[k];
  const errs = annotationsField(next, "metadata.annotations");
  if (errs.length) throw invalid(kind, name, errs);
  const has = Object.keys(next).length > 0;
  if (kind === "Pod") {
    const rec = st.pods[key(obj.metadata.namespace!, name)];
    if (has) rec.annotations = next;
    else delete rec.annotations;
    touchPod(st, rec);
  } else {
    const stored = findObject(st, kind, name, obj.metadata.namespace)!;
    if (has) stored.metadata.annotations = next;
    else delete stored.metadata.annotations;
    stored.metadata.resourceVersion = nextRV(st);
  }
  return { resource: res.printName, name };
}

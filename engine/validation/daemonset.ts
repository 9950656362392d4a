// DaemonSet validation (v1.19 pkg/apis/apps/validation ValidateDaemonSet / ValidateDaemonSetUpdate): metadata, the
// selector and template rules shared with ReplicaSets, and the selector's immutability on update.
import type { FieldError } from "../errors.ts";
import { canonicalEqual } from "../hash.ts";
import { goLabelSelector, invalidField, nonNegative, int, rec, typeErrors, validateObjectMeta, validateObjectMetaUpdate, nameIsDNSSubdomain, FIELD_IMMUTABLE_ERROR_MSG } from "./fielderrors.ts";
import { validateSelectorAndTemplate } from "./workloads.ts";

function validateSpec(spec: unknown): FieldError[] {
  const s = rec(spec);
  const errs = validateSelectorAndTemplate(s, "spec");
  errs.push(...nonNegative(int(s.minReadySeconds), "spec.minReadySeconds"));
  if (s.revisionHistoryLimit !== undefined && s.revisionHistoryLimit !== null) errs.push(...nonNegative(int(s.revisionHistoryLimit), "spec.revisionHistoryLimit"));
  return errs;
}

export function validateDaemonSet(ds: unknown, old?: unknown): FieldError[] {
  const typeErrs = typeErrors(ds, "DaemonSet");
  if (typeErrs.length) return typeErrs;
  const n = rec(ds);
  if (!old) return [...validateObjectMeta(n.metadata, { nameFn: nameIsDNSSubdomain }), ...validateSpec(n.spec)];
  const o = rec(old);
  const errs = [...validateObjectMetaUpdate(n.metadata, o.metadata), ...validateSpec(n.spec)];
  const sel = rec(n.spec).selector;
  if (!canonicalEqual(sel ?? {}, rec(o.spec).selector ?? {})) errs.push(invalidField("spec.selector", goLabelSelector(sel), FIELD_IMMUTABLE_ERROR_MSG));
  return errs;
}

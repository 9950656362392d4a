// Admission of a DaemonSet: defaults, validation, metadata, generation (bumped when the spec changes).
import type { DaemonSet } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { invalid } from "../errors.ts";
import { canonicalEqual, sortKeysDeep } from "../hash.ts";
import { defaultDaemonSet } from "../validation/defaults.ts";
import { validateDaemonSet } from "../validation/daemonset.ts";
import { metaForCreate, metaForUpdate } from "./meta.ts";
import { stripTemplateDefaults } from "./server-defaults.ts";

export const TEMPLATE_GENERATION = "deprecated.daemonset.template.generation";

export function admitDaemonSet(st: ClusterState, input: Record<string, unknown>, name: string, ns: string, existing?: DaemonSet): DaemonSet {
  // a template read with the server's defaults and sent back keeps the stored template (and its pods' hash)
  const ds = defaultDaemonSet(stripTemplateDefaults(input)) as DaemonSet;
  ds.spec = sortKeysDeep(ds.spec);
  ds.apiVersion = "apps/v1";
  ds.kind = "DaemonSet";
  ds.metadata = existing ? metaForUpdate(st, input, existing.metadata) : metaForCreate(st, input, name, ns);
  const errs = validateDaemonSet(ds, existing);
  if (errs.length) throw invalid("DaemonSet", name, errs);
  const specChanged = !existing || !canonicalEqual(existing.spec, ds.spec);
  ds.metadata.generation = (existing?.metadata.generation ?? 0) + (specChanged ? 1 : 0);
  // The apps/v1 registry's record of the template generation (the pods' pod-template-generation label).
  const templateChanged = !existing || !canonicalEqual(existing.spec.template, ds.spec.template);
  const prevGen = Number(existing?.metadata.annotations?.[TEMPLATE_GENERATION] ?? 0);
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(prevGen + (templateChanged ? 1 : 0)) };
  ds.status = existing?.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  return ds;
}

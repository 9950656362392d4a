// kubectl replace -f (pkg/cmd/replace/replace.go): each object of the files replaces the live one whole, as a PUT
// does (so v1.19's rules on a whole object apply: a Service sent without its clusterIP is refused as an immutable
// field); the live version is sent when the file has none, a stale one is a conflict. `--force` deletes the objects,
// waits until they are gone (a pod's grace period passes on the virtual clock) and creates them again.
import type { ShellCtx } from "../shell/context.ts";
import { KubeError } from "../errors.ts";
import { RESOURCES } from "../resources.ts";
import type { ApplyResult, Kind } from "../types.ts";
import { parseManifest } from "../apiserver/manifest.ts";
import { LAST_APPLIED } from "../apiserver/meta.ts";
import { canonicalJSON } from "../hash.ts";
import { bool, int, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { readSources } from "./files.ts";
import { waitPodsGone } from "./pods.ts";
import { Out, errorText, printWritten, writeOutputRefusal } from "./output.ts";
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, writeTarget, type DryRun } from "./dry-run.ts";
import type { Cluster } from "../cluster.ts";
import type { AnyObject } from "../objects.ts";

export const replace: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("replace", argv, [
    { name: "filename", short: "f", type: "strings" },
    { name: "recursive", short: "R", type: "bool" },
    { name: "force", type: "bool" },
    { name: "grace-period", type: "int" },
    { name: "timeout", type: "string" },
    { name: "wait", type: "bool" },
    { name: "cascade", type: "string" },
    { name: "output", short: "o", type: "string" },
    DRY_RUN_FLAG,
    { name: "save-config", type: "bool" },
    { name: "validate", type: "bool" },
    { name: "field-manager", type: "string" },
    { name: "record", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const fail = (msg: string) => (o.err(msg), o.result());
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const output = str(p, "output") ?? "";
  const refusal = writeOutputRefusal(output);
  if (refusal) return fail(refusal);
  const files = strs(p, "filename");
  if (files.length === 0) return fail("error: must specify one of -f and -k");
  const force = bool(p, "force");
  const grace = int(p, "grace-period");
  if (grace !== undefined && grace >= 0 && !force) return fail("error: --grace-period must have --force specified");
  if (str(p, "timeout") !== undefined && str(p, "timeout") !== "0s" && !force) return fail("error: --timeout must have --force specified");
  const sources = readSources(ctx, files, stdin, o);
  if (!sources) return o.result();
  const ns = namespaceOf(p);
  const manager = str(p, "field-manager") ?? "kubectl-replace";
  const suffix = dryRunSuffix(dry);
  // a server dry run replaces on a copy that nothing keeps: the apiserver's checks and answer, no write
  const target = writeTarget(ctx, dry);
  // what the server answered (the live object), or with a dry run the object as read from the file
  const printed = (resource: string, name: string, obj: () => unknown) =>
    printWritten(o, output, output && output !== "name" ? obj() : undefined, `${resource}/${name}`, `${resource}/${name} replaced${suffix}`);
  const live = (r: ApplyResult) => () => answered(target(), ctx.c, r, dry);
  for (const s of sources) {
    let docs: Record<string, unknown>[];
    try {
      docs = parseManifest(s.text, s.source).map((d) => withSavedConfig(d.obj, bool(p, "save-config"), ns));
    } catch (e) {
      o.err(errorText(e));
      continue;
    }
    // a client dry run prints what would be sent, as createObjects does
    if (dry === "client") {
      for (const d of docs) printed(RESOURCES.find((r) => r.kind === d.kind)?.printName ?? String(d.kind).toLowerCase(), String((d.metadata as { name?: unknown })?.name ?? ""), () => withNamespace(d, ns));
      continue;
    }
    // (a dry run never deletes: with --force it replaces on the copy as without)
    if (force && dry === "none") {
      forceReplace(ctx, docs, ns, grace, manager, s.source, output, o, (r) => printed(r.resource, r.name, live(r)));
      continue;
    }
    for (const r of target().apply(docs, { namespace: ns, namespaceExplicit: str(p, "namespace") !== undefined, mode: "replace", source: s.source, manager })) {
      if (r.error) o.err(sourced(r.error, s.source));
      else printed(r.resource, r.name, live(r));
    }
  }
  return o.result();
};

/** The builder's DefaultNamespace: a namespaced object read from a file without one gets the command's namespace. */
function withNamespace(obj: Record<string, unknown>, ns: string): Record<string, unknown> {
  if (!RESOURCES.find((r) => r.kind === obj.kind)?.namespaced || (obj.metadata as { namespace?: string })?.namespace) return obj;
  return { ...obj, metadata: { ...((obj.metadata ?? {}) as Record<string, unknown>), namespace: ns } };
}

/** AddSourceToErr("replacing", …): a server error names the file; a field error (Invalid) prints as it is. */
function sourced(e: Error, source: string): string {
  if (e instanceof KubeError && e.reason !== "Invalid") return `Error from server (${e.reason}): error when replacing "${source}": ${e.message}`;
  return errorText(e);
}

/**
 * --save-config: the object as kubectl sends it (its namespace filled in, the annotation taken out, which leaves an
 * empty `annotations` map), recorded in its last-applied annotation (CreateApplyAnnotation).
 */
function withSavedConfig(obj: Record<string, unknown>, save: boolean, ns: string): Record<string, unknown> {
  if (!save) return obj;
  const { [LAST_APPLIED]: _previous, ...others } = ((obj.metadata as { annotations?: Record<string, string> })?.annotations ?? {}) as Record<string, string>;
  const meta = { ...((obj.metadata ?? {}) as Record<string, unknown>) };
  if (RESOURCES.find((r) => r.kind === obj.kind)?.namespaced) meta.namespace ??= ns;
  const sent = { ...obj, metadata: { ...meta, annotations: others } };
  return { ...obj, metadata: { ...meta, annotations: { ...others, [LAST_APPLIED]: canonicalJSON(sent) + "\n" } } };
}

/** --force: delete what exists (its line as kubectl delete prints it), wait until it is gone, create it again. */
function forceReplace(
  ctx: ShellCtx,
  docs: Record<string, unknown>[],
  ns: string,
  grace: number | undefined,
  manager: string,
  source: string,
  output: string,
  o: Out,
  printed: (r: ApplyResult) => void,
): void {
  const pods: { name: string; ns: string }[] = [];
  for (const d of docs) {
    const res = RESOURCES.find((r) => r.kind === d.kind);
    const meta = (d.metadata ?? {}) as { name?: string; namespace?: string };
    if (!res || !meta.name) continue;
    const tns = res.namespaced ? (meta.namespace ?? ns) : undefined;
    try {
      ctx.c.delete(res.kind as Kind, meta.name, tns, grace !== undefined && grace >= 0 ? { gracePeriodSeconds: grace } : {});
      // kubectl delete's line (with -o name, its name form)
      o.out(output === "name" ? `${res.printName}/${meta.name}\n` : `${res.printName} "${meta.name}" deleted\n`);
      if (res.kind === "Pod") pods.push({ name: meta.name, ns: tns! });
    } catch (e) {
      if (!(e instanceof KubeError && e.reason === "NotFound")) o.err(errorText(e));
    }
  }
  waitPodsGone(ctx, pods);
  for (const r of ctx.c.apply(docs, { namespace: ns, mode: "create", source, manager })) {
    if (r.error) o.err(sourced(r.error, source));
    else printed(r);
  }
}

/**
 * The object the apiserver answered a replace with. A server dry run's answer is the object as it would be stored,
 * but never stored: it keeps the live object's resourceVersion.
 */
function answered(target: Cluster, live: Cluster, r: ApplyResult, dry: DryRun): AnyObject {
  const obj = target.get(r.kind as Kind, r.name, r.namespace);
  if (dry === "server") obj.metadata.resourceVersion = live.get(r.kind as Kind, r.name, r.namespace).metadata.resourceVersion;
  return obj;
}

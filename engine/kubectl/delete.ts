// kubectl delete: by -f, TYPE NAME, TYPE/NAME, selector or --all; waits for deleted pods to go, on the virtual clock;
// --dry-run prints what would be deleted (`deployment.apps "web" deleted (dry run)`) and deletes nothing.
import type { ResourceInfo } from "../resources.ts";
import { RESOURCES } from "../resources.ts";
import { KubeError } from "../errors.ts";
import { parseManifest } from "../apiserver/manifest.ts";
import { bool, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { readSources } from "./files.ts";
import { waitPodsGone } from "./pods.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { NO_RESOURCE_ARGS, collectTargets, namedRefs, parseResourceArgs } from "./targets.ts";
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, writeTarget } from "./dry-run.ts";

export const delete_: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("delete", argv, [
    { name: "filename", short: "f", type: "strings" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "all-namespaces", short: "A", type: "bool" },
    { name: "wait", type: "bool" },
    { name: "now", type: "bool" },
    { name: "force", type: "bool" },
    { name: "grace-period", type: "int" },
    { name: "ignore-not-found", type: "bool" },
    { name: "recursive", short: "R", type: "bool" },
    { name: "output", short: "o", type: "string" },
    DRY_RUN_FLAG,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  // a server dry run deletes on a copy that nothing keeps (the apiserver's checks, no change); a client one only
  // reads what it would delete
  const target = writeTarget(ctx, dry);
  const ns = namespaceOf(p);
  const targets: { res: ResourceInfo; name: string; ns?: string }[] = [];
  const files = strs(p, "filename");
  if (files.length) {
    const sources = readSources(ctx, files, stdin, o);
    if (!sources) return o.result();
    for (const s of sources) {
      try {
        for (const d of parseManifest(s.text, s.source)) {
          const r = RESOURCES.find((x) => x.kind === d.obj.kind);
          const meta = (d.obj.metadata ?? {}) as { name?: string; namespace?: string };
          if (!r || !meta.name) {
            o.err(`error: unable to recognize "${s.source}": no matches for kind "${String(d.obj.kind)}" in version "${String(d.obj.apiVersion)}"`);
            continue;
          }
          targets.push({ res: r, name: meta.name, ns: meta.namespace });
        }
      } catch (e) {
        o.err(errorText(e));
      }
    }
  } else {
    if (p.args.length === 0) {
      o.err(NO_RESOURCE_ARGS);
      return o.result();
    }
    const spec = parseResourceArgs(p.args);
    const found = collectTargets(ctx, spec, bool(p, "all-namespaces") ? undefined : ns, str(p, "selector"), bool(p, "all"));
    if (found.length === 0 && !namedRefs(spec)) {
      o.stderr += "No resources found\n";
      return o.result();
    }
    for (const t of found) targets.push({ res: t.res, name: t.name, ns: t.obj?.metadata.namespace });
  }
  const grace = gracePeriod(p.flags["grace-period"] as number | undefined, bool(p, "force"), bool(p, "now"));
  if (grace === 0) o.stderr += "warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";
  else if (bool(p, "force")) o.stderr += "warning: --force is ignored because --grace-period is not 0.\n";
  const waitPods: { name: string; ns: string }[] = [];
  for (const t of targets) {
    const tns = t.res.namespaced ? (t.ns ?? ns) : undefined;
    try {
      if (dry === "client") ctx.c.get(t.res.kind, t.name, tns);
      else target().delete(t.res.kind, t.name, tns, grace === undefined ? {} : { gracePeriodSeconds: grace });
      o.out(str(p, "output") === "name" ? `${t.res.printName}/${t.name}\n` : `${t.res.printName} "${t.name}" ${grace === 0 ? "force deleted" : "deleted"}${dryRunSuffix(dry)}\n`);
      // (a dry run does not wait)
      if (t.res.kind === "Pod" && p.flags.wait !== false && dry === "none") waitPods.push({ name: t.name, ns: tns! });
    } catch (e) {
      if (!isKnownError(e)) throw e;
      if (bool(p, "ignore-not-found") && e instanceof KubeError && e.reason === "NotFound") continue;
      o.err(errorText(e));
    }
  }
  // kubectl delete waits until the pods are gone (their grace period runs on the virtual clock).
  waitPodsGone(ctx, waitPods);
  return o.result();
};

/**
 * kubectl v1.19 DeleteOptions: --now is --grace-period=1; a bare --grace-period=0 becomes 1 (only --force deletes at
 * once); --force without a period means 0. undefined: the server's default (the pod's terminationGracePeriodSeconds).
 */
function gracePeriod(flag: number | undefined, force: boolean, now: boolean): number | undefined {
  let g = flag ?? -1;
  if (now) g = 1;
  if (g === 0 && !force) g = 1;
  if (force && g < 0) g = 0;
  return g < 0 ? undefined : g;
}

// kubectl set selector (below) and kubectl set image (v1.19 pkg/cmd/set/set_image.go): `TYPE NAME|TYPE/NAME container=image ...` on the pod template
// of Deployments, ReplicaSets and DaemonSets (and the spec of Pods); `*` names every container. A change prints
// `<type>/<name> image updated`; no change prints nothing; an unknown container is an error.
import type { AnyObject, PodSpec, Service } from "../objects.ts";
import { bool, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, writeTarget } from "./dry-run.ts";
import { Out, errorText, isKnownError, printWritten } from "./output.ts";
import { ClientError, conflict } from "../errors.ts";
import { parseToLabelSelector } from "../labels/selector.ts";
import { NO_RESOURCE_ARGS, collectTargets, parseResourceArgs } from "./targets.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";

export const set: Sub = (ctx, argv, stdin) => {
  const what = argv.find((a) => !a.startsWith("-"));
  if (what !== "image" && what !== "selector") {
    const o = new Out();
    if (what === undefined) o.err('error: Unexpected args: []\nSee \'kubectl set -h\' for help and examples');
    else o.err(`error: kubelab simulates "kubectl set image" and "kubectl set selector" only`);
    return o.result();
  }
  const rest = argv.filter((a) => a !== what);
  return what === "image" ? setImage(ctx, rest, stdin) : setSelector(ctx, rest, stdin);
};

/**
 * kubectl set selector (v1.19 pkg/cmd/set/set_selector.go): `TYPE NAME|TYPE/NAME … EXPRESSIONS` replaces a Service's
 * spec.selector with the expression's matchLabels (anything but a Service, or an expression, is refused) and prints
 * `service/<name> selector updated` — every time, changed or not, as its patch is sent either way.
 */
const setSelector: Sub = (ctx, argv) => {
  const p = flagsOrUsage("set selector", argv, [
    { name: "all", type: "bool" },
    { name: "local", type: "bool" },
    { name: "record", type: "bool" },
    { name: "resource-version", type: "string" },
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "recursive", short: "R", type: "bool" },
    DRY_RUN_FLAG,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const target = writeTarget(ctx, dry);
  if (p.args.length === 0) {
    o.err("error: one selector is required");
    return o.result();
  }
  const resources = p.args.slice(0, -1);
  const ns = namespaceOf(p);
  if (bool(p, "local") || strs(p, "filename").length) {
    // (kubelab reads no manifests here: --local needs -f, and -f is not simulated for set selector)
    o.err(strs(p, "filename").length ? "error: kubelab simulates kubectl set selector on live objects only (no -f)" : "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'");
    return o.result();
  }
  if (resources.length === 0 && !bool(p, "all")) {
    o.err(NO_RESOURCE_ARGS);
    return o.result();
  }
  try {
    const selector = parseToLabelSelector(p.args[p.args.length - 1]);
    const output = str(p, "output") ?? "";
    for (const t of collectTargets(ctx, parseResourceArgs(resources), ns, undefined, bool(p, "all"))) {
      const live = ctx.c.get(t.res.kind, t.name, ns);
      if (live.kind !== "Service") throw new ClientError("setting a selector is only supported for Services");
      if (selector.matchExpressions.length)
        throw new ClientError(`match expression [${selector.matchExpressions.map((e) => `{${e.key} ${e.operator} [${e.values.join(" ")}]}`).join(" ")}] not supported on this object`);
      const obj = structuredCloneJson(live) as Service;
      obj.spec.selector = { ...selector.matchLabels };
      // --resource-version: the patch carries it, and the apiserver refuses a stale one
      const rv = str(p, "resource-version");
      if (rv !== undefined && rv !== live.metadata.resourceVersion) throw conflict(t.res.qualified, t.name);
      if (dry !== "client") target().replace(obj as unknown as Record<string, unknown>, { manager: "kubectl-set" });
      const written = dry === "client" ? obj : target().get(t.res.kind, t.name, ns);
      printWritten(o, output, written, `${t.res.printName}/${t.name}`, `${t.res.printName}/${t.name} selector updated${dryRunSuffix(dry)}`);
    }
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  return o.result();
};

const setImage: Sub = (ctx, argv) => {
  const p = flagsOrUsage("set image", argv, [
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "local", type: "bool" },
    { name: "record", type: "bool" },
    { name: "output", short: "o", type: "string" },
    DRY_RUN_FLAG,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  // Complete reads --dry-run before Validate looks at the pairs; a dry run changes a copy that nothing keeps
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const target = writeTarget(ctx, dry);
  const pairs = p.args.filter((a) => a.includes("="));
  const resources = p.args.filter((a) => !a.includes("="));
  if (pairs.length === 0) {
    o.err("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
    return o.result();
  }
  if (resources.length === 0 && !str(p, "selector") && !bool(p, "all")) {
    o.err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'kubectl set image -h' for help and examples");
    return o.result();
  }
  const images = new Map(pairs.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  const ns = namespaceOf(p);
  const errs: string[] = [];
  try {
    const targets = collectTargets(ctx, parseResourceArgs(resources), ns, str(p, "selector"), bool(p, "all"));
    for (const t of targets) {
      const live = ctx.c.get(t.res.kind, t.name, ns);
      const obj = structuredCloneJson(live) as AnyObject;
      const spec = podSpecOf(obj);
      if (!spec) {
        errs.push(`error: ${t.res.printName}/${t.name} the object is not a pod or does not have a pod template: ${obj.kind}`);
        continue;
      }
      let changed = false;
      for (const [name, image] of images) {
        let found = false;
        for (const c of spec.containers)
          if (name === "*" || c.name === name) {
            found = true;
            if (c.image !== image) {
              c.image = image;
              changed = true;
            }
          }
        if (!found) errs.push(`error: unable to find container named "${name}"`);
      }
      if (!changed) continue;
      // a client dry run sends nothing; a server one is admitted on the copy
      if (dry !== "client") target().replace(obj as unknown as Record<string, unknown>, { manager: "kubectl-set" });
      o.out(`${t.res.printName}/${t.name} image updated${dryRunSuffix(dry)}\n`);
    }
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  if (errs.length === 1) o.err(errs[0]);
  else if (errs.length > 1) o.err(`[${errs.join(", ")}]`);
  return o.result();
};

function podSpecOf(obj: AnyObject): PodSpec | undefined {
  if (obj.kind === "Pod") return obj.spec;
  if (obj.kind === "Deployment" || obj.kind === "ReplicaSet" || obj.kind === "DaemonSet") return obj.spec.template.spec;
  return undefined;
}

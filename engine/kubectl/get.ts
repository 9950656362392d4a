// kubectl get: tables (wide, labels, label columns, kind prefixes), -o yaml|json|name|jsonpath, "No resources found".
import type { AnyObject } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import { resolveResource, resourceFor } from "../resources.ts";
import { eventFieldFilter, type EventObject } from "../events.ts";
import type { Kind } from "../types.ts";
import type { ShellCtx } from "../shell/context.ts";
import { KubeError } from "../errors.ts";
import { printTable } from "../printers/table.ts";
import { listOf, toJsonSorted, toYaml } from "../printers/object.ts";
import { type FlagSpec, type Parsed, bool, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError, printJsonpath } from "./output.ts";
import { noResources, parseResourceArgs, list, selectorResource } from "./targets.ts";

const GET_FLAGS: FlagSpec[] = [
  { name: "output", short: "o", type: "string" },
  { name: "selector", short: "l", type: "string" },
  { name: "all-namespaces", short: "A", type: "bool" },
  { name: "show-labels", type: "bool" },
  { name: "label-columns", short: "L", type: "strings" },
  { name: "watch", short: "w", type: "bool" },
  { name: "no-headers", type: "bool" },
  { name: "show-kind", type: "bool" },
  { name: "field-selector", type: "string" },
  { name: "sort-by", type: "string" },
  { name: "filename", short: "f", type: "strings" },
  { name: "recursive", short: "R", type: "bool" },
  { name: "ignore-not-found", type: "bool" },
  { name: "chunk-size", type: "int" },
];

const OUTPUTS = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

const ALL_KINDS: Kind[] = ["Pod", "Service", "DaemonSet", "Deployment", "ReplicaSet"];

interface Group {
  res: ResourceInfo;
  objs: AnyObject[];
}

function printGroups(ctx: ShellCtx, groups: Group[], p: Parsed, o: Out, singleObject: boolean, forcePrefix: boolean): void {
  const output = str(p, "output") ?? "";
  const objs = groups.flatMap((g) => g.objs);
  if (output === "yaml" || output === "json") {
    const value = singleObject && objs.length === 1 ? objs[0] : listOf(objs);
    o.out(output === "yaml" ? toYaml(value) : toJsonSorted(value));
    return;
  }
  if (output === "name") {
    for (const g of groups) for (const x of g.objs) o.out(`${g.res.printName}/${x.metadata.name}\n`);
    return;
  }
  if (output.startsWith("jsonpath=") || output.startsWith("jsonpath-as-json=")) {
    printJsonpath(o, output, singleObject && objs.length === 1 ? objs[0] : listOf(objs));
    return;
  }
  const prefix = forcePrefix || groups.length > 1 || !!bool(p, "show-kind");
  let first = true;
  for (const g of groups) {
    if (g.objs.length === 0) continue;
    if (!first) o.out("\n");
    first = false;
    o.out(
      printTable(g.res.kind, g.objs, ctx.c.nowSeconds(), {
        wide: output === "wide",
        showLabels: bool(p, "show-labels"),
        labelColumns: strs(p, "label-columns"),
        withNamespace: bool(p, "all-namespaces") && g.res.namespaced,
        namePrefix: prefix ? `${g.res.printName}/` : undefined,
        noHeaders: bool(p, "no-headers"),
      }),
    );
  }
}

export const get: Sub = (ctx, argv) => {
  const p = flagsOrUsage("get", argv, GET_FLAGS);
  if (isResult(p)) return p;
  const o = new Out();
  const output = str(p, "output") ?? "";
  if (output && !["wide", "yaml", "json", "name"].includes(output) && !/^jsonpath(-as-json)?=/.test(output)) {
    o.err(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS}`);
    return o.result();
  }
  const fieldSelector = str(p, "field-selector");
  const eventsOnly = p.args.length > 0 && !p.args.some((a) => a.includes("/")) && p.args[0].split(",").every((w) => resolveResource(w)?.kind === "Event");
  if (fieldSelector !== undefined && !eventsOnly) {
    o.err("error: kubelab simulates --field-selector for events only; use -l with a label selector");
    return o.result();
  }
  const allNs = bool(p, "all-namespaces");
  const ns = allNs ? undefined : namespaceOf(p);
  const selector = str(p, "selector");
  if (p.args.length === 0) {
    o.err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    );
    return o.result();
  }
  const spec = parseResourceArgs(p.args, true);
  const groups: Group[] = [];
  let single = false;
  let anyNamed = false;
  // One named object; a failed lookup is printed (NotFound stays quiet with --ignore-not-found) and the rest go on.
  const lookup = (res: ResourceInfo, name: string): AnyObject | undefined => {
    try {
      return ctx.c.get(res.kind, name, res.namespaced ? (ns ?? "default") : undefined);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      if (!(bool(p, "ignore-not-found") && e instanceof KubeError && e.reason === "NotFound")) o.err(errorText(e));
      return undefined;
    }
  };
  if (spec.pairs) {
    anyNamed = true;
    single = spec.pairs.length === 1;
    for (const { res, name } of spec.pairs) {
      const obj = lookup(res, name!);
      if (!obj) continue;
      const g = groups.find((x) => x.res.kind === res.kind);
      if (g) g.objs.push(obj);
      else groups.push({ res, objs: [obj] });
    }
  } else if (spec.all) {
    for (const kind of ALL_KINDS) {
      const res = resourceFor(kind);
      groups.push({ res, objs: list(ctx, res, ns, selector) });
    }
  } else if (spec.names.length) {
    anyNamed = true;
    single = spec.names.length === 1 && spec.types.length === 1;
    for (const res of spec.types) {
      const g: Group = { res, objs: [] };
      groups.push(g);
      for (const name of spec.names) {
        const obj = lookup(res, name);
        if (obj) g.objs.push(obj);
      }
    }
  } else {
    for (const res of spec.types) groups.push({ res, objs: list(ctx, res, ns, selector) });
    if (fieldSelector && fieldSelector.trim()) {
      let keep: (e: EventObject) => boolean;
      try {
        keep = eventFieldFilter(fieldSelector);
      } catch (e) {
        if (!(e instanceof KubeError)) throw e;
        // kubectl names the list it could not read, with both selectors, before the server's words
        o.err(errorText(new KubeError(e.reason, `Unable to find "${selectorResource(spec.types[0])}" that match label selector "${selector ?? ""}", field selector "${fieldSelector}": ${e.message}`)));
        return o.result();
      }
      for (const g of groups) g.objs = g.objs.filter((x) => keep(x as unknown as EventObject));
    }
  }
  const total = groups.reduce((n, g) => n + g.objs.length, 0);
  if (total === 0 && !anyNamed) {
    if (output === "yaml" || output === "json") printGroups(ctx, groups, p, o, false, false);
    else {
      const namespaced = spec.all || groups.some((g) => g.res.namespaced);
      o.stderr += noResources(ns, namespaced) + "\n";
    }
    return o.result();
  }
  // printGeneric (v1.19): one object asked for by name and not found prints only the error; with
  // --ignore-not-found and nothing found, nothing at all; otherwise the objects found, as a List.
  const nothingToList = total === 0 && anyNamed && (single || bool(p, "ignore-not-found"));
  if (total > 0 || ((output === "yaml" || output === "json") && !nothingToList)) printGroups(ctx, groups, p, o, single && anyNamed, !!spec.all);
  if (bool(p, "watch")) o.stderr += "kubelab: --watch shows the current state once; run the command again (or `sleep N` first) to see changes\n";
  return o.result();
};

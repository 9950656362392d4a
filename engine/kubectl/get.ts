// kubectl get: tables (wide, labels, label columns, kind prefixes), -o yaml|json|name|jsonpath|custom-columns,
// --sort-by, "No resources found".
import type { AnyObject } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import { resourceFor } from "../resources.ts";
import { fieldSelectorFilter } from "../field-selectors.ts";
import type { Kind } from "../types.ts";
import type { ShellCtx } from "../shell/context.ts";
import { printTable } from "../printers/table.ts";
import { listOf, toJsonSorted, toYaml } from "../printers/object.ts";
import { type FlagSpec, type Parsed, bool, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError, printJsonpath } from "./output.ts";
import { noResources, parseResourceArgs, list, selectorResource } from "./targets.ts";
import { type Column, columnsFromSpec, columnsFromTemplate, customColumnsTable } from "./custom-columns.ts";
import { SortFatal, sortObjectsBy, sortPath } from "./sort-by.ts";
import { KLOG_FATAL_EXIT, klogLine } from "./klog.ts";
import { ClientError, KubeError } from "../errors.ts";
import { resolvePath } from "../shell/context.ts";
import { isDir, readHostFile } from "../shell/fs.ts";

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

/** -o formats printed by a generic printer (printGeneric: the objects as one List), not as a table. */
function isGeneric(output: string): boolean {
  return output !== "" && output !== "wide";
}

/** Prints what was found; false when the table path printed nothing (every table's sort failed). */
function printGroups(ctx: ShellCtx, groups: Group[], p: Parsed, o: Out, singleObject: boolean, forcePrefix: boolean): boolean {
  const output = str(p, "output") ?? "";
  const sortBy = str(p, "sort-by");
  const sorting = !!sortBy && !bool(p, "watch");
  if (isGeneric(output)) {
    printGeneric(ctx, groups, p, o, singleObject, sorting ? sortBy : undefined);
    return true;
  }
  // the table path: each table of more than one row sorted as it is printed (SortingPrinter); a table the field is
  // missing from prints nothing (kubectl get does not check that printer's error), so the command may end in "No
  // resources found" — an unsortable value still ends it (klog.Fatalf)
  const printed = sorting ? groups.filter((g) => {
    if (g.objs.length < 2) return true;
    try {
      sortObjectsBy(g.objs, sortPath(sortBy, "table"), "table");
      return true;
    } catch (e) {
      if (e instanceof ClientError) return false;
      throw e;
    }
  }) : groups;
  const prefix = forcePrefix || groups.length > 1 || !!bool(p, "show-kind");
  let first = true;
  for (const g of printed) {
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
  return !first;
}

/**
 * printGeneric (v1.19): one object asked for by name prints as itself, anything else as one List of every object
 * found (in the order found, or sorted by --sort-by), through the -o format's printer.
 */
function printGeneric(ctx: ShellCtx, groups: Group[], p: Parsed, o: Out, singleObject: boolean, sortBy: string | undefined): void {
  const output = str(p, "output") ?? "";
  const items = groups.flatMap((g) => g.objs.map((obj) => ({ res: g.res, obj })));
  const single = singleObject && items.length === 1;
  // the printer is made first (a bad custom-columns spec is refused before anything is sorted)
  let columns: Column[] | undefined;
  if (output === "custom-columns" || output.startsWith("custom-columns=")) columns = columnsFromSpec(output.slice("custom-columns=".length));
  else if (output === "custom-columns-file" || output.startsWith("custom-columns-file=")) {
    const file = output.slice("custom-columns-file=".length);
    if (file === "") throw new ClientError("custom-columns format specified but no custom columns given");
    const text = readHostFile(ctx, resolvePath(ctx.st.cwd, file));
    if (text === undefined) throw new ClientError(`error reading template ${file}, open ${file}: ${isDir(ctx, resolvePath(ctx.st.cwd, file)) ? "is a directory" : "no such file or directory"}\n`);
    columns = columnsFromTemplate(text);
  }
  if (sortBy !== undefined && !single && items.length > 0) {
    const path = sortPath(sortBy, "list");
    const objs = items.map((x) => x.obj);
    sortObjectsBy(objs, path, "list");
    const resOf = new Map(items.map((x) => [x.obj, x.res]));
    items.splice(0, items.length, ...objs.map((obj) => ({ obj, res: resOf.get(obj)! })));
  }
  const objs = items.map((x) => x.obj);
  if (columns) {
    const t = customColumnsTable(columns, objs, bool(p, "no-headers"));
    o.out(t.text);
    if (t.error !== undefined) o.err(`error: ${t.error}`);
    return;
  }
  if (output === "yaml" || output === "json") {
    const value = single ? objs[0] : listOf(objs);
    o.out(output === "yaml" ? toYaml(value) : toJsonSorted(value));
    return;
  }
  if (output === "name") {
    for (const x of items) o.out(`${x.res.printName}/${x.obj.metadata.name}\n`);
    return;
  }
  printJsonpath(o, output, single ? objs[0] : listOf(objs));
}

export const get: Sub = (ctx, argv) => {
  const p = flagsOrUsage("get", argv, GET_FLAGS);
  if (isResult(p)) return p;
  const o = new Out();
  const output = str(p, "output") ?? "";
  if (bool(p, "watch") && str(p, "sort-by")) o.stderr += "warning: --watch or --watch-only requested, --sort-by will be ignored\n";
  if (output && !["wide", "yaml", "json", "name"].includes(output) && !/^(jsonpath(-as-json)?|custom-columns(-file)?)=|^custom-columns(-file)?$/.test(output)) {
    o.err(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS}`);
    return o.result();
  }
  const fieldSelector = str(p, "field-selector");
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
    // each type's list read with the field selector: a type that refuses it is kubectl's "Unable to find" error,
    // the others are printed (the builder continues on error)
    for (const g of groups) {
      try {
        const keep = fieldSelectorFilter(g.res.kind, fieldSelector);
        if (keep) g.objs = g.objs.filter(keep);
      } catch (e) {
        if (!(e instanceof KubeError)) throw e;
        g.objs = [];
        o.err(errorText(new KubeError(e.reason, `Unable to find "${selectorResource(g.res)}" that match label selector "${selector ?? ""}", field selector "${fieldSelector}": ${e.message}`)));
      }
    }
  }
  const total = groups.reduce((n, g) => n + g.objs.length, 0);
  // printGeneric (v1.19) prints nothing at all when nothing was found and NotFound is ignored; one object asked for
  // by name and not found prints only the error; otherwise the objects found (maybe none) as a List. The table path
  // says "No resources found" when a listing found nothing.
  const nothingToList = total === 0 && (bool(p, "ignore-not-found") || (anyNamed && single));
  const print = (singleObject: boolean, forcePrefix: boolean): boolean => {
    try {
      return printGroups(ctx, groups, p, o, singleObject, forcePrefix);
    } catch (e) {
      if (e instanceof SortFatal) {
        o.stderr += klogLine(ctx, "F", e.at, e.message);
        o.code = KLOG_FATAL_EXIT;
      } else if (isKnownError(e)) o.err(errorText(e));
      else throw e;
      return true;
    }
  };
  const noneFound = () => {
    const namespaced = spec.all || groups.some((g) => g.res.namespaced);
    o.stderr += noResources(ns, namespaced) + "\n";
  };
  if (isGeneric(output)) {
    if (!nothingToList) print(single && anyNamed, !!spec.all);
  } else if (total > 0) {
    // nothing written (each table's sort failed) and nothing refused: kubectl's "No resources found"
    if (!print(single && anyNamed, !!spec.all) && o.code === 0 && !bool(p, "ignore-not-found")) noneFound();
  } else if (!anyNamed && o.code === 0 && !bool(p, "ignore-not-found")) noneFound();
  if (bool(p, "watch")) o.stderr += "kubelab: --watch shows the current state once; run the command again (or `sleep N` first) to see changes\n";
  return o.result();
};

// kubectl label: key=value / key- changes, --overwrite, --list, --dry-run, --resource-version.
import { isValidLabelValue } from "../validation/names.ts";
import { bool, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { collectTargets, parseResourceArgs } from "./targets.ts";

export const label: Sub = (ctx, argv) => {
  const p = flagsOrUsage("label", argv, [
    { name: "overwrite", type: "bool" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "list", type: "bool" },
    { name: "resource-version", type: "string" },
    { name: "dry-run", type: "string" },
    { name: "local", type: "bool" },
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "all-namespaces", short: "A", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const isChange = (a: string) => (a.includes("=") && !a.startsWith("=")) || (a.endsWith("-") && a !== "-");
  const resArgs: string[] = [];
  const changes: string[] = [];
  for (const a of p.args) {
    if (isChange(a)) changes.push(a);
    else {
      if (changes.length) {
        o.err(`error: all resources must be specified before label changes: ${a}`);
        return o.result();
      }
      resArgs.push(a);
    }
  }
  const list_ = bool(p, "list");
  const selector = str(p, "selector");
  if (bool(p, "all") && selector !== undefined) {
    o.err("error: cannot set --all and --selector at the same time");
    return o.result();
  }
  if (list_ && str(p, "output")) {
    o.err("error: --list and --output may not be specified together");
    return o.result();
  }
  if (resArgs.length === 0) {
    o.err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    return o.result();
  }
  if (changes.length === 0 && !list_) {
    o.err("error: at least one label update is required");
    return o.result();
  }
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of changes) {
    if (spec.includes("=")) {
      const parts = spec.split("=");
      if (parts.length !== 2) {
        o.err(`error: invalid label spec: ${spec}`);
        return o.result();
      }
      const errs = isValidLabelValue(parts[1]);
      if (errs.length) {
        o.err(`error: invalid label value: ${JSON.stringify(spec)}: ${errs.join(";")}`);
        return o.result();
      }
      set[parts[0]] = parts[1];
    } else remove.push(spec.slice(0, -1));
  }
  if (remove.some((k) => k in set)) {
    o.err("error: can not both modify and remove a label in the same command");
    return o.result();
  }
  const ns = bool(p, "all-namespaces") ? undefined : namespaceOf(p);
  const spec = parseResourceArgs(resArgs);
  const targets = collectTargets(ctx, spec, ns, selector, bool(p, "all"));
  if (str(p, "resource-version") !== undefined && targets.length > 1) {
    o.err("error: --resource-version may only be used with a single resource");
    return o.result();
  }
  for (const t of targets) {
    const tns = t.res.namespaced ? (t.obj?.metadata.namespace ?? ns ?? "default") : undefined;
    try {
      if (list_) {
        const obj = t.obj ?? ctx.c.get(t.res.kind, t.name, tns);
        const labels = obj.metadata.labels ?? {};
        if (targets.length > 1) {
          o.out(`Listing labels for ${t.res.kind}.${t.res.group}/${t.name}:\n`);
          for (const k of Object.keys(labels).sort()) o.out(` ${k}=${labels[k]}\n`);
        } else for (const k of Object.keys(labels).sort()) o.out(`${k}=${labels[k]}\n`);
        continue;
      }
      const dry = str(p, "dry-run");
      if (dry && dry !== "none") {
        ctx.c.get(t.res.kind, t.name, tns);
        o.out(`${t.res.printName}/${t.name} labeled (${dry === "server" ? "server dry run" : "dry run"})\n`);
        continue;
      }
      const r = ctx.c.label(t.res.kind, t.name, tns, { set, remove, overwrite: bool(p, "overwrite"), resourceVersion: str(p, "resource-version") });
      for (const k of r.notFound) o.out(`label "${k}" not found.\n`);
      o.out(`${r.resource}/${r.name} ${r.changed ? "labeled" : "not labeled"}\n`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

// kubectl annotate (v1.19 pkg/cmd/annotate): `TYPE NAME|TYPE/NAME KEY=VAL ... KEY- ...`, --overwrite, --list,
// --all / -l, --resource-version, --dry-run. Every object visited is patched and printed `<type>/<name> annotated`
// (kubectl sends the patch even when nothing changes).
import { bool, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { collectTargets, parseResourceArgs } from "./targets.ts";

export const annotate: Sub = (ctx, argv) => {
  const p = flagsOrUsage("annotate", argv, [
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
    { name: "record", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  // cmdutil.GetResourcesAndPairs: resources first, then changes.
  const isChange = (a: string) => (a.includes("=") && !a.startsWith("=")) || (a.endsWith("-") && a !== "-");
  const resArgs: string[] = [];
  const changes: string[] = [];
  for (const a of p.args) {
    if (isChange(a)) changes.push(a);
    else if (changes.length) {
      o.err(`error: all resources must be specified before annotation changes: ${a}`);
      return o.result();
    } else resArgs.push(a);
  }
  const list_ = bool(p, "list");
  const selector = str(p, "selector");
  if (list_ && str(p, "output")) {
    o.err("error: --list and --output may not be specified together");
    return o.result();
  }
  if (bool(p, "all") && selector !== undefined) {
    o.err("error: cannot set --all and --selector at the same time");
    return o.result();
  }
  if (resArgs.length === 0) {
    o.err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    return o.result();
  }
  if (changes.length === 0 && !list_) {
    o.err("error: at least one annotation update is required");
    return o.result();
  }
  // cmdutil.ParsePairs + annotate's own check.
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    if (c.includes("=") && !c.startsWith("=")) {
      const i = c.indexOf("=");
      set[c.slice(0, i)] = c.slice(i + 1);
    } else remove.push(c.slice(0, -1));
  }
  const both = remove.filter((k) => k in set);
  if (both.length) {
    o.err(`error: can not both modify and remove the following annotation(s) in the same command: ${both.join(", ")}`);
    return o.result();
  }
  const ns = bool(p, "all-namespaces") ? undefined : namespaceOf(p);
  try {
    const targets = collectTargets(ctx, parseResourceArgs(resArgs), ns, selector, bool(p, "all"));
    if (str(p, "resource-version") !== undefined && targets.length > 1) {
      o.err("error: --resource-version may only be used with a single resource");
      return o.result();
    }
    for (const t of targets) {
      const tns = t.res.namespaced ? (t.obj?.metadata.namespace ?? ns ?? "default") : undefined;
      try {
        if (list_) {
          const annotations = (t.obj ?? ctx.c.get(t.res.kind, t.name, tns)).metadata.annotations ?? {};
          const indent = targets.length > 1 ? " " : "";
          if (targets.length > 1) o.out(`Listing annotations for ${t.res.kind}.${t.res.group}/${t.name}:\n`);
          for (const k of Object.keys(annotations).sort()) o.out(`${indent}${k}=${annotations[k]}\n`);
          continue;
        }
        const dry = str(p, "dry-run");
        if (dry && dry !== "none") {
          ctx.c.get(t.res.kind, t.name, tns);
          o.out(`${t.res.printName}/${t.name} annotated (${dry === "server" ? "server dry run" : "dry run"})\n`);
          continue;
        }
        const r = ctx.c.annotate(t.res.kind, t.name, tns, { set, remove, overwrite: bool(p, "overwrite"), resourceVersion: str(p, "resource-version") });
        o.out(`${r.resource}/${r.name} annotated\n`);
      } catch (e) {
        if (!isKnownError(e)) throw e;
        o.err(errorText(e));
        return o.result();
      }
    }
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  return o.result();
};

// kubectl label: key=value / key- changes, --overwrite, --list, --dry-run, --resource-version.
import { bool, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError, printWritten, writeOutputRefusal } from "./output.ts";
import { collectTargets, parseResourceArgs } from "./targets.ts";
import { listed, pairArguments, refuseResourceVersion } from "./pairs.ts";
import { DRY_RUN_FLAG, dryRunOf, writeTarget } from "./dry-run.ts";

export const label: Sub = (ctx, argv) => {
  const p = flagsOrUsage("label", argv, [
    { name: "overwrite", type: "bool" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "list", type: "bool" },
    { name: "resource-version", type: "string" },
    DRY_RUN_FLAG,
    { name: "local", type: "bool" },
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "all-namespaces", short: "A", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  // Complete reads --dry-run first; a dry run (client or server) changes a copy that nothing keeps
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const refused = writeOutputRefusal(str(p, "output") ?? "");
  if (refused) {
    o.err(refused);
    return o.result();
  }
  const on = writeTarget(ctx, dry);
  const list_ = bool(p, "list");
  let args: ReturnType<typeof pairArguments>;
  try {
    args = pairArguments("label", p.args, { list: list_, output: str(p, "output"), all: bool(p, "all"), selector: str(p, "selector") });
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
    return o.result();
  }
  const { set, remove } = args;
  const ns = bool(p, "all-namespaces") ? undefined : namespaceOf(p);
  const targets = collectTargets(ctx, parseResourceArgs(args.resources), ns, str(p, "selector"), bool(p, "all"));
  if (refuseResourceVersion(p, targets, o)) return o.result();
  for (const t of targets) {
    const tns = t.res.namespaced ? (t.obj?.metadata.namespace ?? ns ?? "default") : undefined;
    try {
      if (listed(ctx, p, o, "label", t, tns, targets.length > 1)) continue;
      const r = on().label(t.res.kind, t.name, tns, { set, remove, overwrite: bool(p, "overwrite"), resourceVersion: str(p, "resource-version") });
      for (const k of r.notFound) o.out(`label "${k}" not found.\n`);
      // (no dry-run suffix: v1.19's label sets its printer's operation after the suffix was added, which drops it);
      // -o prints the object as it now is
      const line = `${r.resource}/${r.name} ${r.changed ? "labeled" : "not labeled"}`;
      const output = str(p, "output") ?? "";
      printWritten(o, output, output ? on().get(t.res.kind, r.name, tns) : undefined, `${r.resource}/${r.name}`, line);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

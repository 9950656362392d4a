// kubectl scale: --replicas for deployments and replicasets, with --current-replicas as a precondition; --dry-run
// scales nothing (a server dry run is validated on a copy).
import type { Deployment } from "../objects.ts";
import { bool, int, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { collectTargets, parseResourceArgs } from "./targets.ts";
import { DRY_RUN_FLAG, dryRunOf, writeTarget } from "./dry-run.ts";

export const scale: Sub = (ctx, argv) => {
  const p = flagsOrUsage("scale", argv, [
    { name: "replicas", type: "int", required: true },
    { name: "current-replicas", type: "int" },
    { name: "resource-version", type: "string" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "filename", short: "f", type: "strings" },
    { name: "timeout", type: "string" },
    DRY_RUN_FLAG,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  // Complete reads --dry-run (after making its printer: v1.19 prints no dry-run suffix for scale), Validate --replicas
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const target = writeTarget(ctx, dry);
  const replicas = int(p, "replicas") ?? -1;
  if (replicas < 0) {
    o.err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    return o.result();
  }
  if (p.args.length === 0) {
    o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
    return o.result();
  }
  const ns = namespaceOf(p);
  const spec = parseResourceArgs(p.args);
  const targets = collectTargets(ctx, spec, ns, str(p, "selector"), bool(p, "all"));
  for (const t of targets) {
    try {
      if (t.res.kind !== "Deployment" && t.res.kind !== "ReplicaSet") {
        o.err(`error: no objects passed to scale`);
        continue;
      }
      if (dry === "client") {
        // printed as read: nothing is sent
        ctx.c.get(t.res.kind, t.name, ns);
        o.out(`${t.res.printName}/${t.name} scaled\n`);
        continue;
      }
      const cur = int(p, "current-replicas");
      if (cur !== undefined) {
        const obj = ctx.c.get(t.res.kind, t.name, ns) as Deployment;
        if (obj.spec.replicas !== cur) {
          o.err(`error: Expected replicas to be ${cur}, was ${obj.spec.replicas}`);
          continue;
        }
      }
      target().scale(t.res.kind, t.name, ns, replicas);
      o.out(`${t.res.printName}/${t.name} scaled\n`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

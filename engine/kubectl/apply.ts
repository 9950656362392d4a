// kubectl apply -f / create -f: sends each manifest to the apiserver and prints kubectl's per-object lines.
import { RESOURCES } from "../resources.ts";
import type { Kind } from "../types.ts";
import type { ShellCtx } from "../shell/context.ts";
import { KubeError } from "../errors.ts";
import { parseManifestAhead } from "../apiserver/manifest.ts";
import { isDerivedKind } from "../derived.ts";
import { objKey, tableFor } from "../store.ts";
import { own } from "../state.ts";
import { str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { readSources } from "./files.ts";
import { Out, errorText } from "./output.ts";
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, writeTarget } from "./dry-run.ts";

/**
 * Whether the object is there: a stored kind's table is looked at (no copy made, no pod materialised, no NotFound
 * built), the others (events, the derived kinds) read as a get would.
 */
function exists(ctx: ShellCtx, kind: Kind, name: string, ns: string): boolean {
  if (kind !== "Event" && !isDerivedKind(kind)) {
    const k = objKey(kind, name, ns);
    return (kind === "Pod" ? own(ctx.c.state.pods, k) : own(tableFor(ctx.c.state, kind), k)) !== undefined;
  }
  try {
    ctx.c.get(kind, name, ns);
    return true;
  } catch {
    return false;
  }
}

function existingBefore(ctx: ShellCtx, text: string, source: string, ns: string): (boolean | undefined)[] {
  try {
    return parseManifestAhead(text, source).map((d) => {
      const kind = String(d.obj.kind ?? "") as Kind;
      const meta = (d.obj.metadata ?? {}) as { name?: string; namespace?: string };
      if (!RESOURCES.some((r) => r.kind === kind) || !meta.name) return undefined;
      return exists(ctx, kind, meta.name, meta.namespace ?? ns);
    });
  } catch {
    return [];
  }
}

export function applyLike(cmd: "apply" | "create"): Sub {
  return (ctx, argv, stdin) => {
    const p = flagsOrUsage(cmd, argv, [
      { name: "filename", short: "f", type: "strings" },
      { name: "recursive", short: "R", type: "bool" },
      { name: "output", short: "o", type: "string" },
      DRY_RUN_FLAG,
      { name: "validate", type: "bool" },
      { name: "save-config", type: "bool" },
      { name: "record", type: "bool" },
    ]);
    if (isResult(p)) return p;
    const o = new Out();
    const files = strs(p, "filename");
    // create checks its files before Complete reads --dry-run; apply's Complete reads --dry-run first
    if (files.length === 0 && cmd === "create") {
      o.err("error: must specify one of -f and -k\n\nSee 'kubectl create -h' for help and examples");
      return o.result();
    }
    const dry = dryRunOf(ctx, p, o);
    if (!dry) return o.result();
    if (files.length === 0) {
      o.err("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
      return o.result();
    }
    // a dry run writes to a copy that nothing keeps: a server dry run is the apiserver's answer there; a client one
    // sends nothing, so of what the copy says it keeps only kubectl's own errors (a file it cannot read or map)
    const target = writeTarget(ctx, dry)();
    const suffix = dryRunSuffix(dry);
    const sources = readSources(ctx, files, stdin, o);
    if (!sources) return o.result();
    const nsFlag = str(p, "namespace");
    const ns = nsFlag ?? "default";
    const outName = str(p, "output") === "name";
    for (const s of sources) {
      const existed = existingBefore(ctx, s.text, s.source, ns);
      const results = target.apply(s.text, { namespace: ns, namespaceExplicit: nsFlag !== undefined, mode: cmd, source: s.source });
      results.forEach((r, i) => {
        if (dry === "client") {
          if (r.error && !(r.error instanceof KubeError)) o.err(errorText(r.error));
          else if (r.resource) o.out(outName ? `${r.resource}/${r.name}\n` : `${r.resource}/${r.name} ${cmd === "apply" && existed[i] === true ? "configured" : "created"}${suffix}\n`);
          return;
        }
        if (r.warning) o.stderr += r.warning + "\n";
        if (r.error) {
          const e = r.error;
          if (e instanceof KubeError && e.reason !== "Invalid" && (cmd === "create" || existed[i] !== true)) o.err(`Error from server (${e.reason}): error when creating "${s.source}": ${e.message}`);
          else o.err(errorText(e));
          return;
        }
        o.out(outName ? `${r.resource}/${r.name}\n` : `${r.resource}/${r.name} ${r.action}${suffix}\n`);
      });
    }
    return o.result();
  };
}

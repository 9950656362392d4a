// Creating the objects a generator command built (create deployment/service/namespace, expose, run): --dry-run
// prints them, otherwise they go to the apiserver, and -o yaml|json prints the live result (-o name the names).
import { resourceFor } from "../resources.ts";
import type { Kind } from "../types.ts";
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { toJson, toJsonTyped, toYaml } from "../printers/object.ts";
import { type FlagSpec, type Parsed, namespaceOf, str } from "./flags.ts";
import { Out, errorText, printJsonpath, writeOutputRefusal } from "./output.ts";
import { KubeError } from "../errors.ts";

/** The flags createObjects reads; every generator command takes them. */
export const GENERATOR_FLAGS: FlagSpec[] = [
  { name: "dry-run", type: "string" },
  { name: "output", short: "o", type: "string" },
];

export interface CreateOptions {
  /** What the command prints after the name (`created`; expose: `exposed`). */
  verb?: string;
  /** The field manager kubectl v1.19 sends for the command (`--field-manager`'s default; `kubectl-create`). */
  manager?: string;
  /**
   * The words a command puts before the server's error when it wraps it itself (v1.19's create deployment: `failed
   * to create deployment`, printed `error: failed to create deployment: <the Status message>`); without them kubectl
   * prints the error as its own checkErr does (`Error from server (AlreadyExists): …`, `The Service "x" is invalid: …`).
   */
  wrapsServerError?: string;
}

export function createObjects(ctx: ShellCtx, p: Parsed, objs: Record<string, unknown>[], o: Out, opts: CreateOptions = {}): CmdResult {
  const { verb = "created", manager = "kubectl-create", wrapsServerError } = opts;
  const dry = str(p, "dry-run");
  const output = str(p, "output");
  // an -o no printer takes is refused before anything is sent (Complete: PrintFlags.ToPrinter)
  const refused = writeOutputRefusal(output ?? "");
  if (refused) {
    o.err(refused);
    return o.result();
  }
  if (dry && dry !== "none") {
    for (const obj of objs) {
      if (output === "yaml") o.out(toYaml(obj));
      else if (output === "json") o.out(toJsonTyped(obj));
      else if (output === "name") o.out(`${resourceFor(obj.kind as Kind).printName}/${(obj.metadata as { name: string }).name}\n`);
      else if (output) printJsonpath(o, output, obj);
      else o.out(`${resourceFor(obj.kind as Kind).printName}/${(obj.metadata as { name: string }).name} ${verb} (${dry === "server" ? "server dry run" : "dry run"})\n`);
    }
    return o.result();
  }
  const results = ctx.c.apply(objs, { namespace: namespaceOf(p), mode: "create", manager });
  for (const r of results) {
    if (r.error) o.err(wrapsServerError && r.error instanceof KubeError ? `error: ${wrapsServerError}: ${r.error.statusMessage()}` : errorText(r.error));
    else if (output === "yaml" || output === "json") {
      const live = ctx.c.get(r.kind as Kind, r.name, r.namespace);
      o.out(output === "yaml" ? toYaml(live) : toJson(live));
    } else if (output === "name") o.out(`${r.resource}/${r.name}\n`);
    else if (output) printJsonpath(o, output, ctx.c.get(r.kind as Kind, r.name, r.namespace));
    else o.out(`${r.resource}/${r.name} ${verb}\n`);
  }
  return o.result();
}

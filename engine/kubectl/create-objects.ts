// Creating the objects a generator command built (create deployment/service/namespace, expose, run): --dry-run
// prints them, otherwise they go to the apiserver, and -o yaml|json prints the live result (-o name the names).
import { resourceFor } from "../resources.ts";
import type { Kind } from "../types.ts";
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { toJson, toJsonTyped, toYaml } from "../printers/object.ts";
import { type FlagSpec, type Parsed, namespaceOf, str } from "./flags.ts";
import { Out, errorText, printJsonpath, writeOutputRefusal } from "./output.ts";
import { KubeError } from "../errors.ts";
import { DRY_RUN_FLAG, dryRunOf, dryRunSuffix, writeTarget } from "./dry-run.ts";
import type { AnyObject } from "../objects.ts";

/** The flags createObjects reads; every generator command takes them. */
export const GENERATOR_FLAGS: FlagSpec[] = [DRY_RUN_FLAG, { name: "output", short: "o", type: "string" }];

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
  const output = str(p, "output");
  // Complete: the dry-run strategy, then the printer (an -o no printer takes is refused before anything is sent)
  const dry = dryRunOf(ctx, p, o);
  if (!dry) return o.result();
  const refused = writeOutputRefusal(output ?? "");
  if (refused) {
    o.err(refused);
    return o.result();
  }
  if (dry === "client") {
    // printed as it would be sent: nothing reaches the apiserver
    for (const obj of objs) printCreated(o, output, `${resourceFor(obj.kind as Kind).printName}/${(obj.metadata as { name: string }).name}`, `${verb} (dry run)`, obj, true);
    return o.result();
  }
  // a server dry run is the same request, answered from a copy of the cluster that nothing keeps: the object as the
  // apiserver admitted it (defaults, uid, creationTimestamp; no resourceVersion: it was never stored), or its refusal
  const target = writeTarget(ctx, dry)();
  const results = target.apply(objs, { namespace: namespaceOf(p), mode: "create", manager });
  for (const r of results) {
    if (r.error) {
      o.err(wrapsServerError && r.error instanceof KubeError ? `error: ${wrapsServerError}: ${r.error.statusMessage()}` : errorText(r.error));
      continue;
    }
    const answer = () => {
      const live = target.get(r.kind as Kind, r.name, r.namespace);
      if (dry === "server") delete (live.metadata as { resourceVersion?: string }).resourceVersion;
      return live;
    };
    printCreated(o, output, `${r.resource}/${r.name}`, `${verb}${dryRunSuffix(dry)}`, answer, false);
  }
  return o.result();
}

/** One created object as -o asks: its YAML or JSON, its name, a JSONPath of it, or `<type>/<name> <verb>`. */
function printCreated(o: Out, output: string | undefined, named: string, verbed: string, obj: AnyObject | Record<string, unknown> | (() => AnyObject), sent: boolean): void {
  const value = () => (typeof obj === "function" ? obj() : obj);
  if (output === "yaml") o.out(toYaml(value()));
  else if (output === "json") o.out(sent ? toJsonTyped(value()) : toJson(value()));
  else if (output === "name") o.out(`${named}\n`);
  else if (output) printJsonpath(o, output, value());
  else o.out(`${named} ${verbed}\n`);
}

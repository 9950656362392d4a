// kubectl wait (pkg/cmd/wait/wait.go, v1.19): `--for=delete` or `--for=condition=NAME[=VALUE]` on named objects, a
// label selector or --all. Each object is waited for in turn, on the virtual clock, a second at a time, for up to
// --timeout (30s; 0 checks once; a negative one means a week; kubelab waits 10 minutes at most), and prints `<type>/<name> condition met` (-o name:
// `<type>/<name>`); the first that times out ends the command: `error: timed out waiting for the condition on
// <resource>/<name>`. A condition is met when the object's status.conditions has one of that type (case ignored) with
// that status (`True` unless given; case ignored).
import type { ShellCtx } from "../shell/context.ts";
import type { AnyObject } from "../objects.ts";
import { KubeError } from "../errors.ts";
import { bool, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError, writeOutputRefusal } from "./output.ts";
import { NO_RESOURCE_ARGS, type Target, collectTargets, parseResourceArgs } from "./targets.ts";
import { MAX_WAIT_SECONDS } from "./pods.ts";

/** kubectl wait's default --timeout, in seconds. */
const DEFAULT_TIMEOUT = 30;
/** What a negative --timeout means (168h), in seconds. */
const A_WEEK = 168 * 3600;

type Condition = { deleted: true } | { deleted: false; type: string; status: string };

export const wait: Sub = (ctx, argv) => {
  const p = flagsOrUsage("wait", argv, [
    { name: "for", type: "string" },
    { name: "timeout", type: "string" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "all-namespaces", short: "A", type: "bool" },
    { name: "output", short: "o", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const fail = (msg: string) => (o.err(msg), o.result());
  const output = str(p, "output") ?? "";
  const refused = writeOutputRefusal(output);
  if (refused) return fail(refused);
  if (output !== "" && output !== "name") return fail(`error: kubelab's kubectl wait prints its line or -o name, not -o ${output}`);
  let timeout = DEFAULT_TIMEOUT;
  const t = str(p, "timeout");
  if (t !== undefined) {
    const seconds = goDuration(t);
    if (seconds === undefined) return fail(`Error: invalid argument "${t}" for "--timeout" flag: time: invalid duration "${t}"\nSee 'kubectl wait --help' for usage.`);
    timeout = seconds < 0 ? A_WEEK : Math.floor(seconds);
  }
  // kubelab waits at most MAX_WAIT_SECONDS of virtual time, whatever the timeout (as rollout status does)
  timeout = Math.min(timeout, MAX_WAIT_SECONDS);
  const condition = conditionOf(str(p, "for") ?? "");
  if (!condition) return fail(`error: unrecognized condition: ${JSON.stringify(str(p, "for") ?? "")}`);
  if (p.args.length === 0) return fail(NO_RESOURCE_ARGS);
  const ns = bool(p, "all-namespaces") ? undefined : namespaceOf(p);
  let targets: Target[];
  try {
    targets = collectTargets(ctx, parseResourceArgs(p.args), ns, str(p, "selector"), bool(p, "all"));
  } catch (e) {
    if (!isKnownError(e)) throw e;
    return fail(errorText(e));
  }
  if (targets.length === 0) return fail("error: no matching resources found");
  for (const target of targets) {
    const tns = target.res.namespaced ? (target.obj?.metadata.namespace ?? ns ?? "default") : undefined;
    try {
      ctx.c.get(target.res.kind, target.name, tns); // the object must be there to be waited for (the builder's GET)
      if (!waitFor(ctx, target, tns, condition, timeout)) return fail(`error: timed out waiting for the condition on ${target.res.plural}/${target.name}`);
      o.out(output === "name" ? `${target.res.printName}/${target.name}\n` : `${target.res.printName}/${target.name} condition met\n`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      return fail(errorText(e));
    }
  }
  return o.result();
};

/** conditionFuncFor: `delete`, or `condition=NAME` / `condition=NAME=VALUE`. */
function conditionOf(text: string): Condition | undefined {
  if (text.toLowerCase() === "delete") return { deleted: true };
  if (!text.startsWith("condition=")) return undefined;
  const rest = text.slice("condition=".length);
  const eq = rest.indexOf("=");
  return eq < 0 ? { deleted: false, type: rest, status: "true" } : { deleted: false, type: rest.slice(0, eq), status: rest.slice(eq + 1) };
}

/** Whether the condition holds within `timeout` seconds of virtual time (the clock moves while it does not). */
function waitFor(ctx: ShellCtx, t: Target, ns: string | undefined, c: Condition, timeout: number): boolean {
  for (let waited = 0; ; waited++) {
    if (met(ctx, t, ns, c)) return true;
    if (waited >= timeout) return false;
    ctx.c.advance(1);
  }
}

function met(ctx: ShellCtx, t: Target, ns: string | undefined, c: Condition): boolean {
  let obj: AnyObject;
  try {
    obj = ctx.c.get(t.res.kind, t.name, ns);
  } catch (e) {
    if (e instanceof KubeError && e.reason === "NotFound") return c.deleted;
    throw e;
  }
  if (c.deleted) return false;
  const conditions = (obj as { status?: { conditions?: { type?: string; status?: string }[] } }).status?.conditions ?? [];
  const found = conditions.find((x) => (x.type ?? "").toLowerCase() === c.type.toLowerCase());
  return found !== undefined && (found.status ?? "").toLowerCase() === c.status.toLowerCase();
}

/** Go's time.ParseDuration, in seconds: `30s`, `1m30s`, `1.5h`, `500ms`, `-1s`, `0`; undefined when it is not one. */
export function goDuration(text: string): number | undefined {
  const UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s[0] === "-" ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s.length) {
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]];
    s = s.slice(m[0].length);
  }
  return sign * total;
}



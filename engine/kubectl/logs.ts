// kubectl logs: the startup line of the demo app's container; a pod, a controller or Service's first pod (as kubectl
// picks it), or every pod a selector matches.
import type { Pod } from "../objects.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { resolveType } from "./targets.ts";
import { firstPodFor } from "./pod-for-object.ts";
import { int, namespaceOf, str } from "./flags.ts";
import { KubeError } from "../errors.ts";

export const logs: Sub = (ctx, argv) => {
  const p = flagsOrUsage("logs", argv, [
    { name: "container", short: "c", type: "string" },
    { name: "follow", short: "f", type: "bool" },
    { name: "tail", type: "int" },
    { name: "previous", short: "p", type: "bool" },
    { name: "timestamps", type: "bool" },
    { name: "selector", short: "l", type: "string" },
    { name: "all-containers", type: "bool" },
    { name: "since", type: "string" },
    { name: "max-log-requests", type: "int" },
    { name: "pod-running-timeout", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const ns = namespaceOf(p);
  const selector = str(p, "selector");
  const [arg, inlineContainer] = p.args;
  const usage = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";
  if ((!arg && !selector) || p.args.length > 2) {
    o.err(usage);
    return o.result();
  }
  if (arg && selector && p.args.length === 1) {
    o.err("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples");
    return o.result();
  }
  const container = str(p, "container") ?? inlineContainer;
  if (str(p, "container") !== undefined && inlineContainer !== undefined) {
    o.err("error: only one of -c or an inline [CONTAINER] arg is allowed");
    return o.result();
  }
  try {
    if (selector && !arg) {
      // each pod the selector matches, in the list's order (its last 10 lines each unless --tail says otherwise)
      for (const pod of ctx.c.list("Pod", { namespace: ns, selector }) as Pod[]) o.out(containerLog(pod, container, int(p, "tail") ?? 10));
      return o.result();
    }
    let pod: Pod;
    const slash = arg.indexOf("/");
    const res = slash > 0 ? resolveType(arg.slice(0, slash)) : undefined;
    if (res && res.kind !== "Pod") {
      const picked = firstPodFor(ctx, res, arg.slice(slash + 1), ns);
      if (picked.count > 1) o.stderr += `Found ${picked.count} pods, using pod/${picked.pod.metadata.name}\n`;
      pod = picked.pod;
    } else pod = ctx.c.get("Pod", res ? arg.slice(slash + 1) : arg, ns) as Pod;
    o.out(containerLog(pod, container, int(p, "tail")));
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
  }
  return o.result();
};

/**
 * What a pod's container has logged (the demo app's startup line; other images log nothing here), its last `tail`
 * lines when given (negative: all). A container the pod does not have is the apiserver's BadRequest; without one
 * named, a pod of several containers asks for one as v1.19 does.
 */
export function containerLog(pod: Pod, container?: string, tail?: number): string {
  const names = pod.spec.containers.map((c) => c.name);
  const name = container ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined)
    throw new KubeError("BadRequest", `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(" ")}]`);
  const c = pod.spec.containers.find((x) => x.name === name);
  if (!c) throw new KubeError("BadRequest", `container ${name} is not valid for pod ${pod.metadata.name}`);
  const lines = c.image.includes("demoapp") ? [" * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n"] : [];
  return (tail !== undefined && tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines).join("");
}

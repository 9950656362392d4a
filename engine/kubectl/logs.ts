// kubectl logs: the startup line of the demo app's container.
import type { Pod } from "../objects.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText } from "./output.ts";
import { int, namespaceOf, str } from "./flags.ts";
import { KubeError } from "../errors.ts";

export const logs: Sub = (ctx, argv) => {
  const p = flagsOrUsage("logs", argv, [
    { name: "container", short: "c", type: "string" },
    { name: "follow", short: "f", type: "bool" },
    { name: "tail", type: "int" },
    { name: "previous", short: "p", type: "bool" },
    { name: "timestamps", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const target = (p.args[0] ?? "").replace(/^(pods?|po)\//, "");
  if (!target) {
    o.err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    return o.result();
  }
  try {
    const pod = ctx.c.get("Pod", target, namespaceOf(p)) as Pod;
    o.out(containerLog(pod, str(p, "container"), int(p, "tail")));
  } catch (e) {
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

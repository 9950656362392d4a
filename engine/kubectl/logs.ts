// kubectl logs: the startup line of the demo app's container.
import type { Pod } from "../objects.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText } from "./output.ts";
import { namespaceOf } from "./flags.ts";

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
    if (pod.spec.containers[0].image.includes("demoapp")) o.out(" * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n");
  } catch (e) {
    o.err(errorText(e));
  }
  return o.result();
};

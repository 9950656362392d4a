// kubectl exec: POD or TYPE/NAME (the most active pod of its selector), container checks, then one command in the container.
import type { Pod } from "../objects.ts";
import { namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { execInPod } from "./pods.ts";
import { Out, errorText, isKnownError } from "./output.ts";
import { resolveType } from "./targets.ts";
import { firstPodFor } from "./pod-for-object.ts";

export const exec: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("exec", argv, [
    { name: "container", short: "c", type: "string" },
    { name: "stdin", short: "i", type: "bool" },
    { name: "tty", short: "t", type: "bool" },
    { name: "quiet", short: "q", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  let target = p.args[0];
  let cmd = p.dash ?? [];
  if (!target) {
    o.err("error: pod, type/name or --filename must be specified");
    return o.result();
  }
  if (p.dash === undefined && p.args.length > 1) {
    o.stderr += "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";
    cmd = p.args.slice(1);
  }
  if (cmd.length === 0) {
    o.err("error: you must specify at least one command for the container");
    return o.result();
  }
  const ns = namespaceOf(p);
  let pod: Pod;
  try {
    if (target.includes("/")) {
      const [t, n] = target.split("/");
      const res = resolveType(t);
      // the most active of its selector's pods (attachablePodForObject); none: GetFirstPod's wait runs out
      target = res.kind === "Pod" ? n : firstPodFor(ctx, res, n, ns, "exec").pod.metadata.name;
    }
    pod = ctx.c.get("Pod", target, ns) as Pod;
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
    return o.result();
  }
  const cname = str(p, "container") ?? pod.spec.containers[0].name;
  if (!pod.spec.containers.some((c) => c.name === cname)) {
    o.err(`error: container ${cname} not found in pod ${pod.metadata.name}`);
    return o.result();
  }
  const st = pod.status.containerStatuses?.find((s) => s.name === cname);
  if (pod.status.phase !== "Running" || !st?.state.running) {
    o.err(pod.status.phase === "Pending" ? `error: unable to upgrade connection: container not found ("${cname}")` : `error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    return o.result();
  }
  if (cmd.length === 1 && ["sh", "bash", "/bin/sh", "/bin/bash", "ash"].includes(cmd[0])) {
    o.err(`kubelab: interactive shells are not simulated here; run one command, e.g. kubectl exec ${pod.metadata.name} -- curl -s demoapp-svc (the interactive terminal accepts \`kubectl exec -it ${pod.metadata.name} -- sh\`)`);
    return o.result();
  }
  execInPod(ctx, pod, cname, cmd.map((x) => x.replace(/^\/(usr\/)?s?bin\//, "")), stdin, o);
  return o.result();
};

// kubectl run: creates a pod; with -i/--attach runs the command in it, and with --rm deletes it afterwards.
import { bool, keyValues, namespaceOf, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { GENERATOR_FLAGS, createObjects } from "./create-objects.ts";
import { execInPod, waitPodsGone, waitRunning } from "./pods.ts";
import { Out, errorText } from "./output.ts";

export const run: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("run", argv, [
    { name: "image", type: "string", required: true },
    { name: "restart", type: "string" },
    { name: "rm", type: "bool" },
    { name: "stdin", short: "i", type: "bool" },
    { name: "tty", short: "t", type: "bool" },
    { name: "command", type: "bool" },
    { name: "labels", short: "l", type: "string" },
    { name: "port", type: "string" },
    { name: "env", type: "strings" },
    { name: "expose", type: "bool" },
    ...GENERATOR_FLAGS,
    { name: "image-pull-policy", type: "string" },
    { name: "attach", type: "bool" },
    { name: "quiet", short: "q", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = p.args[0];
  if (!name) {
    o.err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
    return o.result();
  }
  const image = str(p, "image");
  if (!image) {
    // given empty (the flag itself is required: flagsOrUsage), as run.go's Run says it
    o.err("error: --image is required");
    return o.result();
  }
  const attach = bool(p, "stdin") || bool(p, "attach");
  if (bool(p, "rm") && !attach) {
    o.err("error: --rm should only be used for attached containers");
    return o.result();
  }
  const restart = str(p, "restart") ?? "Always";
  if (!["Always", "OnFailure", "Never"].includes(restart)) {
    o.err(`error: invalid restart policy: ${restart}`);
    return o.result();
  }
  const cmdArgs = [...p.args.slice(1), ...(p.dash ?? [])];
  const labels = str(p, "labels") ? keyValues(str(p, "labels")!) : { run: name };
  const container: Record<string, unknown> = { name, image };
  if (cmdArgs.length) container[bool(p, "command") ? "command" : "args"] = cmdArgs;
  if (str(p, "port")) container.ports = [{ containerPort: Number(str(p, "port")) }];
  const env = strs(p, "env");
  if (env.length) container.env = env.map((kv) => ({ name: kv.split("=")[0], value: kv.split("=").slice(1).join("=") }));
  if (str(p, "image-pull-policy")) container.imagePullPolicy = str(p, "image-pull-policy");
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { containers: [container], restartPolicy: restart } };
  const ns = namespaceOf(p);
  if (!attach) return createObjects(ctx, p, [pod], o);
  const res = ctx.c.apply([pod], { namespace: ns, mode: "create", manager: "kubectl-run" });
  if (res[0]?.error) {
    o.err(errorText(res[0].error));
    return o.result();
  }
  const live = waitRunning(ctx, name, ns, 60);
  if (!live) {
    o.err(`error: timed out waiting for the condition`);
    return o.result();
  }
  if (cmdArgs.length === 0) {
    o.stderr += "If you don't see a command prompt, try pressing enter.\n";
    o.err(`kubelab: interactive sessions are not simulated; run a command instead, e.g. kubectl run ${name} --image=${image} --rm -it --restart=Never --command -- curl demoapp-svc`);
  } else execInPod(ctx, live, name, cmdArgs, stdin, o);
  if (bool(p, "rm")) {
    try {
      ctx.c.delete("Pod", name, ns);
      waitPodsGone(ctx, [{ name, ns }]);
      o.out(`pod "${name}" deleted\n`);
    } catch {
      /* already gone */
    }
  }
  return o.result();
};

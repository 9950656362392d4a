// kubectl run: creates a pod; with -i/--attach runs the command in it, and with --rm deletes it afterwards.
import { type Parsed, bool, keyValues, namespaceOf, str, strs } from "./flags.ts";
import type { CmdResult, ShellCtx } from "../shell/context.ts";
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
  if (bool(p, "expose") && !str(p, "port")) {
    o.err("error: --port must be set when exposing a service\nSee 'kubectl run -h' for help and examples");
    return o.result();
  }
  if (bool(p, "rm") && !attach) {
    o.err("error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples");
    return o.result();
  }
  const restart = str(p, "restart") ?? "Always";
  if (!["Always", "OnFailure", "Never"].includes(restart)) {
    o.err(`error: invalid restart policy: ${restart}`);
    return o.result();
  }
  const cmdArgs = [...p.args.slice(1), ...(p.dash ?? [])];
  const labels = str(p, "labels") ? keyValues(str(p, "labels")!) : { run: name };
  // the Pod run's generator builds (v1.19 BasicPod), in its Go types' field order with the empty values they encode
  const container: Record<string, unknown> = { name, image };
  if (cmdArgs.length) container[bool(p, "command") ? "command" : "args"] = cmdArgs;
  if (str(p, "port")) container.ports = [{ containerPort: Number(str(p, "port")) }];
  const env = strs(p, "env");
  if (env.length) container.env = env.map((kv) => ({ name: kv.split("=")[0], value: kv.split("=").slice(1).join("=") }));
  container.resources = {};
  if (str(p, "image-pull-policy")) container.imagePullPolicy = str(p, "image-pull-policy");
  const pod = {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name, creationTimestamp: null, labels },
    spec: { containers: [container], restartPolicy: restart, dnsPolicy: "ClusterFirst" },
    status: {},
  };
  const ns = namespaceOf(p);
  if (!attach && bool(p, "expose")) return runAndExpose(ctx, p, pod, name, str(p, "labels"), str(p, "port")!);
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

/**
 * `kubectl run NAME --port=P --expose`: the pod, then a Service of the same name (service/v2's generator: selecting
 * `run=NAME`, or the --labels, which it also carries; port P, TCP, target port P). kubectl prints the Service first —
 * it is printed as it is made, the pod at the end — with `---` between the two under -o yaml.
 */
function runAndExpose(ctx: ShellCtx, p: Parsed, pod: Record<string, unknown>, name: string, labelText: string | undefined, portText: string): CmdResult {
  const made = createObjects(ctx, p, [pod], new Out());
  if (made.code !== 0) return made;
  const port = Number(portText);
  if (!/^[+-]?\d+$/.test(portText)) return { stdout: made.stdout, stderr: `${made.stderr}error: strconv.Atoi: parsing ${JSON.stringify(portText)}: invalid syntax\n`, code: 1 };
  const labels = labelText ? keyValues(labelText) : undefined;
  const svc = {
    kind: "Service",
    apiVersion: "v1",
    metadata: { name, creationTimestamp: null, ...(labels ? { labels } : {}) },
    spec: { ports: [{ protocol: "TCP", port, targetPort: port }], selector: labels ?? { run: name } },
    status: { loadBalancer: {} },
  };
  const exposed = createObjects(ctx, p, [svc], new Out());
  const sep = str(p, "output") === "yaml" && exposed.code === 0 ? "---\n" : "";
  return { stdout: exposed.stdout + sep + made.stdout, stderr: made.stderr + exposed.stderr, code: exposed.code };
}

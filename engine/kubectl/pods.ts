// Pod helpers shared by run, exec and delete: existence, waiting for Running, running a command in a container.
import type { Pod } from "../objects.ts";
import type { ShellCtx } from "../shell/context.ts";
import { runIn } from "../shell/exec.ts";
import type { Out } from "./output.ts";

export function podExists(ctx: ShellCtx, name: string, ns: string): boolean {
  try {
    ctx.c.get("Pod", name, ns);
    return true;
  } catch {
    return false;
  }
}

/** Lets the virtual clock run (up to 40 s) until the pods are gone, as kubectl waits for a deletion. */
export function waitPodsGone(ctx: ShellCtx, pods: { name: string; ns: string }[]): void {
  for (let i = 0; i < 40 && pods.some((w) => podExists(ctx, w.name, w.ns)); i++) ctx.c.advance(1);
}

export function waitRunning(ctx: ShellCtx, name: string, ns: string, maxSeconds: number): Pod | undefined {
  for (let i = 0; i <= maxSeconds; i++) {
    try {
      const pod = ctx.c.get("Pod", name, ns) as Pod;
      if (pod.status.phase === "Running" && pod.status.containerStatuses?.every((s) => s.state.running)) return pod;
    } catch {
      return undefined;
    }
    ctx.c.advance(1);
  }
  return undefined;
}

export function execInPod(ctx: ShellCtx, pod: Pod, container: string, cmd: string[], stdin: string | undefined, o: Out): void {
  const r = runIn(ctx, `pod:${pod.metadata.namespace}/${pod.metadata.name}`, cmd, stdin);
  if (r.code === 127 && r.stdout === "" && r.stderr === "") {
    o.err(
      `OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused "exec: \\"${cmd[0]}\\": executable file not found in $PATH": unknown\ncommand terminated with exit code 126`,
      126,
    );
    return;
  }
  o.out(r.stdout);
  o.stderr += r.stderr;
  if (r.code !== 0) o.err(`command terminated with exit code ${r.code}`, r.code);
  void container;
}

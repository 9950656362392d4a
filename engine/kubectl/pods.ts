// Pod helpers shared by run, exec and delete: existence, waiting for Running, running a command in a container.
import type { Pod } from "../objects.ts";
import type { ShellCtx } from "../shell/context.ts";
import { runIn } from "../shell/exec.ts";
import { parseRfc3339 } from "../clock.ts";
import type { Out } from "./output.ts";

/**
 * The longest a command of the terminal waits on the virtual clock a second at a time (rollout status, kubectl wait):
 * each second checked costs a read, so a week's --timeout would be a minute of the server's CPU for one line.
 */
export const MAX_WAIT_SECONDS = 600;

export function podExists(ctx: ShellCtx, name: string, ns: string): boolean {
  try {
    ctx.c.get("Pod", name, ns);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lets the virtual clock run until the pods are gone, as kubectl delete waits (--wait, its default): to the end of
 * the latest grace period among them, a pod's deletionTimestamp.
 */
export function waitPodsGone(ctx: ShellCtx, pods: { name: string; ns: string }[]): void {
  let until: number | undefined;
  for (const w of pods) {
    const ts = podDeletionTime(ctx, w.name, w.ns);
    if (ts !== undefined) until = Math.max(until ?? ts, ts);
  }
  if (until !== undefined) ctx.c.advance(Math.max(0, until - ctx.c.nowSeconds()));
}

function podDeletionTime(ctx: ShellCtx, name: string, ns: string): number | undefined {
  try {
    const ts = (ctx.c.get("Pod", name, ns) as Pod).metadata.deletionTimestamp;
    return ts === undefined ? undefined : parseRfc3339(ts);
  } catch {
    return undefined;
  }
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

// kubectl's klog lines on stderr (`W1207 13:35:23.188365   10484 helpers.go:553] …`): the severity letter, the month,
// day and time from the cluster's clock, the process id — kubectl's, which the simulated node does not keep, so one
// derived from the clock — and the Go source line that logged it.
import type { ShellCtx } from "../shell/context.ts";

export type KlogSeverity = "I" | "W" | "E" | "F";

/** Exit code of a klog.Fatal: os.Exit(255). */
export const KLOG_FATAL_EXIT = 255;

export function klogLine(ctx: ShellCtx, severity: KlogSeverity, at: string, msg: string): string {
  const t = new Date(ctx.c.nowSeconds() * 1000);
  const two = (n: number) => String(n).padStart(2, "0");
  const pid = 1000 + (ctx.c.nowSeconds() % 30000);
  return `${severity}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.000000 ${String(pid).padStart(7)} ${at}] ${msg}\n`;
}

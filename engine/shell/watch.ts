// watch -n SECS COMMAND (procps-ng 3.3.10): reruns the command as the virtual clock advances and prints the last
// screen. A real watch runs until Ctrl-C; kubelab's stops once the screen has settled (the same twice in a row,
// ages aside) or after 30 runs, so a student's `watch kubectl get pods` shows where things ended up.
import type { CommandFn } from "./context.ts";

const MAX_RUNS = 30;
const WIDTH = 80;
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function ctime(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** The screen without what changes every run anyway (kubectl's AGE column, durations). */
function settled(screen: string): string {
  return screen.replace(/\b\d+(?:d|h|m|s)(?:\d+(?:h|m|s))?\b/g, "~");
}

export const watch: CommandFn = (ctx, argv) => {
  const args = argv.slice(1);
  let interval = 2;
  let title = true;
  let i = 0;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const a = args[i];
    if (a === "-n" || a === "--interval") interval = Number(args[++i]);
    else if (/^-n[\d.]+$/.test(a)) interval = Number(a.slice(2));
    else if (a.startsWith("--interval=")) interval = Number(a.slice(11));
    else if (a === "-t" || a === "--no-title") title = false;
    else if (a === "-d" || a === "--differences" || a === "-x" || a === "--exec" || a === "-c" || a === "--color") continue;
    else if (a === "--") {
      i++;
      break;
    } else if (["-b", "--beep", "-e", "--errexit", "-g", "--chgexit", "-p", "--precise"].includes(a))
      // procps-ng's, but about a terminal kubelab's watch does not keep running on
      return { stdout: "", stderr: `watch: kubelab's watch does not support ${a} (it has -n, -t, -d, -x, -c)\n`, code: 1 };
    else return { stdout: "", stderr: `watch: invalid option -- '${a.replace(/^-+/, "")}'\n\nUsage:\n watch [options] command\n`, code: 1 };
  }
  if (!Number.isFinite(interval) || interval < 0) return { stdout: "", stderr: `watch: failed to parse argument: '${args[i - 1]}'\n`, code: 1 };
  interval = Math.max(0.1, interval);
  const cmd = args.slice(i);
  if (!cmd.length) return { stdout: "", stderr: "\nUsage:\n watch [options] command\n", code: 1 };
  const line = cmd.join(" ");
  let screen = "";
  let previous: string | undefined;
  for (let run = 0; run < MAX_RUNS; run++) {
    if (run > 0) ctx.c.advance(interval);
    const r = ctx.runner!.line(ctx, line);
    screen = r.stdout + r.stderr;
    const now = settled(screen);
    if (now === previous) break;
    previous = now;
  }
  let head = "";
  if (title) {
    const left = `Every ${interval.toFixed(1)}s: ${line}`;
    const right = ctime(ctx.c.nowSeconds());
    head = left + " ".repeat(Math.max(1, WIDTH - left.length - right.length)) + right + "\n\n";
  }
  return { stdout: head + screen, stderr: "", code: 0 };
};

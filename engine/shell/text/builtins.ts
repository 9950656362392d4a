// Shell builtins and small system tools: echo (printf: printf.ts), sleep/wait (the virtual clock), true/false, hostname,
// whoami, date, clear, export, unset, exit, env.
import type { CommandFn } from "../context.ts";
import { fail, ok, hostName, podHost } from "../context.ts";
import { unlines } from "./common.ts";
import { interpretEscapes } from "./printf.ts";

export const echo: CommandFn = (_ctx, argv) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes("n")) newline = false;
    if (args[0].includes("e")) escapes = true;
    if (args[0].includes("E")) escapes = false;
    args = args.slice(1);
  }
  const s = args.join(" ");
  if (!escapes) return ok(s + (newline ? "\n" : ""));
  const e = interpretEscapes(s); // \c ends the output, line end included
  return ok(e.text + (newline && !e.stop ? "\n" : ""));
};

function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : m[2] === "d" ? n * 86400 : n;
}

/** `sleep N` and kubelab's `wait N`: advance the virtual clock (probes and controllers run meanwhile). */
export const sleep: CommandFn = (ctx, argv) => {
  const args = argv.slice(1);
  if (args.length === 0) {
    if (argv[0] === "wait") return ok(); // bash's `wait` with no jobs
    return fail("sleep: missing operand\nTry 'sleep --help' for more information.");
  }
  let total = 0;
  for (const a of args) {
    const d = parseDuration(a);
    if (d === undefined) return fail(argv[0] === "wait" ? `bash: wait: \`${a}': not a pid or valid job spec (kubelab: wait N advances the clock N seconds)` : `sleep: invalid time interval ‘${a}’\nTry 'sleep --help' for more information.`);
    total += d;
  }
  ctx.c.advance(total);
  return ok();
};

export const trueCmd: CommandFn = () => ok();
export const falseCmd: CommandFn = () => ({ stdout: "", stderr: "", code: 1 });

export const hostname: CommandFn = (ctx, argv) => {
  const name = hostName(ctx.st.host);
  if (argv[1] === "-i" || argv[1] === "-I") {
    const pod = podHost(ctx.st.host);
    if (pod) {
      try {
        const p = ctx.c.get("Pod", pod.name, pod.namespace) as { status: { podIP?: string } };
        return ok(`${p.status.podIP ?? ""}${argv[1] === "-I" ? " " : ""}\n`);
      } catch {
        return ok("\n");
      }
    }
    const h = ctx.c.hosts().find((x) => x.name === name);
    if (argv[1] === "-i") return ok(`${h?.ip ?? "127.0.0.1"}\n`);
    const ips = ctx.c.hostInterfaces(name).filter((i) => i.dev !== "lo").flatMap((i) => i.addrs.map((a) => a.ip));
    return ok(ips.join(" ") + " \n");
  }
  return ok(name + "\n");
};

export const whoami: CommandFn = () => ok("root\n");

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const date: CommandFn = (ctx) => {
  const d = new Date(ctx.c.nowSeconds() * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return ok(`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}\n`);
};

export const clear: CommandFn = () => ok("\x1b[H\x1b[2J");

export const exportCmd: CommandFn = (ctx, argv) => {
  for (const a of argv.slice(1)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(a);
    if (m) ctx.st.env[m[1]] = m[2];
    else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(a) && a !== "-n") return fail(`bash: export: \`${a}': not a valid identifier`);
  }
  return ok();
};

export const unset: CommandFn = (ctx, argv) => {
  for (const a of argv.slice(1)) delete ctx.st.env[a];
  return ok();
};

export const exitCmd: CommandFn = (ctx, argv) => {
  const code = argv[1] === undefined ? ctx.lastStatus : Number(argv[1]) & 255;
  ctx.st.exited = Number.isNaN(code) ? 2 : code;
  return { stdout: "", stderr: Number.isNaN(code) ? `bash: exit: ${argv[1]}: numeric argument required\n` : "", code: ctx.st.exited };
};

export const envCmd: CommandFn = (ctx) =>
  ok(unlines(Object.entries({ HOSTNAME: hostName(ctx.st.host), HOME: "/root", PWD: ctx.st.cwd, USER: "root", ...ctx.st.env }).map(([k, v]) => `${k}=${v}`)));


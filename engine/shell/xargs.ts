// xargs (GNU findutils 4.5): builds command lines from stdin's words and runs them. -n N, -L N (N input lines per
// run), -I STR (one line per run), -r (--no-run-if-empty), -t (print each command on stderr), -0 and -d DELIM. Exit 123 when a run failed,
// 127 when the command does not exist.
import type { CommandFn } from "./context.ts";

/** Words of xargs' input: blanks and newlines separate, quotes and backslashes escape. */
function words(text: string): string[] | string {
  const out: string[] = [];
  let cur = "";
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const j = text.indexOf(c, i + 1);
      const nl = text.indexOf("\n", i + 1);
      if (j < 0 || (nl >= 0 && nl < j)) return `xargs: unmatched ${c === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option`;
      cur += text.slice(i + 1, j);
      has = true;
      i = j;
    } else if (c === "\\" && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = "";
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}

const quote = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);

export const xargs: CommandFn = (ctx, argv, io) => {
  const args = argv.slice(1);
  let maxArgs = Infinity;
  let replace: string | undefined;
  let noEmpty = false;
  let trace = false;
  let delim: string | undefined;
  let maxLines: number | undefined;
  let i = 0;
  for (; i < args.length && args[i].startsWith("-") && args[i] !== "-"; i++) {
    const a = args[i];
    if (a === "-n" || a === "--max-args") maxArgs = Number(args[++i]);
    else if (/^-n\d+$/.test(a)) maxArgs = Number(a.slice(2));
    else if (a === "-I") replace = args[++i];
    else if (a.startsWith("-I")) replace = a.slice(2);
    else if (a === "-i" || a === "--replace") replace = "{}";
    else if (a === "-r" || a === "--no-run-if-empty") noEmpty = true;
    else if (a === "-t" || a === "--verbose") trace = true;
    else if (a === "-0" || a === "--null") delim = "\0";
    else if (a === "-d") delim = args[++i]?.replace("\\n", "\n");
    // -L N and --max-lines=N take a number; -l alone means 1 (GNU's older spelling, number attached if any)
    else if (a === "-L") maxLines = Number(args[++i]);
    else if (/^-L\d+$/.test(a)) maxLines = Number(a.slice(2));
    else if (a.startsWith("--max-lines=")) maxLines = Number(a.slice(12));
    else if (a === "-l" || /^-l\d+$/.test(a)) maxLines = a === "-l" ? 1 : Number(a.slice(2));
    else if (a === "--") {
      i++;
      break;
    } else return { stdout: "", stderr: `xargs: kubelab's xargs does not support the option ${a} (it has -n, -L, -I, -r, -t, -0, -d)\n`, code: 1 };
  }
  if (maxLines !== undefined && !(Number.isInteger(maxLines) && maxLines > 0)) return { stdout: "", stderr: `xargs: invalid number "${args[i] ?? ""}" for -L option\n`, code: 1 };
  if (!Number.isFinite(maxArgs) && maxArgs !== Infinity) return { stdout: "", stderr: "xargs: invalid number for -n option\n", code: 1 };
  const cmd = args.slice(i);
  if (!cmd.length) cmd.push("echo");
  const input = io.stdin ?? "";
  let items: string[];
  const groups: string[][] = [];
  if (replace !== undefined) items = input.split("\n").map((l) => l.replace(/^\s+/, "")).filter((l) => l !== "");
  else if (maxLines !== undefined) {
    // N non-blank input lines per command line, each line's words as xargs splits them
    const ls = input.split("\n").filter((l) => l.trim() !== "");
    items = [];
    for (let k = 0; k < ls.length; k += maxLines) {
      const w = words(ls.slice(k, k + maxLines).join("\n"));
      if (typeof w === "string") return { stdout: "", stderr: w + "\n", code: 1 };
      groups.push(w);
      items.push(...w);
    }
  }
  else if (delim !== undefined) items = input.split(delim).filter((x, k, all) => !(k === all.length - 1 && x === ""));
  else {
    const w = words(input);
    if (typeof w === "string") return { stdout: "", stderr: w + "\n", code: 1 };
    items = w;
  }
  const runs: string[][] = [];
  if (replace !== undefined) for (const it of items) runs.push(cmd.map((c) => c.split(replace!).join(it)));
  else if (maxLines !== undefined && groups.length) for (const g of groups) runs.push([...cmd, ...g]);
  else if (items.length === 0) {
    if (!noEmpty) runs.push(cmd);
  } else for (let k = 0; k < items.length; k += Math.max(1, maxArgs === Infinity ? items.length : maxArgs)) runs.push([...cmd, ...items.slice(k, maxArgs === Infinity ? items.length : k + maxArgs)]);
  let stdout = "";
  let stderr = "";
  let code = 0;
  for (const run of runs) {
    if (trace) stderr += run.map(quote).join(" ") + "\n";
    const r = ctx.runner!.argv(ctx, run);
    stdout += r.stdout;
    stderr += r.stderr;
    if (r.code === 127) return { stdout, stderr: stderr.replace(/bash: ([^:]+): command not found\n$/, "xargs: $1: No such file or directory\n"), code: 127 };
    if (r.code === 255) return { stdout, stderr: stderr + `xargs: ${run[0]}: exited with status 255; aborting\n`, code: 124 };
    if (r.code !== 0) code = 123;
  }
  return { stdout, stderr, code };
};

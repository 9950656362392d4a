// The lab terminal: `Cluster.exec(line)` runs one bash-like line on a node (or in a pod) and returns what a real
// terminal would print. Nothing here throws: bad lines give bash's or the tool's message and a non-zero status.
// Loops are bounded (MAX_LOOP_ITERATIONS) so `while true; do curl …; done` ends with a note instead of hanging.
import type { Cluster } from "../cluster.ts";
import type { ExecOptions, ExecResult } from "../types.ts";
import type { CmdIO, CmdResult, CommandFn, ShellCtx, ShellState } from "./context.ts";
import type { LineRequests, Runner } from "./context.ts";
import { MAX_COMMANDS_PER_LINE, MAX_DEPTH, MAX_LOOP_ITERATIONS, MAX_OUTPUT_CHARS, fail, hostName, ok, podHost, resolvePath } from "./context.ts";
import type { AndOr, Command, List, Pipeline, Redir, SimpleCommand, Word } from "./parse.ts";
import { ShellSyntaxError, parse } from "./parse.ts";
import { TEXT_COMMANDS } from "./text/index.ts";
import { xargs } from "./xargs.ts";
import { jq } from "./jq/index.ts";
import { watch } from "./watch.ts";
import { history } from "./history.ts";
import { expandHistory, needsExpansion, resolvedHistory } from "./history-expansion.ts";
import { helpCommand, withHelp } from "./help.ts";
import { editorCommand } from "./editor.ts";
import { NET_COMMANDS } from "./net.ts";
import { readHostFile, writeHostFile, isDir } from "./fs.ts";
import { escapeGlob, expandGlob, hasGlob } from "./glob.ts";
import { kubectl } from "../kubectl/index.ts";

export type TerminalOptions = ExecOptions;

class LimitExceeded extends Error {}

// Built on first use: kubectl's module imports this one (kubectl exec runs commands in pods).
let commandTable: Record<string, CommandFn> | undefined;
function commands(): Record<string, CommandFn> {
  return (commandTable ??= {
  ...TEXT_COMMANDS,
  ...NET_COMMANDS,
  kubectl,
  k: kubectl,
  sh: shCommand,
  bash: shCommand,
  ssh: sshCommand,
  which: whichCommand,
  type: whichCommand,
  xargs,
  watch,
  jq,
  history,
  help: helpCommand((ctx) => Object.keys(commands()).filter((n) => lookup(ctx, n))),
  vi: editorCommand,
  vim: editorCommand,
  view: editorCommand,
  nano: editorCommand,
  });
}

/** Commands a container image has (demoapp/admin-box style: busybox-ish tools, curl, nslookup). */
const POD_COMMANDS = new Set([
  "echo", "printf", "cat", "ls", "cd", "pwd", "grep", "egrep", "awk", "head", "tail", "wc", "sort", "uniq", "cut", "tr", "seq",
  "sleep", "true", "false", ":", "hostname", "whoami", "date", "env", "export", "unset", "exit", "curl", "wget", "nslookup",
  "dig", "host", "sh", "bash", "ip", "ifconfig", "mkdir", "rm", "tee", "mysql", "clear", "which", "type",
  "sed", "cp", "mv", "touch", "find", "diff", "base64", "xargs", "watch", "vi", "help", "history",
]);

const BIN_PATHS: Record<string, string> = { kubectl: "/usr/bin/kubectl", curl: "/usr/bin/curl", ip: "/usr/sbin/ip" };

function whichCommand(ctx: ShellCtx, argv: string[]): CmdResult {
  let out = "";
  let code = 0;
  for (const a of argv.slice(1)) {
    if (lookup(ctx, a)) out += argv[0] === "type" ? `${a} is ${BIN_PATHS[a] ?? "/usr/bin/" + a}\n` : `${BIN_PATHS[a] ?? "/usr/bin/" + a}\n`;
    else {
      code = 1;
      if (argv[0] === "which") return { stdout: out, stderr: `/usr/bin/which: no ${a} in (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/root/bin)\n`, code };
      return { stdout: out, stderr: `bash: type: ${a}: not found\n`, code };
    }
  }
  return { stdout: out, stderr: "", code };
}

function lookup(ctx: ShellCtx, name: string): CommandFn | undefined {
  const table = commands();
  if (!Object.prototype.hasOwnProperty.call(table, name)) return undefined;
  if (podHost(ctx.st.host) && !POD_COMMANDS.has(name)) return undefined;
  return withHelp(name, table[name]);
}

/** `sh -c 'line'` / `bash -c 'line'`: run a nested line with the same host and variables. */
function shCommand(ctx: ShellCtx, argv: string[], io: CmdIO): CmdResult {
  const i = argv.indexOf("-c");
  if (i < 0) {
    if (io.stdin) return runNested(ctx, io.stdin, ctx.st.host);
    return fail(`kubelab: an interactive ${argv[0]} is not available here; use ${argv[0]} -c 'COMMAND'`, 1);
  }
  const line = argv[i + 1];
  if (line === undefined) return fail(`${argv[0]}: -c: option requires an argument`, 2);
  return runNested(ctx, line, ctx.st.host, io.stdin);
}

/** `ssh node01 CMD`: run CMD on another node (the interactive shell handles a bare `ssh node01`). */
function sshCommand(ctx: ShellCtx, argv: string[], io: CmdIO): CmdResult {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (args.length === 0) return fail("usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-b bind_address] [-c cipher_spec]\n           [-F configfile] [-i identity_file] [-l login_name] [-p port] destination [command]", 255);
  const dest = args[0].replace(/^root@/, "");
  const node = ctx.c.hosts().find((h) => h.name === dest || h.ip === dest);
  if (!node) return fail(`ssh: Could not resolve hostname ${dest}: Name or service not known`, 255);
  if (args.length === 1) return fail(`kubelab: an interactive ssh session needs the terminal; run \`ssh ${dest} COMMAND\` here, or type \`ssh ${dest}\` at the interactive prompt`, 255);
  return runNested(ctx, args.slice(1).join(" "), node.name, io.stdin, "/root");
}

function runNested(ctx: ShellCtx, line: string, host: string, stdin?: string, cwd?: string): CmdResult {
  if (ctx.depth >= MAX_DEPTH) return fail("bash: maximum nesting level exceeded", 1);
  const st: ShellState = { host, cwd: cwd ?? ctx.st.cwd, env: { ...ctx.st.env } };
  const inner: ShellCtx = { ...ctx, st, depth: ctx.depth + 1, lineStdin: stdin };
  const r = runLineIn(inner, line);
  if (host === ctx.st.host && cwd === undefined) ctx.st.env = { ...ctx.st.env };
  return { stdout: r.stdout, stderr: r.stderr, code: r.exitCode };
}

/** Run a command line in another place (kubectl exec runs its command in a pod). */
export function runIn(ctx: ShellCtx, host: string, argv: string[], stdin?: string): CmdResult {
  if (ctx.depth >= MAX_DEPTH) return fail("bash: maximum nesting level exceeded", 1);
  const st: ShellState = { host, cwd: podHost(host) ? "/" : "/root", env: {} };
  const inner: ShellCtx = { ...ctx, st, depth: ctx.depth + 1, lineStdin: stdin };
  const fn = lookup(inner, argv[0]);
  if (!fn) return { stdout: "", stderr: "", code: 127 };
  return guard(inner, () => fn(inner, argv, { stdin }));
}

function guard(ctx: ShellCtx, f: () => CmdResult): CmdResult {
  try {
    return f();
  } catch (e) {
    if (e instanceof LimitExceeded) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    return fail(`kubelab: internal error: ${msg}`, 1);
  }
}

// ---- expansion ----

function varValue(ctx: ShellCtx, name: string): string {
  switch (name) {
    case "?":
      return String(ctx.lastStatus);
    case "$":
      return "4242";
    case "#":
      return "0";
    case "HOSTNAME":
      return ctx.st.env.HOSTNAME ?? hostName(ctx.st.host);
    case "HOME":
      return ctx.st.env.HOME ?? "/root";
    case "PWD":
      return ctx.st.cwd;
    case "USER":
      return ctx.st.env.USER ?? "root";
  }
  return ctx.st.env[name] ?? "";
}

function expandWord(ctx: ShellCtx, w: Word, split = true): string[] {
  const fields: string[] = [];
  let cur = "";
  // the field as a glob pattern: unquoted literal text as typed, everything else escaped (split words only: bash
  // does not expand paths in assignments, and kubelab not in redirection targets)
  let pat = "";
  let has = false;
  const push = () => {
    const matches = split && hasGlob(pat) ? expandGlob(ctx, pat) : [];
    if (matches.length) fields.push(...matches);
    else fields.push(cur);
  };
  const first = w.parts[0];
  for (let idx = 0; idx < w.parts.length; idx++) {
    const p = w.parts[idx];
    if (p.k === "lit") {
      let s = p.s;
      if (idx === 0 && !p.q && p === first && (s === "~" || s.startsWith("~/"))) s = "/root" + s.slice(1);
      cur += s;
      pat += p.q ? escapeGlob(s) : s.replace(/\\/g, "\\\\");
      has = true;
      continue;
    }
    const value = p.k === "var" ? varValue(ctx, p.name) : commandSubstitution(ctx, p.src);
    if (p.q || !split) {
      cur += value;
      pat += escapeGlob(value);
      has = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, i) => {
      if (i > 0) {
        if (has) push();
        cur = "";
        pat = "";
        has = false;
      }
      if (piece !== "") {
        cur += piece;
        pat += piece.replace(/\\/g, "\\\\"); // an unquoted expansion's result is expanded too, as in bash
        has = true;
      }
    });
  }
  if (has) push();
  return fields;
}

function commandSubstitution(ctx: ShellCtx, src: string): string {
  const saved = ctx.lastStatus;
  const r = runLineIn({ ...ctx, depth: ctx.depth + 1 }, src, true);
  ctx.lastStatus = r.exitCode ?? saved;
  pendingStderr.push(r.stderr);
  return r.stdout.replace(/\n+$/, "");
}

// Command substitutions' stderr goes to the terminal: collected here and emitted by the command that ran them.
let pendingStderr: string[] = [];

// ---- execution ----

function applyRedirs(ctx: ShellCtx, redirs: Redir[], io: CmdIO, run: (io: CmdIO) => CmdResult): CmdResult {
  let stdin = io.stdin;
  let outFile: { path: string; append: boolean } | undefined;
  let errFile: { path: string; append: boolean } | undefined;
  let errToOut = false;
  let outToErr = false;
  let discardOut = false;
  let discardErr = false;
  for (const r of redirs) {
    if (r.op === "<<") {
      stdin = r.body ?? "";
      continue;
    }
    if (r.op === "2>&1") {
      errToOut = true;
      continue;
    }
    if (r.op === ">&2") {
      outToErr = true;
      continue;
    }
    const target = expandWord(ctx, r.target!, false).join("");
    if (r.op === "<<<") {
      stdin = target + "\n";
      continue;
    }
    const path = resolvePath(ctx.st.cwd, target);
    if (r.op === "<") {
      const text = readHostFile(ctx, path);
      if (text === undefined) return fail(`bash: ${target}: ${isDir(ctx, path) ? "Is a directory" : "No such file or directory"}`, 1);
      stdin = text;
      continue;
    }
    const isNull = path === "/dev/null";
    if (r.op === ">" || r.op === ">>") {
      if (isNull) discardOut = true;
      else outFile = { path, append: r.op === ">>" };
    } else if (r.op === "2>" || r.op === "2>>") {
      if (isNull) discardErr = true;
      else errFile = { path, append: r.op === "2>>" };
    } else if (r.op === "&>") {
      if (isNull) {
        discardOut = true;
        discardErr = true;
      } else {
        outFile = { path, append: false };
        errToOut = true;
      }
    }
    if (!isNull && isDir(ctx, path)) return fail(`bash: ${target}: Is a directory`, 1);
  }
  const res = run({ stdin });
  let stdout = res.stdout;
  let stderr = res.stderr;
  if (outToErr) {
    stderr = stdout + stderr;
    stdout = "";
  }
  if (errToOut && !discardErr) {
    stdout = stdout + stderr;
    stderr = "";
  }
  if (discardErr) stderr = "";
  if (errFile) {
    writeHostFile(ctx, errFile.path, (errFile.append ? (readHostFile(ctx, errFile.path) ?? "") : "") + stderr);
    stderr = "";
  }
  if (discardOut) stdout = "";
  if (outFile) {
    writeHostFile(ctx, outFile.path, (outFile.append ? (readHostFile(ctx, outFile.path) ?? "") : "") + stdout);
    stdout = "";
  }
  return { stdout, stderr, code: res.code };
}

function runSimple(ctx: ShellCtx, cmd: SimpleCommand, io: CmdIO): CmdResult {
  ctx.budget.commands++;
  if (ctx.budget.commands > MAX_COMMANDS_PER_LINE) throw new LimitExceeded(`more than ${MAX_COMMANDS_PER_LINE} commands`);
  pendingStderr = [];
  let argv: string[];
  const assigned: Record<string, string> = {};
  try {
    for (const a of cmd.assigns) assigned[a.name] = expandWord(ctx, a.value, false).join("");
    argv = cmd.words.flatMap((w) => expandWord(ctx, w));
  } catch (e) {
    if (e instanceof LimitExceeded) throw e;
    return fail(`bash: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  const subErr = pendingStderr.join("");
  pendingStderr = [];
  if (argv.length === 0) {
    Object.assign(ctx.st.env, assigned);
    const r = applyRedirs(ctx, cmd.redirs, io, () => ok());
    return { ...r, stderr: subErr + r.stderr, code: cmd.words.length ? ctx.lastStatus : r.code };
  }
  const name = argv[0];
  const fn = lookup(ctx, name);
  const r = applyRedirs(ctx, cmd.redirs, io, (io2) => {
    if (!fn) {
      if (podHost(ctx.st.host)) return fail(`sh: ${name}: not found`, 127);
      return fail(`bash: ${name}: command not found`, 127);
    }
    const savedEnv = ctx.st.env;
    if (Object.keys(assigned).length) ctx.st.env = { ...savedEnv, ...assigned };
    try {
      return guard(ctx, () => fn(ctx, argv, { stdin: io2.stdin }));
    } finally {
      if (Object.keys(assigned).length) ctx.st.env = savedEnv;
    }
  });
  return { ...r, stderr: subErr + r.stderr };
}

function runLoopBody(ctx: ShellCtx, list: List, io: CmdIO, acc: CmdResult): number {
  const r = runList(ctx, list, io);
  acc.stdout += r.stdout;
  acc.stderr += r.stderr;
  if (acc.stdout.length + acc.stderr.length > MAX_OUTPUT_CHARS) throw new LimitExceeded("output limit");
  return r.code;
}

function loopNote(ctx: ShellCtx, acc: CmdResult): void {
  if (!ctx.budget.loopNoted) {
    acc.stderr += `^C\nkubelab: loop stopped after ${MAX_LOOP_ITERATIONS} iterations (loops are bounded so the terminal never hangs)\n`;
    ctx.budget.loopNoted = true;
  }
}

function runCommand(ctx: ShellCtx, cmd: Command, io: CmdIO): CmdResult {
  if (ctx.st.exited !== undefined) return { stdout: "", stderr: "", code: ctx.st.exited };
  switch (cmd.t) {
    case "simple":
      return runSimple(ctx, cmd, io);
    case "while":
    case "until":
      return applyRedirs(ctx, cmd.redirs, io, (io2) => {
        const acc: CmdResult = { stdout: "", stderr: "", code: 0 };
        let iterations = 0;
        for (;;) {
          const c = runLoopBody(ctx, cmd.cond, io2, acc);
          if ((c === 0) !== (cmd.t === "while") || ctx.st.exited !== undefined) break;
          if (iterations >= MAX_LOOP_ITERATIONS) {
            loopNote(ctx, acc);
            acc.code = 130;
            return acc;
          }
          iterations++;
          acc.code = runLoopBody(ctx, cmd.body, io2, acc);
          if (ctx.st.exited !== undefined) break;
        }
        return acc;
      });
    case "for":
      return applyRedirs(ctx, cmd.redirs, io, (io2) => {
        const acc: CmdResult = { stdout: "", stderr: "", code: 0 };
        const items = cmd.items ? cmd.items.flatMap((w) => expandWord(ctx, w)) : [];
        acc.stderr += pendingStderr.join("");
        pendingStderr = [];
        let n = 0;
        for (const item of items) {
          if (n >= MAX_LOOP_ITERATIONS) {
            loopNote(ctx, acc);
            acc.code = 130;
            return acc;
          }
          n++;
          ctx.st.env[cmd.name] = item;
          acc.code = runLoopBody(ctx, cmd.body, io2, acc);
          if (ctx.st.exited !== undefined) break;
        }
        return acc;
      });
    case "if":
      return applyRedirs(ctx, cmd.redirs, io, (io2) => {
        const acc: CmdResult = { stdout: "", stderr: "", code: 0 };
        for (const b of cmd.branches) {
          if (runLoopBody(ctx, b.cond, io2, acc) === 0) {
            acc.code = runLoopBody(ctx, b.body, io2, acc);
            return acc;
          }
        }
        if (cmd.elseBody) acc.code = runLoopBody(ctx, cmd.elseBody, io2, acc);
        return acc;
      });
    case "group":
      return applyRedirs(ctx, cmd.redirs, io, (io2) => {
        if (cmd.subshell) {
          const st: ShellState = { ...ctx.st, env: { ...ctx.st.env } };
          const inner: ShellCtx = { ...ctx, st };
          const r = runList(inner, cmd.body, io2);
          return r;
        }
        return runList(ctx, cmd.body, io2);
      });
  }
}

function runPipeline(ctx: ShellCtx, p: Pipeline, io: CmdIO): CmdResult {
  let stdin = io.stdin;
  let stderr = "";
  let last: CmdResult = { stdout: "", stderr: "", code: 0 };
  p.commands.forEach((cmd, i) => {
    // Each stage of a pipeline runs in a subshell in bash: cd/exit/assignments there do not stick.
    const stageCtx = p.commands.length > 1 ? { ...ctx, st: { ...ctx.st, env: { ...ctx.st.env } } } : ctx;
    last = runCommand(stageCtx, cmd, { stdin: i === 0 ? stdin : last.stdout });
    stderr += last.stderr;
  });
  void stdin;
  stdin = undefined;
  const code = p.negate ? (last.code === 0 ? 1 : 0) : last.code;
  return { stdout: last.stdout, stderr, code };
}

function runAndOr(ctx: ShellCtx, ao: AndOr, io: CmdIO): CmdResult {
  const acc: CmdResult = { stdout: "", stderr: "", code: 0 };
  let r = runPipeline(ctx, ao.first, io);
  acc.stdout += r.stdout;
  acc.stderr += r.stderr;
  ctx.lastStatus = r.code;
  for (const { op, p } of ao.rest) {
    if (ctx.st.exited !== undefined) break;
    if ((op === "&&") !== (ctx.lastStatus === 0)) continue;
    r = runPipeline(ctx, p, io);
    acc.stdout += r.stdout;
    acc.stderr += r.stderr;
    ctx.lastStatus = r.code;
  }
  acc.code = ctx.lastStatus;
  return acc;
}

function runList(ctx: ShellCtx, list: List, io: CmdIO): CmdResult {
  const acc: CmdResult = { stdout: "", stderr: "", code: 0 };
  for (const ao of list) {
    if (ctx.st.exited !== undefined) break;
    const r = runAndOr(ctx, ao, io);
    acc.stdout += r.stdout;
    acc.stderr += r.stderr;
    acc.code = r.code;
    if (acc.stdout.length + acc.stderr.length > MAX_OUTPUT_CHARS) throw new LimitExceeded("output limit");
  }
  return acc;
}

function runLineIn(ctx: ShellCtx, line: string, nested = false): ExecResult {
  let list: List;
  try {
    list = parse(line, ctx.lineStdin);
  } catch (e) {
    const msg = e instanceof ShellSyntaxError ? e.message : String(e);
    const lines = msg.startsWith("unexpected EOF") ? `bash: ${msg}\nbash: syntax error: unexpected end of file\n` : `bash: ${msg}\n`;
    return { stdout: "", stderr: lines, exitCode: 2 };
  }
  try {
    const r = runList(ctx, list, { stdin: ctx.lineStdin });
    return { stdout: r.stdout, stderr: r.stderr, exitCode: ctx.st.exited ?? r.code };
  } catch (e) {
    if (e instanceof LimitExceeded && !nested) return { stdout: "", stderr: `kubelab: stopped: ${e.message} for one line\n`, exitCode: 130 };
    if (e instanceof LimitExceeded) throw e;
    return { stdout: "", stderr: `kubelab: internal error: ${e instanceof Error ? e.message : String(e)}\n`, exitCode: 1 };
  }
}

/** Run one line with a persistent shell state (the interactive terminal keeps `st` between lines). */
export function runLine(c: Cluster, line: string, st: ShellState, stdin?: string): ExecResult {
  const requests: LineRequests = {};
  const ctx: ShellCtx = { c, st, lineStdin: stdin, budget: { commands: 0, output: 0, loopNoted: false }, lastStatus: Number(st.env["?"] ?? 0) || 0, depth: 0, requests, runner: RUNNER };
  st.line = line;
  const r = runLineIn(ctx, line);
  delete st.line;
  st.env["?"] = String(r.exitCode);
  return requests.editor ? { ...r, editor: requests.editor } : r;
}

/** How xargs, watch and kubectl edit run other commands. */
const RUNNER: Runner = {
  argv(ctx, argv, stdin) {
    const fn = lookup(ctx, argv[0]);
    if (!fn) return { stdout: "", stderr: `bash: ${argv[0]}: command not found\n`, code: 127 };
    ctx.budget.commands++;
    if (ctx.budget.commands > MAX_COMMANDS_PER_LINE) throw new LimitExceeded(`more than ${MAX_COMMANDS_PER_LINE} commands`);
    return guard(ctx, () => fn(ctx, argv, { stdin }));
  },
  line(ctx, line, stdin) {
    return runNested(ctx, line, ctx.st.host, stdin);
  },
  names(ctx) {
    return Object.keys(commands()).filter((n) => lookup(ctx, n));
  },
};

export function execLine(c: Cluster, line: string, opts: TerminalOptions = {}): ExecResult {
  const host = opts.host ?? "master01";
  const st: ShellState = { host, cwd: opts.cwd ?? (podHost(host) ? "/" : "/root"), env: { ...(opts.env ?? {}) }, ...(opts.history ? { history: opts.history } : {}) };
  if (!podHost(host) && host !== "external" && host !== "client" && !c.hosts().some((h) => h.name === host)) {
    return { stdout: "", stderr: `kubelab: unknown host "${host}" (nodes: ${c.hosts().map((h) => h.name).join(", ")}; or pod:<namespace>/<name>)\n`, exitCode: 255 };
  }
  // a node's interactive bash expands history first (a pod's sh does not): the line it then runs is the expanded one,
  // echoed before its output; a failed expansion runs nothing and leaves $? as it was
  let echo = "";
  if (!podHost(host) && opts.historyExpansion !== false && (needsExpansion(line) || opts.history)) {
    st.history = resolvedHistory(opts.history ?? []);
    if (needsExpansion(line)) {
      const x = expandHistory(line, st.history);
      if ("error" in x) {
        const r: ExecResult = { stdout: "", stderr: `${x.error}\n`, exitCode: Number(st.env["?"] ?? 0) || 0, ran: false };
        return opts.cwd !== undefined || opts.env !== undefined ? { ...r, shell: { cwd: st.cwd, env: { ...st.env } } } : r;
      }
      if (x.printOnly) {
        // :p prints the line (and keeps it in the history) without running it
        const r: ExecResult = { stdout: `${x.line}\n`, stderr: "", exitCode: Number(st.env["?"] ?? 0) || 0, ran: false };
        return opts.cwd !== undefined || opts.env !== undefined ? { ...r, shell: { cwd: st.cwd, env: { ...st.env } } } : r;
      }
      if (x.changed) {
        line = x.line;
        echo = `${line}\n`;
      }
    }
  } else if (opts.history) st.history = [...opts.history];
  try {
    const result = runLine(c, line, st, opts.stdin);
    // (bash echoes the expanded line on stderr before running it; it leads stdout here, so that a terminal that
    // writes stdout then stderr shows it first)
    const r: ExecResult = echo ? { ...result, stdout: echo + result.stdout, ran: line } : result;
    if (opts.cwd !== undefined || opts.env !== undefined) return { ...r, shell: { cwd: st.cwd, env: { ...st.env } } };
    delete st.env["?"];
    return r;
  } catch (e) {
    return { stdout: "", stderr: `kubelab: internal error: ${e instanceof Error ? e.message : String(e)}\n`, exitCode: 1 };
  }
}

/** The command names a host's shell knows, sorted (the lab page's Tab completion). */
export function commandNames(host: string): string[] {
  return Object.keys(commands()).filter((n) => !podHost(host) || POD_COMMANDS.has(n)).sort();
}

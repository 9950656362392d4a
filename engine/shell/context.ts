// What every terminal command sees: the cluster, where it runs (a node, or a pod for `kubectl exec`), the
// working directory, shell variables, and the limits that keep one line from running away.
import type { Cluster } from "../cluster.ts";
import type { EditorRequest, RequestSource } from "../types.ts";

export type { EditorRequest };

export interface ShellState {
  /** A node name, or `pod:<ns>/<name>` inside a container. */
  host: string;
  cwd: string;
  env: Record<string, string>;
  /** Set by `exit`. */
  exited?: number;
  /** The lines typed before this one (oldest first), for `history`; the caller keeps them. */
  history?: string[];
  /** The line being run (top level). */
  line?: string;
}

/** What a line asks of its terminal beyond its output (shared by every command of the line, nested ones included). */
export interface LineRequests {
  editor?: EditorRequest;
}

/** Running other commands: xargs, watch and kubectl edit's editor need it; the shell (exec.ts) provides it. */
export interface Runner {
  /** Run one command (argv) on the context's host; 127 with bash's message when it does not exist. */
  argv(ctx: ShellCtx, argv: string[], stdin?: string): CmdResult;
  /** Run a whole line (pipes, redirections) on the context's host. */
  line(ctx: ShellCtx, line: string, stdin?: string): CmdResult;
  /** The commands this host has. */
  names(ctx: ShellCtx): string[];
}

export interface Budget {
  commands: number;
  output: number;
  loopNoted: boolean;
}

export interface ShellCtx {
  c: Cluster;
  st: ShellState;
  /** stdin of the whole line (a here-document passed by the caller). */
  lineStdin?: string;
  budget: Budget;
  lastStatus: number;
  /** Nesting depth of sh -c / kubectl exec / ssh. */
  depth: number;
  /** Shared by the whole line. */
  requests?: LineRequests;
  runner?: Runner;
}

export interface CmdIO {
  stdin: string | undefined;
}

export interface CmdResult {
  stdout: string;
  stderr: string;
  code: number;
}

export type CommandFn = (ctx: ShellCtx, argv: string[], io: CmdIO) => CmdResult;

export const MAX_LOOP_ITERATIONS = 100;
export const MAX_COMMANDS_PER_LINE = 5000;
export const MAX_OUTPUT_CHARS = 2_000_000;
export const MAX_DEPTH = 8;

export function ok(stdout = "", stderr = ""): CmdResult {
  return { stdout, stderr, code: 0 };
}
export function fail(stderr: string, code = 1, stdout = ""): CmdResult {
  return { stdout, stderr: stderr === "" || stderr.endsWith("\n") ? stderr : stderr + "\n", code };
}

export function podHost(host: string): { namespace: string; name: string } | undefined {
  const m = /^pod:(?:([^/]+)\/)?(.+)$/.exec(host);
  if (!m) return undefined;
  return { namespace: m[1] ?? "default", name: m[2] };
}

export function isExternalHost(host: string): boolean {
  return host === "external" || host === "client";
}

/** The request source for the host a command runs on. */
export function requestSource(host: string): RequestSource {
  const pod = podHost(host);
  if (pod) return { kind: "pod", pod: pod.name, namespace: pod.namespace };
  if (isExternalHost(host)) return { kind: "external" };
  return { kind: "node", node: host };
}

/** The short host name a prompt or `hostname` shows. */
export function hostName(host: string): string {
  const pod = podHost(host);
  if (pod) return pod.name;
  return host;
}

export { resolvePath } from "../paths.ts";

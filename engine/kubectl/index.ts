// kubectl for the lab terminal: the command table and the entry point. Each subcommand lives in its own module (get,
// describe, apply/create -f, create generators, delete, label, scale, expose, run, exec, logs, version, cluster-info,
// api-resources) with kubectl v1.19's messages, tables and exit codes, on top of the engine's typed operations.
import type { CommandFn } from "../shell/context.ts";
import type { Sub } from "./command.ts";
import { get } from "./get.ts";
import { describe } from "./describe.ts";
import { applyLike } from "./apply.ts";
import { create } from "./create.ts";
import { delete_ } from "./delete.ts";
import { label } from "./label.ts";
import { scale } from "./scale.ts";
import { expose } from "./expose.ts";
import { run } from "./run.ts";
import { exec } from "./exec.ts";
import { version } from "./version.ts";
import { clusterInfo } from "./cluster-info.ts";
import { apiResources } from "./api-resources.ts";
import { logs } from "./logs.ts";
import { explain } from "./explain.ts";
import { taint } from "./taint.ts";
import { edit } from "./edit.ts";
import { patch } from "./patch.ts";
import { replace } from "./replace.ts";
import { set } from "./set.ts";
import { annotate } from "./annotate.ts";
import { rollout } from "./rollout.ts";
import { wait } from "./wait.ts";
import { HELP } from "./help.ts";
import { errorText, isKnownError } from "./output.ts";

const SUBCOMMANDS: Record<string, Sub> = {
  get,
  describe,
  apply: applyLike("apply"),
  create,
  delete: delete_,
  label,
  scale,
  expose,
  run,
  exec,
  version,
  "cluster-info": clusterInfo,
  "api-resources": apiResources,
  logs,
  explain,
  taint,
  edit,
  patch,
  replace,
  set,
  annotate,
  rollout,
  wait,
};

const NOT_SIMULATED = new Set(["port-forward", "proxy", "cp", "attach", "autoscale", "top", "drain", "cordon", "uncordon", "config", "auth", "diff", "kustomize", "certificate", "debug", "plugin", "completion", "api-versions", "convert"]);

export const kubectl: CommandFn = (ctx, argv, io) => {
  const args = argv.slice(1);
  // Global flags may come before the subcommand (`kubectl -n kube-system get po`).
  const pre: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    const a = args[i];
    pre.push(a);
    if ((a === "-n" || a === "--namespace" || a === "--kubeconfig" || a === "--context") && i + 1 < args.length) pre.push(args[++i]);
    i++;
  }
  const sub = args[i];
  if (sub === undefined || sub === "help" || pre.includes("--help") || pre.includes("-h")) return { stdout: HELP, stderr: "", code: 0 };
  const rest = [...pre, ...args.slice(i + 1)];
  if (rest.includes("--help") || rest.includes("-h")) {
    if (SUBCOMMANDS[sub]) return { stdout: `kubelab's kubectl ${sub}: see the course notes for the forms it accepts (kubectl ${sub} --help is not reproduced).\n`, stderr: "", code: 0 };
  }
  const fn = SUBCOMMANDS[sub];
  if (!fn) {
    if (NOT_SIMULATED.has(sub)) return { stdout: "", stderr: `error: kubelab does not simulate "kubectl ${sub}"; use apply, label, scale, create, expose, delete\n`, code: 1 };
    return { stdout: "", stderr: `Error: unknown command "${sub}" for "kubectl"\nRun 'kubectl --help' for usage.\n`, code: 1 };
  }
  try {
    return fn(ctx, rest, io.stdin);
  } catch (e) {
    if (isKnownError(e)) return { stdout: "", stderr: errorText(e) + "\n", code: 1 };
    throw e;
  }
};

/** The subcommands kubelab's kubectl runs (the lab page's Tab completion). */
export const KUBECTL_SUBCOMMANDS: readonly string[] = Object.keys(SUBCOMMANDS).sort();

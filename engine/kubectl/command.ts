// The shape of a kubectl subcommand and its flag parsing: pflag errors become kubectl's usage error (exit 1).
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { FlagError, type FlagSpec, type Parsed, parseFlags } from "./flags.ts";

export type Sub = (ctx: ShellCtx, argv: string[], stdin: string | undefined) => CmdResult;

const FLAG_HELP = (cmd: string) => `See 'kubectl ${cmd} --help' for usage.`;

export function flagsOrUsage(cmd: string, argv: string[], specs: FlagSpec[]): Parsed | CmdResult {
  try {
    return parseFlags(argv, specs);
  } catch (e) {
    if (e instanceof FlagError) return { stdout: "", stderr: `Error: ${e.message}\n${FLAG_HELP(cmd)}\n`, code: 1 };
    throw e;
  }
}
export function isResult(x: Parsed | CmdResult): x is CmdResult {
  return (x as CmdResult).code !== undefined;
}

// The shape of a kubectl subcommand and its flag parsing: pflag errors become kubectl's usage error (exit 1).
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { FlagError, type FlagSpec, type Parsed, parseFlags } from "./flags.ts";

export type Sub = (ctx: ShellCtx, argv: string[], stdin: string | undefined) => CmdResult;

const FLAG_HELP = (cmd: string) => `See 'kubectl ${cmd} --help' for usage.`;

export function flagsOrUsage(cmd: string, argv: string[], specs: FlagSpec[]): Parsed | CmdResult {
  try {
    const parsed = parseFlags(argv, specs);
    // cobra's validateRequiredFlags, after the flags are parsed and before the command runs (so before its own checks
    // of NAME and the like): every flag marked required that was not given (an empty value counts as given), in
    // pflag's sorted order, printed by cobra as `Error: …` without a usage line.
    const missing = specs.filter((s) => s.required && !(s.name in parsed.flags)).map((s) => s.name).sort();
    if (missing.length) return { stdout: "", stderr: `Error: required flag(s) "${missing.join('", "')}" not set\n`, code: 1 };
    return parsed;
  } catch (e) {
    if (e instanceof FlagError) return { stdout: "", stderr: `Error: ${e.message}\n${FLAG_HELP(cmd)}\n`, code: 1 };
    throw e;
  }
}
export function isResult(x: Parsed | CmdResult): x is CmdResult {
  return (x as CmdResult).code !== undefined;
}

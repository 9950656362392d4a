// The lab terminal entry point (placeholder until the shell lands): every line is an unknown command.
import type { Cluster } from "../cluster.ts";
import type { ExecOptions, ExecResult } from "../types.ts";

export function execLine(_c: Cluster, line: string, _opts: ExecOptions): ExecResult {
  const word = line.trim().split(/\s+/)[0] ?? "";
  if (word === "") return { stdout: "", stderr: "", exitCode: 0 };
  return { stdout: "", stderr: `bash: ${word}: command not found\n`, exitCode: 127 };
}

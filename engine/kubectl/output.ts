// What a kubectl subcommand prints: stdout/stderr/exit code collected as it runs, and error texts as kubectl's
// checkErr prints them.
import type { CmdResult } from "../shell/context.ts";
import { ClientError, KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";
import { jsonpath } from "./jsonpath.ts";
import { goSharpV } from "../printers/go-sharp-v.ts";
import { goQuoteString } from "../labels/selector.ts";

export class Out {
  stdout = "";
  stderr = "";
  code = 0;
  out(s: string): void {
    this.stdout += s;
  }
  err(s: string, code = 1): void {
    this.stderr += s.endsWith("\n") ? s : s + "\n";
    if (code) this.code = code;
  }
  result(): CmdResult {
    return { stdout: this.stdout, stderr: this.stderr, code: this.code };
  }
}

/** The text kubectl prints for an error (checkErr). */
export function errorText(e: unknown): string {
  if (e instanceof KubeError) return e.kubectlMessage();
  if (e instanceof ClientError) {
    // An aggregate of several messages prints one per line without the prefix.
    if (e.message.includes("\n") && e.message.split("\n").every((l) => l.startsWith("'"))) return e.message;
    return `error: ${e.message}`;
  }
  if (e instanceof SelectorParseError) return `error: ${e.message}`;
  return `error: ${e instanceof Error ? e.message : String(e)}`;
}

export function isKnownError(e: unknown): boolean {
  return e instanceof KubeError || e instanceof ClientError || e instanceof SelectorParseError;
}

/**
 * `-o jsonpath=EXPR` (or `jsonpath-as-json=`) of one value, with kubectl's error when the template cannot run: the
 * engine's reason, then the template and the object (Go's %#v), as printers/jsonpath.go words it.
 */
export function printJsonpath(o: Out, output: string, value: unknown): void {
  const expr = output.slice(output.indexOf("=") + 1);
  try {
    o.out(jsonpath(expr, value));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const debug = `Error executing template: ${why}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${expr}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(value)}\n\n`;
    o.err(`error: error executing jsonpath ${goQuoteString(expr)}: ${debug}\n`);
  }
}

// What a kubectl subcommand prints: stdout/stderr/exit code collected as it runs, and error texts as kubectl's
// checkErr prints them.
import type { CmdResult } from "../shell/context.ts";
import { ClientError, KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";
import { jsonpath } from "./jsonpath.ts";
import { goSharpV } from "../printers/go-sharp-v.ts";
import { goQuoteString } from "../labels/selector.ts";
import { toJsonSorted, toYaml } from "../printers/object.ts";

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

/** The formats of genericclioptions.PrintFlags (a write's -o: patch, replace), as kubectl lists them when one is unknown. */
const WRITE_OUTPUTS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml";

/** kubectl's refusal of an -o a write command cannot print (undefined: the format is one kubelab prints). */
export function writeOutputRefusal(output: string): string | undefined {
  if (!output || ["yaml", "json", "name"].includes(output) || /^jsonpath(-as-json)?=/.test(output)) return undefined;
  return `error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${WRITE_OUTPUTS}`;
}

/**
 * The object a write answered with, printed for -o yaml|json|name|jsonpath=… as kubectl decodes it (unstructured, so
 * its keys sorted); without -o, the command's own line (`service/x replaced`).
 */
export function printWritten(o: Out, output: string, obj: unknown, nameLine: string, line: string): void {
  if (output === "yaml") o.out(toYaml(obj));
  else if (output === "json") o.out(toJsonSorted(obj));
  else if (output === "name") o.out(`${nameLine}\n`);
  else if (output) printJsonpath(o, output, obj);
  else o.out(`${line}\n`);
}

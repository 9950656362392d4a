// Shared pieces of the kubectl commands: error printing as kubectl's checkErr does, resource-argument parsing,
// and namespace handling.
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import type { ResourceInfo } from "../resources.ts";
import { resolveResource } from "../resources.ts";
import { ClientError, KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";
import type { Parsed } from "./flags.ts";
import { str } from "./flags.ts";

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

export class UsageError extends Error {}

export function namespaceOf(p: Parsed): string {
  return str(p, "namespace") ?? "default";
}

export function resolveType(word: string): ResourceInfo {
  const r = resolveResource(word);
  if (!r) throw new ClientError(`the server doesn't have a resource type "${word}"`);
  return r;
}

export interface ResourceRef {
  res: ResourceInfo;
  name?: string;
}

/**
 * kubectl's resource arguments: `TYPE[,TYPE] [NAME…]` or `TYPE/NAME…`. Returns the groups in order; `names` empty
 * means "all of that type".
 */
export function parseResourceArgs(args: string[], allowAll = false): { types: ResourceInfo[]; names: string[]; pairs?: ResourceRef[]; all?: boolean } {
  if (args.some((a) => a.includes("/"))) {
    const pairs: ResourceRef[] = [];
    for (const a of args) {
      const i = a.indexOf("/");
      if (i < 0)
        throw new ClientError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        );
      const t = a.slice(0, i);
      const n = a.slice(i + 1);
      if (!n) throw new ClientError(`arguments in resource/name form must have a single resource and name`);
      pairs.push({ res: resolveType(t), name: n });
    }
    return { types: [], names: [], pairs };
  }
  const [typeWord, ...names] = args;
  const words = typeWord.split(",").filter((w) => w !== "");
  if (allowAll && words.includes("all")) return { types: [], names, all: true };
  return { types: words.map(resolveType), names };
}

export function pluralWithGroup(r: ResourceInfo): string {
  return r.qualified;
}

export function selectorResource(r: ResourceInfo): string {
  return `${r.group ? r.group + "/" : "/"}${r.version}, Resource=${r.plural}`;
}

export function noResources(ns: string | undefined, namespaced: boolean): string {
  return namespaced && ns !== undefined ? `No resources found in ${ns} namespace.` : "No resources found";
}

export type { ShellCtx };

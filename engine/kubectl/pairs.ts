// The KEY=VALUE / KEY- arguments of kubectl label and annotate (v1.19 pkg/cmd/util GetResourcesAndPairs and
// ParsePairs, label's parseLabels, annotate's validateAnnotations) and the checks both commands make of their
// arguments before they visit any object, each in its command's order; errors are ClientErrors with kubectl's text.
import { ClientError, goQuote } from "../errors.ts";
import { isValidLabelValue } from "../validation/names.ts";
import type { ShellCtx } from "../shell/context.ts";
import { bool, str, type Parsed } from "./flags.ts";
import type { Out } from "./output.ts";
import type { Target } from "./targets.ts";

export type PairType = "label" | "annotation";

/** The changes the pairs ask for: keys to set (with their values) and keys to remove. */
export interface PairChanges {
  set: Record<string, string>;
  remove: string[];
}

/** A change rather than a resource: `k=v` (not starting with `=`) or `k-` (not `-` alone). */
export function isPair(arg: string): boolean {
  return (arg.includes("=") && !arg.startsWith("=")) || (arg.endsWith("-") && arg !== "-");
}

/** cmdutil.GetResourcesAndPairs: the resources come first, then the changes; a resource after a change is an error. */
export function splitResourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const a of args) {
    if (isPair(a)) pairs.push(a);
    else if (pairs.length) throw new ClientError(`all resources must be specified before ${pairType} changes: ${a}`);
    else resources.push(a);
  }
  return { resources, pairs };
}

/** cmdutil.ParsePairs: `k=v` splits at the first `=`; `k-` removes (when supported); the rest is listed as invalid. */
export function parsePairs(pairs: string[], pairType: string, supportRemove: boolean): PairChanges {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    if (p.includes("=") && !p.startsWith("=")) {
      const i = p.indexOf("=");
      set[p.slice(0, i)] = p.slice(i + 1);
    } else if (supportRemove && p.endsWith("-") && p !== "-") remove.push(p.slice(0, -1));
    else invalid.push(p);
  }
  if (invalid.length) throw new ClientError(`invalid ${pairType} format: ${invalid.join(", ")}`);
  return { set, remove };
}

/** label's parseLabels: `k=v` holds exactly one `=` and a valid label value; `k-` removes; never both for one key. */
export function parseLabelPairs(pairs: string[]): PairChanges {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const p of pairs) {
    if (p.includes("=")) {
      const parts = p.split("=");
      if (parts.length !== 2) throw new ClientError(`invalid label spec: ${p}`);
      const errs = isValidLabelValue(parts[1]);
      if (errs.length) throw new ClientError(`invalid label value: ${goQuote(p)}: ${errs.join(";")}`);
      set[parts[0]] = parts[1];
    } else if (p.endsWith("-")) remove.push(p.slice(0, -1));
    else throw new ClientError(`unknown label spec: ${p}`);
  }
  if (remove.some((k) => Object.hasOwn(set, k))) throw new ClientError("can not both modify and remove a label in the same command");
  return { set, remove };
}

/** annotate's validateAnnotations: the keys both set and removed, listed in the order of their removal. */
function checkNoModifyAndRemove(c: PairChanges): void {
  const both = c.remove.filter((k) => Object.hasOwn(c.set, k));
  if (both.length) throw new ClientError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(", ")}`);
}

export interface PairFlags {
  list: boolean;
  output?: string;
  all: boolean;
  selector?: string;
}

/**
 * The arguments of `kubectl label|annotate`, checked as Complete and Validate check them, in that command's order:
 * the resource arguments and the changes asked for. Throws a ClientError with kubectl's message.
 */
export function pairArguments(pairType: PairType, args: string[], flags: PairFlags): PairChanges & { resources: string[] } {
  const listWithOutput = () => {
    if (flags.list && flags.output) throw new ClientError("--list and --output may not be specified together");
  };
  // annotate checks --list against --output first, label after parsing its pairs
  if (pairType === "annotation") listWithOutput();
  const { resources, pairs } = splitResourcesAndPairs(args, pairType);
  const changes = pairType === "label" ? parseLabelPairs(pairs) : parsePairs(pairs, pairType, true);
  if (pairType === "label") listWithOutput();
  if (flags.all && flags.selector) throw new ClientError("cannot set --all and --selector at the same time");
  if (resources.length === 0) throw new ClientError("one or more resources must be specified as <resource> <name> or <resource>/<name>");
  if (Object.keys(changes.set).length === 0 && changes.remove.length === 0 && !flags.list) throw new ClientError(`at least one ${pairType} update is required`);
  if (pairType === "annotation") checkNoModifyAndRemove(changes);
  return { resources, ...changes };
}

/**
 * `--list`: the object's labels or annotations, one `k=v` a line sorted by key; with several objects each under a
 * `Listing <labels|annotations> for <Kind>.<group>/<name>:` line and indented by a space.
 */
export function listPairs(pairType: PairType, values: Record<string, string>, target: { kind: string; group: string; name: string }, several: boolean): string {
  let out = several ? `Listing ${pairType}s for ${target.kind}.${target.group}/${target.name}:\n` : "";
  for (const k of Object.keys(values).sort()) out += `${several ? " " : ""}${k}=${values[k]}\n`;
  return out;
}

/** `--resource-version` names one object's version: with several targets both commands refuse before visiting any. */
export function refuseResourceVersion(p: Parsed, targets: Target[], o: Out): boolean {
  if (str(p, "resource-version") === undefined || targets.length <= 1) return false;
  o.err("error: --resource-version may only be used with a single resource");
  return true;
}

/** `--list`: label and annotate print the target's pairs instead of changing them. True when that was the command. */
export function listed(ctx: ShellCtx, p: Parsed, o: Out, pairType: PairType, t: Target, ns: string | undefined, several: boolean): boolean {
  if (!bool(p, "list")) return false;
  const obj = t.obj ?? ctx.c.get(t.res.kind, t.name, ns);
  const values = (pairType === "label" ? obj.metadata.labels : obj.metadata.annotations) ?? {};
  o.out(listPairs(pairType, values, { kind: t.res.kind, group: t.res.group, name: t.name }, several));
  return true;
}

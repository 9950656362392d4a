// The resources a command acts on: kubectl's resource arguments (`TYPE[,TYPE] [NAME…]`, `TYPE/NAME…`), listing a
// type by label selector, and the texts for "no resources".
import type { AnyObject } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import { resolveResource } from "../resources.ts";
import type { ShellCtx } from "../shell/context.ts";
import { ClientError, KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";

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

/** kubectl's error when a command that needs resources (delete, expose) gets neither arguments nor -f. */
export const NO_RESOURCE_ARGS =
  "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export function selectorResource(r: ResourceInfo): string {
  return `${r.group ? r.group + "/" : "/"}${r.version}, Resource=${r.plural}`;
}

export function noResources(ns: string | undefined, namespaced: boolean): string {
  return namespaced && ns !== undefined ? `No resources found in ${ns} namespace.` : "No resources found";
}

/** One type's objects in a namespace (all namespaces when ns is undefined), by label selector; a bad selector is
 * reported the way the apiserver does. */
export function list(ctx: ShellCtx, res: ResourceInfo, ns: string | undefined, selector?: string): AnyObject[] {
  try {
    return ctx.c.list(res.kind, { namespace: res.namespaced ? ns : undefined, selector });
  } catch (e) {
    if (e instanceof SelectorParseError)
      throw new KubeError("BadRequest", `Unable to find "${selectorResource(res)}" that match label selector "${selector}", field selector "": ${e.message}`);
    throw e;
  }
}

export type ResourceArgs = ReturnType<typeof parseResourceArgs>;

/** The objects the arguments name: each TYPE/NAME, or every NAME of every TYPE; undefined when they name none. */
export function namedRefs(spec: ResourceArgs): { res: ResourceInfo; name: string }[] | undefined {
  if (spec.pairs) return spec.pairs.map((x) => ({ res: x.res, name: x.name! }));
  if (spec.names.length) return spec.types.flatMap((res) => spec.names.map((name) => ({ res, name })));
  return undefined;
}

export interface Target {
  res: ResourceInfo;
  name: string;
  /** The object as listed, when it came from a selector or --all. */
  obj?: AnyObject;
}

/**
 * What label, scale and delete act on: the named objects, or else every object of each type that matches the label
 * selector (or all of them with --all), listed in `ns` (all namespaces when undefined).
 */
export function collectTargets(ctx: ShellCtx, spec: ResourceArgs, ns: string | undefined, selector: string | undefined, all: boolean): Target[] {
  const named = namedRefs(spec);
  if (named) return named;
  if (!all && selector === undefined) throw new ClientError("resource(s) were provided, but no name, label selector, or --all flag specified");
  return spec.types.flatMap((res) => list(ctx, res, ns, selector).map((obj) => ({ res, obj, name: obj.metadata.name })));
}

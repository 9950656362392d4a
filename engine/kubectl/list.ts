// Listing one resource type for a command, with a bad label selector reported the way the apiserver does.
import type { AnyObject } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import type { ShellCtx } from "../shell/context.ts";
import { KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";
import { selectorResource } from "./common.ts";

export function list(ctx: ShellCtx, res: ResourceInfo, ns: string | undefined, selector?: string): AnyObject[] {
  try {
    return ctx.c.list(res.kind, { namespace: res.namespaced ? ns : undefined, selector });
  } catch (e) {
    if (e instanceof SelectorParseError)
      throw new KubeError("BadRequest", `Unable to find "${selectorResource(res)}" that match label selector "${selector}", field selector "": ${e.message}`);
    throw e;
  }
}

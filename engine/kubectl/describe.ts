// kubectl describe: picks the describe page for each kind, looks names up by prefix as kubectl does.
import type { AnyObject, DaemonSet, Deployment, Lease, Pod, ReplicaSet, Secret, Service } from "../objects.ts";
import type { ResourceInfo } from "../resources.ts";
import type { ShellCtx } from "../shell/context.ts";
import { KubeError } from "../errors.ts";
import { describeDaemonSet, describeDeployment, describeEndpoints, describeGeneric, describeNamespace, describeNode, describePod, describeReplicaSet, describeSecret, describeService, describeServiceAccount } from "../printers/describe.ts";
import { NODE_LEASE_NAMESPACE } from "../leases.ts";
import { type FlagSpec, bool, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { Out, errorText } from "./output.ts";
import { list, namedRefs, noResources, parseResourceArgs } from "./targets.ts";

const DESCRIBE_FLAGS: FlagSpec[] = [
  { name: "selector", short: "l", type: "string" },
  { name: "all-namespaces", short: "A", type: "bool" },
  { name: "show-events", type: "bool" },
  { name: "filename", short: "f", type: "strings" },
];

function describeOne(ctx: ShellCtx, obj: AnyObject, showEvents: boolean): string {
  const ns = obj.metadata.namespace;
  const ev = showEvents ? ctx.c.events(ns, { kind: obj.kind, name: obj.metadata.name }) : undefined;
  const t = ctx.c.nowSeconds();
  switch (obj.kind) {
    case "Service": {
      let ep;
      try {
        ep = ctx.c.get("Endpoints", obj.metadata.name, ns) as never;
      } catch {
        ep = undefined;
      }
      return describeService(obj as Service, ep, ev, t);
    }
    case "Endpoints":
      return describeEndpoints(obj, ev, t);
    case "Pod":
      return describePod(obj as Pod, ev, t);
    case "Deployment":
      return describeDeployment(obj as Deployment, ctx.c.list("ReplicaSet", { namespace: ns }) as ReplicaSet[], ev, t);
    case "ReplicaSet": {
      const pods = (ctx.c.list("Pod", { namespace: ns }) as Pod[]).filter((x) => x.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid));
      return describeReplicaSet(obj as ReplicaSet, pods, ev, t);
    }
    case "DaemonSet": {
      const pods = (ctx.c.list("Pod", { namespace: ns }) as Pod[]).filter((x) => x.metadata.ownerReferences?.some((r) => r.uid === obj.metadata.uid));
      return describeDaemonSet(obj as DaemonSet, pods, ev, t);
    }
    case "Node": {
      const lease = ctx.c.list("Lease", { namespace: NODE_LEASE_NAMESPACE }).find((l) => l.metadata.name === obj.metadata.name) as Lease | undefined;
      return describeNode(obj, ctx.c.list("Pod", {}) as Pod[], showEvents ? ctx.c.events(undefined, { kind: "Node", name: obj.metadata.name }) : undefined, t, lease);
    }
    case "Namespace":
      return describeNamespace(obj, ev);
    case "ServiceAccount":
      return describeServiceAccount(obj, ctx.c.list("Secret", { namespace: ns }) as Secret[], ev, t);
    case "Secret":
      return describeSecret(obj);
    case "Lease":
      return describeGeneric(obj, ev, t);
  }
}

export const describe: Sub = (ctx, argv) => {
  const p = flagsOrUsage("describe", argv, DESCRIBE_FLAGS);
  if (isResult(p)) return p;
  const o = new Out();
  const showEvents = p.flags["show-events"] !== false;
  const allNs = bool(p, "all-namespaces");
  const ns = allNs ? undefined : namespaceOf(p);
  if (p.args.length === 0) {
    o.err(
      'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\nerror: Required resource not specified.\nSee \'kubectl describe -h\' for help and examples',
    );
    return o.result();
  }
  const spec = parseResourceArgs(p.args);
  if ([...spec.types, ...(spec.pairs ?? []).map((x) => x.res)].some((r) => r.kind === "Event")) {
    o.err("error: kubelab has no describe page for events; use kubectl get events (-o wide, -o yaml)");
    return o.result();
  }
  const objs: AnyObject[] = [];
  // kubectl v1.19 (pkg/cmd/describe): only `describe TYPE NAME` (two arguments) falls back to the names starting
  // with NAME, and prints each of those pages followed by a newline instead of separating pages by a blank line.
  let byPrefix = false;
  const named = namedRefs(spec);
  const prefixForm = p.args.length === 2 && !p.args[0].includes("/") && named?.length === 1;
  if (named)
    for (const { res, name } of named) {
      try {
        objs.push(ctx.c.get(res.kind, name, res.namespaced ? (ns ?? "default") : undefined));
      } catch (e) {
        if (!(e instanceof KubeError && e.reason === "NotFound")) throw e;
        const matches = prefixForm ? list(ctx, res, ns ?? "default").filter((x) => x.metadata.name.startsWith(name)) : [];
        if (matches.length === 0) o.err(errorText(e));
        objs.push(...matches);
        byPrefix = matches.length > 0;
      }
    }
  else {
    for (const res of spec.types) objs.push(...list(ctx, res, ns, str(p, "selector")));
    if (objs.length === 0) {
      o.stderr += noResources(ns, spec.types.some((t) => t.namespaced)) + "\n";
      return o.result();
    }
  }
  if (byPrefix) for (const obj of objs) o.out(describeOne(ctx, obj, showEvents) + "\n");
  else objs.forEach((obj, i) => o.out((i === 0 ? "" : "\n\n") + describeOne(ctx, obj, showEvents)));
  return o.result();
};

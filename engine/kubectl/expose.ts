// kubectl expose: a Service from a deployment, replicaset, pod or service (selector and ports by introspection).
import type { AnyObject } from "../objects.ts";
import { keyValues, namespaceOf, str } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { GENERATOR_FLAGS, createObjects } from "./create-objects.ts";
import { Out, errorText } from "./output.ts";
import { NO_RESOURCE_ARGS, parseResourceArgs } from "./targets.ts";

export const expose: Sub = (ctx, argv) => {
  const p = flagsOrUsage("expose", argv, [
    { name: "port", type: "string" },
    { name: "target-port", type: "string" },
    { name: "name", type: "string" },
    { name: "type", type: "string" },
    { name: "protocol", type: "string" },
    { name: "selector", type: "string" },
    { name: "labels", short: "l", type: "string" },
    { name: "external-ip", type: "string" },
    { name: "cluster-ip", type: "string" },
    { name: "load-balancer-ip", type: "string" },
    { name: "session-affinity", type: "string" },
    ...GENERATOR_FLAGS,
    { name: "filename", short: "f", type: "strings" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  if (p.args.length === 0) {
    o.err(NO_RESOURCE_ARGS);
    return o.result();
  }
  const ns = namespaceOf(p);
  let spec;
  try {
    spec = parseResourceArgs(p.args);
  } catch (e) {
    o.err(errorText(e));
    return o.result();
  }
  const ref = spec.pairs ? spec.pairs[0] : { res: spec.types[0], name: spec.names[0] };
  if (!ref.name) {
    o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
    return o.result();
  }
  let src: AnyObject;
  try {
    src = ctx.c.get(ref.res.kind, ref.name, ns);
  } catch (e) {
    o.err(errorText(e));
    return o.result();
  }
  let selector: Record<string, string> | undefined;
  let ports: number[] = [];
  switch (src.kind) {
    case "Deployment":
    case "ReplicaSet": {
      const sel = src.spec.selector;
      if (sel.matchExpressions?.length) {
        o.err(`error: couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}", to map: kubelab's expose needs matchLabels`);
        return o.result();
      }
      selector = sel.matchLabels;
      ports = src.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).map((x) => x.containerPort));
      break;
    }
    case "Pod":
      selector = src.metadata.labels;
      ports = src.spec.containers.flatMap((c) => (c.ports ?? []).map((x) => x.containerPort));
      if (!selector || Object.keys(selector).length === 0) {
        o.err(`error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed\nSee 'kubectl expose -h' for help and examples`);
        return o.result();
      }
      break;
    case "Service":
      selector = src.spec.selector;
      ports = (src.spec.ports ?? []).map((x) => x.port);
      break;
    default:
      o.err(`error: cannot expose a ${src.kind}`);
      return o.result();
  }
  const selFlag = str(p, "selector");
  if (selFlag) selector = keyValues(selFlag);
  const portFlag = str(p, "port");
  if (portFlag !== undefined) ports = [Number(portFlag)];
  if (ports.length === 0 || ports.some((x) => !Number.isInteger(x))) {
    o.err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    return o.result();
  }
  const protocol = str(p, "protocol") ?? "TCP";
  const tp = str(p, "target-port");
  // the Service service/v2's generator builds (v1.19 generate/versioned/service.go), in its Go types' field order
  const svcPorts = ports.map((port, i) => {
    const sp: Record<string, unknown> = {};
    if (ports.length > 1) sp.name = `port-${i + 1}`;
    sp.protocol = protocol;
    sp.port = port;
    sp.targetPort = tp !== undefined ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port;
    return sp;
  });
  const name = str(p, "name") ?? ref.name;
  const labels = str(p, "labels") ? keyValues(str(p, "labels")!) : src.metadata.labels;
  const svcSpec: Record<string, unknown> = { ports: svcPorts, selector };
  const clusterIP = str(p, "cluster-ip");
  if (clusterIP) svcSpec.clusterIP = clusterIP;
  const type = str(p, "type");
  if (type) svcSpec.type = type;
  // one address, as given (a list is refused by the apiserver's validation, as in v1.19)
  if (str(p, "external-ip")) svcSpec.externalIPs = [str(p, "external-ip")!];
  if (str(p, "session-affinity")) svcSpec.sessionAffinity = str(p, "session-affinity");
  if (type === "LoadBalancer" && str(p, "load-balancer-ip")) svcSpec.loadBalancerIP = str(p, "load-balancer-ip");
  const meta: Record<string, unknown> = { name, creationTimestamp: null };
  if (labels && Object.keys(labels).length) meta.labels = labels;
  const svc = { kind: "Service", apiVersion: "v1", metadata: meta, spec: svcSpec, status: { loadBalancer: {} } };
  return createObjects(ctx, p, [svc], o, { verb: "exposed", manager: "kubectl-expose" });
};

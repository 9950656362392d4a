// kubectl create: the deployment, service (clusterip/nodeport/loadbalancer/externalname) and namespace
// generators; `create -f` goes to apply.ts.
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { type Parsed, int, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { GENERATOR_FLAGS, createObjects } from "./create-objects.ts";
import { applyLike } from "./apply.ts";
import { Out } from "./output.ts";
import { nameSuffix } from "../rng.ts";
import { isValidPortName } from "../validation/names.ts";

/** The NAME argument of a create generator; without one, kubectl's error goes to `o`. */
function nameArg(p: Parsed, cmd: string, o: Out): string | undefined {
  const name = p.args[0];
  if (!name) o.err(`error: exactly one NAME is required, got 0\nSee 'kubectl ${cmd} -h' for help and examples`);
  return name;
}

function createDeployment(ctx: ShellCtx, args: string[]): CmdResult {
  const p = flagsOrUsage("create deployment", args, [
    { name: "image", type: "strings", required: true },
    { name: "replicas", short: "r", type: "int" },
    { name: "port", type: "int" },
    ...GENERATOR_FLAGS,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  // NameFromCommandArgs: the arguments before `--` are the NAME; those after it the containers' command
  if (p.args.length !== 1) {
    o.err(`error: exactly one NAME is required, got ${p.args.length}\nSee 'kubectl create deployment -h' for help and examples`);
    return o.result();
  }
  const name = p.args[0];
  // `--image=` sets the flag to no image at all: kubectl sends a Deployment without containers, which the API refuses
  const images = strs(p, "image");
  const command = p.dash?.length ? p.dash : undefined;
  if (images.length > 1 && command) {
    o.err("error: cannot specify multiple --image options and command");
    return o.result();
  }
  const rng = { s: ctx.c.state.rng.s };
  const obj = deploymentFor(name, images, { replicas: int(p, "replicas") ?? 1, port: int(p, "port"), command, namespace: str(p, "namespace"), suffix: () => nameSuffix(rng) });
  // v1.19's create deployment wraps the server's error itself (create_deployment.go Run); the other generators
  // still go through the generic path in v1.19 (create service wraps from v1.20)
  return createObjects(ctx, p, [obj], o, { wrapsServerError: "failed to create deployment" });
}

/**
 * The Deployment `kubectl create deployment` builds (v1.19 pkg/cmd/create/create_deployment.go), in its Go types'
 * field order with the empty values they encode (`creationTimestamp: null`, `resources: {}`, `strategy: {}`,
 * `status: {}`): labels `app: <name>`; a container per image, named after the image (its last path segment, tag and
 * digest cut; `_` and `.` made `-` with a random suffix added); the port on the first container; the namespace
 * only when given with -n.
 */
export function deploymentFor(
  name: string,
  images: string[],
  opts: { replicas: number; port?: number; command?: string[]; namespace?: string; suffix: () => string },
): Record<string, unknown> {
  const labels = () => ({ app: name });
  const containers = images.map((image, i) => {
    let base = image.split("/").pop()!;
    if (base.includes(":")) base = base.split(":")[0];
    if (base.includes("@")) base = base.split("@")[0];
    if (/[_.]/.test(base)) base = `${base.replace(/[_.]/g, "-")}-${opts.suffix()}`;
    return {
      name: base,
      image,
      ...(opts.command ? { command: [...opts.command] } : {}),
      ...(i === 0 && opts.port !== undefined && opts.port >= 0 ? { ports: [{ containerPort: opts.port }] } : {}),
      resources: {},
    };
  });
  return {
    kind: "Deployment",
    apiVersion: "apps/v1",
    metadata: { name, ...(opts.namespace ? { namespace: opts.namespace } : {}), creationTimestamp: null, labels: labels() },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: labels() },
      template: { metadata: { creationTimestamp: null, labels: labels() }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

/** A --tcp port as utilsnet.ParsePort reads it (a 16-bit unsigned integer, 0 allowed), or Go's error. */
function parsePort(text: string): number | string {
  if (!/^\d+$/.test(text)) return `strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`;
  const n = Number(text);
  return n > 65535 ? `strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range` : n;
}

/** `--tcp=PORT[:TARGET]` specs (service_basic.go parsePorts): a target is a port number or a port name. */
function parseTcp(specs: string[]): { port: number; target: number | string; name: string }[] | string {
  const out: { port: number; target: number | string; name: string }[] = [];
  for (const s of specs) {
    const parts = s.split(":");
    const port = parsePort(parts[0]);
    if (typeof port === "string") return port;
    let target: number | string = port;
    if (parts.length > 1) {
      const t = parts[1];
      if (/^[+-]?\d+$/.test(t)) {
        target = Number(t);
        if (target < 1 || target > 65535) return "must be between 1 and 65535, inclusive";
      } else {
        const bad = isValidPortName(t);
        if (bad.length) return bad.join(",");
        target = t;
      }
    }
    out.push({ port, target, name: s.replaceAll(":", "-") });
  }
  return out;
}

function createService(ctx: ShellCtx, type: string, args: string[]): CmdResult {
  const p = flagsOrUsage(`create service ${type}`, args, [
    { name: "tcp", type: "strings" },
    { name: "clusterip", type: "string" },
    { name: "node-port", type: "int" },
    { name: "external-name", type: "string", required: type === "externalname" },
    ...GENERATOR_FLAGS,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = nameArg(p, `create service ${type}`, o);
  if (!name) return o.result();
  const kindType = { clusterip: "ClusterIP", nodeport: "NodePort", loadbalancer: "LoadBalancer", externalname: "ExternalName" }[type]!;
  // the Service service_basic.go builds, in its Go types' field order: every type selects and is labelled app=NAME
  const spec: Record<string, unknown> = {};
  if (kindType === "ExternalName") {
    const ext = str(p, "external-name");
    if (!ext) {
      // given empty (the flag itself is required: flagsOrUsage): the generator's validation
      o.err("error: invalid service external name ");
      return o.result();
    }
    spec.selector = { app: name };
    spec.type = kindType;
    spec.externalName = ext;
  } else {
    const tcp = parseTcp(strs(p, "tcp"));
    if (typeof tcp === "string") {
      o.err(`error: ${tcp}`);
      return o.result();
    }
    const clusterIP = str(p, "clusterip");
    if (tcp.length === 0 && clusterIP !== "None") {
      o.err(`error: at least one tcp port specifier must be provided`);
      return o.result();
    }
    const nodePort = kindType === "NodePort" ? int(p, "node-port") : undefined;
    if (tcp.length) spec.ports = tcp.map((t) => ({ name: t.name, protocol: "TCP", port: t.port, targetPort: t.target, ...(nodePort ? { nodePort } : {}) }));
    spec.selector = { app: name };
    if (clusterIP) spec.clusterIP = clusterIP;
    spec.type = kindType;
  }
  const svc = { kind: "Service", apiVersion: "v1", metadata: { name, creationTimestamp: null, labels: { app: name } }, spec, status: { loadBalancer: {} } };
  return createObjects(ctx, p, [svc], o);
}

export const create: Sub = (ctx, argv, stdin) => {
  const sub = argv.find((a) => !a.startsWith("-"));
  const idx = sub === undefined ? -1 : argv.indexOf(sub);
  const rest = idx < 0 ? argv : [...argv.slice(0, idx), ...argv.slice(idx + 1)];
  if (sub === "deployment" || sub === "deploy") return createDeployment(ctx, rest);
  if (sub === "service" || sub === "svc") {
    const t = rest.find((a) => !a.startsWith("-"));
    if (!t || !["clusterip", "nodeport", "loadbalancer", "externalname"].includes(t)) {
      if (!t) return { stdout: "", stderr: "Create a service using a specified subcommand.\n\nAvailable Commands:\n  clusterip    Create a ClusterIP service.\n  externalname Create an ExternalName service.\n  loadbalancer Create a LoadBalancer service.\n  nodeport     Create a NodePort service.\n\nUsage:\n  kubectl create service [flags] [options]\n", code: 0 };
      return { stdout: "", stderr: `Error: unknown command "${t}" for "kubectl create service"\n\nDid you mean this?\n\tclusterip\n\tnodeport\n\nRun 'kubectl create service --help' for usage.\n`, code: 1 };
    }
    const ti = rest.indexOf(t);
    return createService(ctx, t, [...rest.slice(0, ti), ...rest.slice(ti + 1)]);
  }
  if (sub === "namespace" || sub === "ns") {
    const p = flagsOrUsage("create namespace", rest, GENERATOR_FLAGS);
    if (isResult(p)) return p;
    const o = new Out();
    const name = nameArg(p, "create namespace", o);
    if (!name) return o.result();
    return createObjects(ctx, p, [{ apiVersion: "v1", kind: "Namespace", metadata: { name } }], o);
  }
  if (sub === undefined || argv.includes("-f") || argv.some((a) => a.startsWith("--filename") || a.startsWith("-f"))) return applyLike("create")(ctx, argv, stdin);
  return { stdout: "", stderr: `Error: unknown command "${sub}" for "kubectl create"\nRun 'kubectl create --help' for usage.\n`, code: 1 };
};

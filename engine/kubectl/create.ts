// kubectl create: the deployment, service (clusterip/nodeport/loadbalancer/externalname) and namespace
// generators; `create -f` goes to apply.ts.
import type { CmdResult, ShellCtx } from "../shell/context.ts";
import { type Parsed, int, str, strs } from "./flags.ts";
import { type Sub, flagsOrUsage, isResult } from "./command.ts";
import { GENERATOR_FLAGS, createObjects } from "./create-objects.ts";
import { applyLike } from "./apply.ts";
import { Out } from "./output.ts";

/** The NAME argument of a create generator; without one, kubectl's error goes to `o`. */
function nameArg(p: Parsed, cmd: string, o: Out): string | undefined {
  const name = p.args[0];
  if (!name) o.err(`error: exactly one NAME is required, got 0\nSee 'kubectl ${cmd} -h' for help and examples`);
  return name;
}

function createDeployment(ctx: ShellCtx, args: string[]): CmdResult {
  const p = flagsOrUsage("create deployment", args, [
    { name: "image", type: "strings" },
    { name: "replicas", short: "r", type: "int" },
    { name: "port", type: "int" },
    ...GENERATOR_FLAGS,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = nameArg(p, "create deployment", o);
  if (!name) return o.result();
  const images = strs(p, "image");
  if (images.length === 0) {
    o.err(`error: required flag(s) "image" not set`);
    return o.result();
  }
  const port = int(p, "port");
  const containers = images.map((img) => {
    const base = img.split("/").pop()!.split(":")[0].split("@")[0];
    const c: Record<string, unknown> = { name: base, image: img };
    if (port !== undefined) c.ports = [{ containerPort: port }];
    return c;
  });
  const obj = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: { replicas: int(p, "replicas") ?? 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
  };
  return createObjects(ctx, p, [obj], o);
}

function parseTcp(specs: string[]): { port: number; target: number; name: string }[] | string {
  const out: { port: number; target: number; name: string }[] = [];
  for (const s of specs) {
    const [a, b] = s.split(":");
    const port = Number(a);
    const target = b === undefined ? port : Number(b);
    if (!Number.isInteger(port) || !Number.isInteger(target)) return `strconv.Atoi: parsing "${Number.isInteger(port) ? b : a}": invalid syntax`;
    out.push({ port, target, name: `${a}-${b ?? a}` });
  }
  return out;
}

function createService(ctx: ShellCtx, type: string, args: string[]): CmdResult {
  const p = flagsOrUsage(`create service ${type}`, args, [
    { name: "tcp", type: "strings" },
    { name: "clusterip", type: "string" },
    { name: "node-port", type: "int" },
    { name: "external-name", type: "string" },
    ...GENERATOR_FLAGS,
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = nameArg(p, `create service ${type}`, o);
  if (!name) return o.result();
  const kindType = { clusterip: "ClusterIP", nodeport: "NodePort", loadbalancer: "LoadBalancer", externalname: "ExternalName" }[type]!;
  const spec: Record<string, unknown> = { type: kindType };
  if (kindType === "ExternalName") {
    const ext = str(p, "external-name");
    if (!ext) {
      o.err(`error: required flag(s) "external-name" not set`);
      return o.result();
    }
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
    spec.ports = tcp.map((t) => ({ name: t.name, port: t.port, targetPort: t.target, protocol: "TCP", ...(int(p, "node-port") !== undefined && kindType === "NodePort" ? { nodePort: int(p, "node-port") } : {}) }));
    spec.selector = { app: name };
    if (clusterIP !== undefined) spec.clusterIP = clusterIP;
  }
  return createObjects(ctx, p, [{ apiVersion: "v1", kind: "Service", metadata: { name, labels: { app: name } }, spec }], o);
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

// kubectl for the lab terminal: the subcommands of the course (get, describe, apply/create -f, delete, label,
// scale, create deployment/service/namespace, expose, run, exec) with kubectl v1.19's messages, tables and exit
// codes, on top of the engine's typed operations.
import type { AnyObject, Deployment, Pod, ReplicaSet, Service } from "../objects.ts";
import type { CmdResult, CommandFn, ShellCtx } from "../shell/context.ts";
import type { ResourceInfo } from "../resources.ts";
import { RESOURCES, resourceFor } from "../resources.ts";
import type { Kind } from "../types.ts";
import { ClientError, KubeError } from "../errors.ts";
import { SelectorParseError } from "../labels/index.ts";
import { isValidLabelValue } from "../validation/names.ts";
import { parseManifest } from "../apiserver/manifest.ts";
import { FlagError, type FlagSpec, type Parsed, bool, int, parseFlags, str, strs } from "./flags.ts";
import { Out, errorText, isKnownError, namespaceOf, noResources, parseResourceArgs, resolveType, selectorResource } from "./common.ts";
import { printTable } from "../printers/table.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { describeDeployment, describeEndpoints, describeNamespace, describeNode, describePod, describeReplicaSet, describeService } from "../printers/describe.ts";
import { listOf, toJson, toYaml } from "../printers/object.ts";
import { jsonpath } from "./jsonpath.ts";
import { readHostFile, isDir, listDir } from "../shell/fs.ts";
import { resolvePath } from "../shell/context.ts";
import { runIn } from "../shell/exec.ts";

type Sub = (ctx: ShellCtx, argv: string[], stdin: string | undefined) => CmdResult;

const FLAG_HELP = (cmd: string) => `See 'kubectl ${cmd} --help' for usage.`;

function flagsOrUsage(cmd: string, argv: string[], specs: FlagSpec[]): Parsed | CmdResult {
  try {
    return parseFlags(argv, specs);
  } catch (e) {
    if (e instanceof FlagError) return { stdout: "", stderr: `Error: ${e.message}\n${FLAG_HELP(cmd)}\n`, code: 1 };
    throw e;
  }
}
function isResult(x: Parsed | CmdResult): x is CmdResult {
  return (x as CmdResult).code !== undefined;
}

function now(ctx: ShellCtx): number {
  return ctx.c.nowSeconds();
}

function list(ctx: ShellCtx, res: ResourceInfo, ns: string | undefined, selector?: string): AnyObject[] {
  try {
    return ctx.c.list(res.kind, { namespace: res.namespaced ? ns : undefined, selector });
  } catch (e) {
    if (e instanceof SelectorParseError)
      throw new KubeError("BadRequest", `Unable to find "${selectorResource(res)}" that match label selector "${selector}", field selector "": ${e.message}`);
    throw e;
  }
}

// ---- get ----

const GET_FLAGS: FlagSpec[] = [
  { name: "output", short: "o", type: "string" },
  { name: "selector", short: "l", type: "string" },
  { name: "all-namespaces", short: "A", type: "bool" },
  { name: "show-labels", type: "bool" },
  { name: "label-columns", short: "L", type: "strings" },
  { name: "watch", short: "w", type: "bool" },
  { name: "no-headers", type: "bool" },
  { name: "show-kind", type: "bool" },
  { name: "field-selector", type: "string" },
  { name: "sort-by", type: "string" },
  { name: "filename", short: "f", type: "strings" },
  { name: "recursive", short: "R", type: "bool" },
  { name: "ignore-not-found", type: "bool" },
  { name: "chunk-size", type: "int" },
];

const OUTPUTS = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

const ALL_KINDS: Kind[] = ["Pod", "Service", "Deployment", "ReplicaSet"];

interface Group {
  res: ResourceInfo;
  objs: AnyObject[];
}

function printGroups(ctx: ShellCtx, groups: Group[], p: Parsed, o: Out, singleObject: boolean, forcePrefix: boolean): void {
  const output = str(p, "output") ?? "";
  const objs = groups.flatMap((g) => g.objs);
  if (output === "yaml" || output === "json") {
    const value = singleObject && objs.length === 1 ? objs[0] : listOf(objs);
    o.out(output === "yaml" ? toYaml(value) : toJson(value));
    return;
  }
  if (output === "name") {
    for (const g of groups) for (const x of g.objs) o.out(`${g.res.printName}/${x.metadata.name}\n`);
    return;
  }
  if (output.startsWith("jsonpath=") || output.startsWith("jsonpath-as-json=")) {
    const expr = output.slice(output.indexOf("=") + 1);
    const value = singleObject && objs.length === 1 ? objs[0] : listOf(objs);
    try {
      o.out(jsonpath(expr, value));
    } catch (e) {
      o.err(`error: error executing jsonpath ${JSON.stringify(expr)}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return;
  }
  const prefix = forcePrefix || groups.length > 1 || !!bool(p, "show-kind");
  let first = true;
  for (const g of groups) {
    if (g.objs.length === 0) continue;
    if (!first) o.out("\n");
    first = false;
    o.out(
      printTable(g.res.kind, g.objs, now(ctx), {
        wide: output === "wide",
        showLabels: bool(p, "show-labels"),
        labelColumns: strs(p, "label-columns"),
        withNamespace: bool(p, "all-namespaces") && g.res.namespaced,
        namePrefix: prefix ? `${g.res.printName}/` : undefined,
        noHeaders: bool(p, "no-headers"),
      }),
    );
  }
}

const get: Sub = (ctx, argv) => {
  const p = flagsOrUsage("get", argv, GET_FLAGS);
  if (isResult(p)) return p;
  const o = new Out();
  const output = str(p, "output") ?? "";
  if (output && !["wide", "yaml", "json", "name"].includes(output) && !/^jsonpath(-as-json)?=/.test(output)) {
    o.err(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${OUTPUTS}`);
    return o.result();
  }
  if (str(p, "field-selector") !== undefined) {
    o.err("error: kubelab does not simulate --field-selector; use -l with a label selector");
    return o.result();
  }
  const allNs = bool(p, "all-namespaces");
  const ns = allNs ? undefined : namespaceOf(p);
  const selector = str(p, "selector");
  if (p.args.length === 0) {
    o.err(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples',
    );
    return o.result();
  }
  const spec = parseResourceArgs(p.args, true);
  const groups: Group[] = [];
  let single = false;
  let anyNamed = false;
  if (spec.pairs) {
    anyNamed = true;
    single = spec.pairs.length === 1;
    for (const { res, name } of spec.pairs) {
      try {
        const obj = ctx.c.get(res.kind, name!, res.namespaced ? (ns ?? "default") : undefined);
        const g = groups.find((x) => x.res.kind === res.kind);
        if (g) g.objs.push(obj);
        else groups.push({ res, objs: [obj] });
      } catch (e) {
        if (!isKnownError(e)) throw e;
        if (!(bool(p, "ignore-not-found") && e instanceof KubeError && e.reason === "NotFound")) o.err(errorText(e));
      }
    }
  } else if (spec.all) {
    for (const kind of ALL_KINDS) {
      const res = resourceFor(kind);
      groups.push({ res, objs: list(ctx, res, ns, selector) });
    }
  } else if (spec.names.length) {
    anyNamed = true;
    single = spec.names.length === 1 && spec.types.length === 1;
    for (const res of spec.types) {
      const g: Group = { res, objs: [] };
      groups.push(g);
      for (const name of spec.names) {
        try {
          g.objs.push(ctx.c.get(res.kind, name, res.namespaced ? (ns ?? "default") : undefined));
        } catch (e) {
          if (!isKnownError(e)) throw e;
          if (!(bool(p, "ignore-not-found") && e instanceof KubeError && e.reason === "NotFound")) o.err(errorText(e));
        }
      }
    }
  } else {
    for (const res of spec.types) groups.push({ res, objs: list(ctx, res, ns, selector) });
  }
  const total = groups.reduce((n, g) => n + g.objs.length, 0);
  if (total === 0 && !anyNamed) {
    if (output === "yaml" || output === "json") printGroups(ctx, groups, p, o, false, false);
    else {
      const namespaced = spec.all || groups.some((g) => g.res.namespaced);
      o.stderr += noResources(ns, namespaced) + "\n";
    }
    return o.result();
  }
  if (total > 0 || output === "yaml" || output === "json") printGroups(ctx, groups, p, o, single && anyNamed, !!spec.all);
  if (bool(p, "watch")) o.stderr += "kubelab: --watch shows the current state once; run the command again (or `sleep N` first) to see changes\n";
  return o.result();
};

// ---- describe ----

const DESCRIBE_FLAGS: FlagSpec[] = [
  { name: "selector", short: "l", type: "string" },
  { name: "all-namespaces", short: "A", type: "bool" },
  { name: "show-events", type: "bool" },
  { name: "filename", short: "f", type: "strings" },
];

function describeOne(ctx: ShellCtx, obj: AnyObject, showEvents: boolean): string {
  const ns = obj.metadata.namespace;
  const ev = showEvents ? ctx.c.events(ns, { kind: obj.kind, name: obj.metadata.name }) : undefined;
  const t = now(ctx);
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
    case "Node":
      return describeNode(obj, ctx.c.list("Pod", {}) as Pod[], showEvents ? ctx.c.events(undefined, { kind: "Node", name: obj.metadata.name }) : undefined, t);
    case "Namespace":
      return describeNamespace(obj, ev);
  }
}

const describe: Sub = (ctx, argv) => {
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
  const objs: AnyObject[] = [];
  const lookupPrefix = (res: ResourceInfo, name: string) => {
    try {
      objs.push(ctx.c.get(res.kind, name, res.namespaced ? (ns ?? "default") : undefined));
    } catch (e) {
      if (!(e instanceof KubeError && e.reason === "NotFound")) throw e;
      const matches = list(ctx, res, ns ?? "default").filter((x) => x.metadata.name.startsWith(name));
      if (matches.length === 0) o.err(errorText(e));
      objs.push(...matches);
    }
  };
  if (spec.pairs) for (const { res, name } of spec.pairs) lookupPrefix(res, name!);
  else if (spec.names.length) for (const res of spec.types) for (const n of spec.names) lookupPrefix(res, n);
  else {
    for (const res of spec.types) objs.push(...list(ctx, res, ns, str(p, "selector")));
    if (objs.length === 0) {
      o.stderr += noResources(ns, spec.types.some((t) => t.namespaced)) + "\n";
      return o.result();
    }
  }
  objs.forEach((obj, i) => o.out((i === 0 ? "" : "\n\n") + describeOne(ctx, obj, showEvents)));
  return o.result();
};

// ---- apply / create -f ----

function readSources(ctx: ShellCtx, files: string[], stdin: string | undefined, o: Out): { source: string; text: string }[] | undefined {
  const out: { source: string; text: string }[] = [];
  for (const f of files) {
    if (f === "-") {
      out.push({ source: "STDIN", text: stdin ?? "" });
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      o.err(`error: unable to read URL "${f}", server reported 404 Not Found, status code=404 (kubelab has no internet access; write the manifest to a file first)`);
      return undefined;
    }
    const path = resolvePath(ctx.st.cwd, f);
    const text = readHostFile(ctx, path);
    if (text !== undefined) {
      out.push({ source: f, text });
      continue;
    }
    if (isDir(ctx, path)) {
      for (const n of listDir(ctx, path)) {
        if (!/\.(ya?ml|json)$/.test(n)) continue;
        const t = readHostFile(ctx, `${path}/${n}`);
        if (t !== undefined) out.push({ source: `${f.replace(/\/$/, "")}/${n}`, text: t });
      }
      continue;
    }
    o.err(`error: the path "${f}" does not exist`);
    return undefined;
  }
  return out;
}

function existingBefore(ctx: ShellCtx, text: string, source: string, ns: string): (boolean | undefined)[] {
  try {
    return parseManifest(text, source).map((d) => {
      const kind = String(d.obj.kind ?? "") as Kind;
      const meta = (d.obj.metadata ?? {}) as { name?: string; namespace?: string };
      if (!RESOURCES.some((r) => r.kind === kind) || !meta.name) return undefined;
      try {
        ctx.c.get(kind, meta.name, meta.namespace ?? ns);
        return true;
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

function applyLike(cmd: "apply" | "create"): Sub {
  return (ctx, argv, stdin) => {
    const p = flagsOrUsage(cmd, argv, [
      { name: "filename", short: "f", type: "strings" },
      { name: "recursive", short: "R", type: "bool" },
      { name: "output", short: "o", type: "string" },
      { name: "dry-run", type: "string" },
      { name: "validate", type: "bool" },
      { name: "save-config", type: "bool" },
      { name: "record", type: "bool" },
    ]);
    if (isResult(p)) return p;
    const o = new Out();
    const files = strs(p, "filename");
    if (files.length === 0) {
      if (cmd === "apply") o.err("error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples");
      else o.err("error: must specify one of -f and -k\n\nSee 'kubectl create -h' for help and examples");
      return o.result();
    }
    const sources = readSources(ctx, files, stdin, o);
    if (!sources) return o.result();
    const nsFlag = str(p, "namespace");
    const ns = nsFlag ?? "default";
    const outName = str(p, "output") === "name";
    for (const s of sources) {
      const existed = existingBefore(ctx, s.text, s.source, ns);
      const results = ctx.c.apply(s.text, { namespace: ns, namespaceExplicit: nsFlag !== undefined, mode: cmd, source: s.source });
      results.forEach((r, i) => {
        if (r.warning) o.stderr += r.warning + "\n";
        if (r.error) {
          const e = r.error;
          if (e instanceof KubeError && e.reason !== "Invalid" && (cmd === "create" || existed[i] !== true)) o.err(`Error from server (${e.reason}): error when creating "${s.source}": ${e.message}`);
          else o.err(errorText(e));
          return;
        }
        o.out(outName ? `${r.resource}/${r.name}\n` : `${r.resource}/${r.name} ${r.action}\n`);
      });
    }
    return o.result();
  };
}

// ---- create (subcommands) ----

function createDeployment(ctx: ShellCtx, args: string[]): CmdResult {
  const p = flagsOrUsage("create deployment", args, [
    { name: "image", type: "strings" },
    { name: "replicas", short: "r", type: "int" },
    { name: "port", type: "int" },
    { name: "dry-run", type: "string" },
    { name: "output", short: "o", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = p.args[0];
  if (!name) {
    o.err("error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples");
    return o.result();
  }
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

function createObjects(ctx: ShellCtx, p: Parsed, objs: Record<string, unknown>[], o: Out, verb = "created"): CmdResult {
  const dry = str(p, "dry-run");
  const output = str(p, "output");
  if (dry && dry !== "none") {
    for (const obj of objs) {
      if (output === "yaml") o.out(toYaml(obj));
      else if (output === "json") o.out(toJson(obj));
      else o.out(`${resourceFor(obj.kind as Kind).printName}/${(obj.metadata as { name: string }).name} ${verb} (${dry === "server" ? "server dry run" : "dry run"})\n`);
    }
    return o.result();
  }
  const results = ctx.c.apply(objs, { namespace: namespaceOf(p), mode: "create" });
  for (const r of results) {
    if (r.error) o.err(errorText(r.error));
    else if (output === "yaml" || output === "json") {
      const live = ctx.c.get(r.kind as Kind, r.name, r.namespace);
      o.out(output === "yaml" ? toYaml(live) : toJson(live));
    } else o.out(`${r.resource}/${r.name} ${verb}\n`);
  }
  return o.result();
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
    { name: "dry-run", type: "string" },
    { name: "output", short: "o", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = p.args[0];
  if (!name) {
    o.err(`error: exactly one NAME is required, got 0\nSee 'kubectl create service ${type} -h' for help and examples`);
    return o.result();
  }
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

const create: Sub = (ctx, argv, stdin) => {
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
    const p = flagsOrUsage("create namespace", rest, [{ name: "dry-run", type: "string" }, { name: "output", short: "o", type: "string" }]);
    if (isResult(p)) return p;
    const o = new Out();
    if (!p.args[0]) {
      o.err("error: exactly one NAME is required, got 0\nSee 'kubectl create namespace -h' for help and examples");
      return o.result();
    }
    return createObjects(ctx, p, [{ apiVersion: "v1", kind: "Namespace", metadata: { name: p.args[0] } }], o);
  }
  if (sub === undefined || argv.includes("-f") || argv.some((a) => a.startsWith("--filename") || a.startsWith("-f"))) return applyLike("create")(ctx, argv, stdin);
  return { stdout: "", stderr: `Error: unknown command "${sub}" for "kubectl create"\nRun 'kubectl create --help' for usage.\n`, code: 1 };
};

// ---- delete ----

const delete_: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("delete", argv, [
    { name: "filename", short: "f", type: "strings" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "all-namespaces", short: "A", type: "bool" },
    { name: "wait", type: "bool" },
    { name: "now", type: "bool" },
    { name: "force", type: "bool" },
    { name: "grace-period", type: "int" },
    { name: "ignore-not-found", type: "bool" },
    { name: "recursive", short: "R", type: "bool" },
    { name: "output", short: "o", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const ns = namespaceOf(p);
  const targets: { res: ResourceInfo; name: string; ns?: string }[] = [];
  const files = strs(p, "filename");
  if (files.length) {
    const sources = readSources(ctx, files, stdin, o);
    if (!sources) return o.result();
    for (const s of sources) {
      try {
        for (const d of parseManifest(s.text, s.source)) {
          const r = RESOURCES.find((x) => x.kind === d.obj.kind);
          const meta = (d.obj.metadata ?? {}) as { name?: string; namespace?: string };
          if (!r || !meta.name) {
            o.err(`error: unable to recognize "${s.source}": no matches for kind "${String(d.obj.kind)}" in version "${String(d.obj.apiVersion)}"`);
            continue;
          }
          targets.push({ res: r, name: meta.name, ns: meta.namespace });
        }
      } catch (e) {
        o.err(errorText(e));
      }
    }
  } else {
    if (p.args.length === 0) {
      o.err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
      return o.result();
    }
    const spec = parseResourceArgs(p.args);
    if (spec.pairs) for (const x of spec.pairs) targets.push({ res: x.res, name: x.name! });
    else if (spec.names.length) for (const res of spec.types) for (const n of spec.names) targets.push({ res, name: n });
    else {
      const selector = str(p, "selector");
      if (!bool(p, "all") && selector === undefined) {
        o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
        return o.result();
      }
      const allNs = bool(p, "all-namespaces");
      let found = 0;
      for (const res of spec.types)
        for (const obj of list(ctx, res, allNs ? undefined : ns, selector)) {
          targets.push({ res, name: obj.metadata.name, ns: obj.metadata.namespace });
          found++;
        }
      if (found === 0) {
        o.stderr += "No resources found\n";
        return o.result();
      }
    }
  }
  const waitPods: { name: string; ns: string }[] = [];
  for (const t of targets) {
    const tns = t.res.namespaced ? (t.ns ?? ns) : undefined;
    try {
      ctx.c.delete(t.res.kind, t.name, tns);
      o.out(str(p, "output") === "name" ? `${t.res.printName}/${t.name}\n` : `${t.res.printName} "${t.name}" deleted\n`);
      if (t.res.kind === "Pod" && p.flags.wait !== false && !bool(p, "now") && !bool(p, "force")) waitPods.push({ name: t.name, ns: tns! });
    } catch (e) {
      if (!isKnownError(e)) throw e;
      if (bool(p, "ignore-not-found") && e instanceof KubeError && e.reason === "NotFound") continue;
      o.err(errorText(e));
    }
  }
  // kubectl delete waits until the pods are gone (their grace period runs on the virtual clock).
  for (let i = 0; i < 40 && waitPods.some((w) => podExists(ctx, w.name, w.ns)); i++) ctx.c.advance(1);
  return o.result();
};

function podExists(ctx: ShellCtx, name: string, ns: string): boolean {
  try {
    ctx.c.get("Pod", name, ns);
    return true;
  } catch {
    return false;
  }
}

// ---- label ----

const label: Sub = (ctx, argv) => {
  const p = flagsOrUsage("label", argv, [
    { name: "overwrite", type: "bool" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "list", type: "bool" },
    { name: "resource-version", type: "string" },
    { name: "dry-run", type: "string" },
    { name: "local", type: "bool" },
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
    { name: "all-namespaces", short: "A", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const isChange = (a: string) => (a.includes("=") && !a.startsWith("=")) || (a.endsWith("-") && a !== "-");
  const resArgs: string[] = [];
  const changes: string[] = [];
  for (const a of p.args) {
    if (isChange(a)) changes.push(a);
    else {
      if (changes.length) {
        o.err(`error: all resources must be specified before label changes: ${a}`);
        return o.result();
      }
      resArgs.push(a);
    }
  }
  const list_ = bool(p, "list");
  const selector = str(p, "selector");
  if (bool(p, "all") && selector !== undefined) {
    o.err("error: cannot set --all and --selector at the same time");
    return o.result();
  }
  if (list_ && str(p, "output")) {
    o.err("error: --list and --output may not be specified together");
    return o.result();
  }
  if (resArgs.length === 0) {
    o.err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    return o.result();
  }
  if (changes.length === 0 && !list_) {
    o.err("error: at least one label update is required");
    return o.result();
  }
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const spec of changes) {
    if (spec.includes("=")) {
      const parts = spec.split("=");
      if (parts.length !== 2) {
        o.err(`error: invalid label spec: ${spec}`);
        return o.result();
      }
      const errs = isValidLabelValue(parts[1]);
      if (errs.length) {
        o.err(`error: invalid label value: ${JSON.stringify(spec)}: ${errs.join(";")}`);
        return o.result();
      }
      set[parts[0]] = parts[1];
    } else remove.push(spec.slice(0, -1));
  }
  if (remove.some((k) => k in set)) {
    o.err("error: can not both modify and remove a label in the same command");
    return o.result();
  }
  const ns = bool(p, "all-namespaces") ? undefined : namespaceOf(p);
  const spec = parseResourceArgs(resArgs);
  const targets: { res: ResourceInfo; obj?: AnyObject; name: string }[] = [];
  if (spec.pairs) for (const x of spec.pairs) targets.push({ res: x.res, name: x.name! });
  else if (spec.names.length) for (const res of spec.types) for (const n of spec.names) targets.push({ res, name: n });
  else {
    if (!bool(p, "all") && selector === undefined) {
      o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
      return o.result();
    }
    for (const res of spec.types) for (const obj of list(ctx, res, ns, selector)) targets.push({ res, obj, name: obj.metadata.name });
  }
  if (str(p, "resource-version") !== undefined && targets.length > 1) {
    o.err("error: --resource-version may only be used with a single resource");
    return o.result();
  }
  for (const t of targets) {
    const tns = t.res.namespaced ? (t.obj?.metadata.namespace ?? ns ?? "default") : undefined;
    try {
      if (list_) {
        const obj = t.obj ?? ctx.c.get(t.res.kind, t.name, tns);
        const labels = obj.metadata.labels ?? {};
        if (targets.length > 1) {
          o.out(`Listing labels for ${t.res.kind}.${t.res.group}/${t.name}:\n`);
          for (const k of Object.keys(labels).sort()) o.out(` ${k}=${labels[k]}\n`);
        } else for (const k of Object.keys(labels).sort()) o.out(`${k}=${labels[k]}\n`);
        continue;
      }
      const dry = str(p, "dry-run");
      if (dry && dry !== "none") {
        ctx.c.get(t.res.kind, t.name, tns);
        o.out(`${t.res.printName}/${t.name} labeled (${dry === "server" ? "server dry run" : "dry run"})\n`);
        continue;
      }
      const r = ctx.c.label(t.res.kind, t.name, tns, { set, remove, overwrite: bool(p, "overwrite"), resourceVersion: str(p, "resource-version") });
      for (const k of r.notFound) o.out(`label "${k}" not found.\n`);
      o.out(`${r.resource}/${r.name} ${r.changed ? "labeled" : "not labeled"}\n`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

// ---- scale ----

const scale: Sub = (ctx, argv) => {
  const p = flagsOrUsage("scale", argv, [
    { name: "replicas", type: "int" },
    { name: "current-replicas", type: "int" },
    { name: "resource-version", type: "string" },
    { name: "selector", short: "l", type: "string" },
    { name: "all", type: "bool" },
    { name: "filename", short: "f", type: "strings" },
    { name: "timeout", type: "string" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const replicas = int(p, "replicas") ?? -1;
  if (replicas < 0) {
    o.err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    return o.result();
  }
  if (p.args.length === 0) {
    o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
    return o.result();
  }
  const ns = namespaceOf(p);
  const spec = parseResourceArgs(p.args);
  const targets: { res: ResourceInfo; name: string }[] = [];
  if (spec.pairs) for (const x of spec.pairs) targets.push({ res: x.res, name: x.name! });
  else if (spec.names.length) for (const res of spec.types) for (const n of spec.names) targets.push({ res, name: n });
  else {
    if (!bool(p, "all") && str(p, "selector") === undefined) {
      o.err("error: resource(s) were provided, but no name, label selector, or --all flag specified");
      return o.result();
    }
    for (const res of spec.types) for (const obj of list(ctx, res, ns, str(p, "selector"))) targets.push({ res, name: obj.metadata.name });
  }
  for (const t of targets) {
    try {
      if (t.res.kind !== "Deployment" && t.res.kind !== "ReplicaSet") {
        o.err(`error: no objects passed to scale`);
        continue;
      }
      const cur = int(p, "current-replicas");
      if (cur !== undefined) {
        const obj = ctx.c.get(t.res.kind, t.name, ns) as Deployment;
        if (obj.spec.replicas !== cur) {
          o.err(`error: Expected replicas to be ${cur}, was ${obj.spec.replicas}`);
          continue;
        }
      }
      ctx.c.scale(t.res.kind, t.name, ns, replicas);
      o.out(`${t.res.printName}/${t.name} scaled\n`);
    } catch (e) {
      if (!isKnownError(e)) throw e;
      o.err(errorText(e));
    }
  }
  return o.result();
};

// ---- expose ----

const expose: Sub = (ctx, argv) => {
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
    { name: "dry-run", type: "string" },
    { name: "output", short: "o", type: "string" },
    { name: "filename", short: "f", type: "strings" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  if (p.args.length === 0) {
    o.err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
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
  if (selFlag) selector = Object.fromEntries(selFlag.split(",").map((kv) => kv.split("=") as [string, string]));
  const portFlag = str(p, "port");
  if (portFlag !== undefined) ports = [Number(portFlag)];
  if (ports.length === 0 || ports.some((x) => !Number.isInteger(x))) {
    o.err("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    return o.result();
  }
  const protocol = str(p, "protocol") ?? "TCP";
  const tp = str(p, "target-port");
  const svcPorts = ports.map((port, i) => {
    const sp: Record<string, unknown> = { port, protocol, targetPort: tp !== undefined ? (/^\d+$/.test(tp) ? Number(tp) : tp) : port };
    if (ports.length > 1) sp.name = `port-${i + 1}`;
    return sp;
  });
  const name = str(p, "name") ?? ref.name;
  const labels = str(p, "labels") ? Object.fromEntries(str(p, "labels")!.split(",").map((kv) => kv.split("=") as [string, string])) : src.metadata.labels;
  const svcSpec: Record<string, unknown> = { ports: svcPorts, selector };
  const type = str(p, "type");
  if (type) svcSpec.type = type;
  if (str(p, "external-ip")) svcSpec.externalIPs = str(p, "external-ip")!.split(",");
  if (str(p, "cluster-ip")) svcSpec.clusterIP = str(p, "cluster-ip");
  if (str(p, "load-balancer-ip")) svcSpec.loadBalancerIP = str(p, "load-balancer-ip");
  if (str(p, "session-affinity")) svcSpec.sessionAffinity = str(p, "session-affinity");
  const meta: Record<string, unknown> = { name };
  if (labels && Object.keys(labels).length) meta.labels = labels;
  return createObjects(ctx, p, [{ apiVersion: "v1", kind: "Service", metadata: meta, spec: svcSpec }], o, "exposed");
};

// ---- run / exec ----

function waitRunning(ctx: ShellCtx, name: string, ns: string, maxSeconds: number): Pod | undefined {
  for (let i = 0; i <= maxSeconds; i++) {
    try {
      const pod = ctx.c.get("Pod", name, ns) as Pod;
      if (pod.status.phase === "Running" && pod.status.containerStatuses?.every((s) => s.state.running)) return pod;
    } catch {
      return undefined;
    }
    ctx.c.advance(1);
  }
  return undefined;
}

function execInPod(ctx: ShellCtx, pod: Pod, container: string, cmd: string[], stdin: string | undefined, o: Out): void {
  const r = runIn(ctx, `pod:${pod.metadata.namespace}/${pod.metadata.name}`, cmd, stdin);
  if (r.code === 127 && r.stdout === "" && r.stderr === "") {
    o.err(
      `OCI runtime exec failed: exec failed: container_linux.go:349: starting container process caused "exec: \\"${cmd[0]}\\": executable file not found in $PATH": unknown\ncommand terminated with exit code 126`,
      126,
    );
    return;
  }
  o.out(r.stdout);
  o.stderr += r.stderr;
  if (r.code !== 0) o.err(`command terminated with exit code ${r.code}`, r.code);
  void container;
}

const run: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("run", argv, [
    { name: "image", type: "string" },
    { name: "restart", type: "string" },
    { name: "rm", type: "bool" },
    { name: "stdin", short: "i", type: "bool" },
    { name: "tty", short: "t", type: "bool" },
    { name: "command", type: "bool" },
    { name: "labels", short: "l", type: "string" },
    { name: "port", type: "string" },
    { name: "env", type: "strings" },
    { name: "expose", type: "bool" },
    { name: "dry-run", type: "string" },
    { name: "output", short: "o", type: "string" },
    { name: "image-pull-policy", type: "string" },
    { name: "attach", type: "bool" },
    { name: "quiet", short: "q", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const name = p.args[0];
  if (!name) {
    o.err("error: NAME is required for run\nSee 'kubectl run -h' for help and examples");
    return o.result();
  }
  const image = str(p, "image");
  if (!image) {
    o.err(`error: required flag(s) "image" not set`);
    return o.result();
  }
  const attach = bool(p, "stdin") || bool(p, "attach");
  if (bool(p, "rm") && !attach) {
    o.err("error: --rm should only be used for attached containers");
    return o.result();
  }
  const restart = str(p, "restart") ?? "Always";
  if (!["Always", "OnFailure", "Never"].includes(restart)) {
    o.err(`error: invalid restart policy: ${restart}`);
    return o.result();
  }
  const cmdArgs = [...p.args.slice(1), ...(p.dash ?? [])];
  const labels = str(p, "labels") ? Object.fromEntries(str(p, "labels")!.split(",").map((kv) => kv.split("=") as [string, string])) : { run: name };
  const container: Record<string, unknown> = { name, image };
  if (cmdArgs.length) container[bool(p, "command") ? "command" : "args"] = cmdArgs;
  if (str(p, "port")) container.ports = [{ containerPort: Number(str(p, "port")) }];
  const env = strs(p, "env");
  if (env.length) container.env = env.map((kv) => ({ name: kv.split("=")[0], value: kv.split("=").slice(1).join("=") }));
  if (str(p, "image-pull-policy")) container.imagePullPolicy = str(p, "image-pull-policy");
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { containers: [container], restartPolicy: restart } };
  const ns = namespaceOf(p);
  if (!attach) return createObjects(ctx, p, [pod], o);
  const res = ctx.c.apply([pod], { namespace: ns, mode: "create" });
  if (res[0]?.error) {
    o.err(errorText(res[0].error));
    return o.result();
  }
  const live = waitRunning(ctx, name, ns, 60);
  if (!live) {
    o.err(`error: timed out waiting for the condition`);
    return o.result();
  }
  if (cmdArgs.length === 0) {
    o.stderr += "If you don't see a command prompt, try pressing enter.\n";
    o.err(`kubelab: interactive sessions are not simulated; run a command instead, e.g. kubectl run ${name} --image=${image} --rm -it --restart=Never --command -- curl demoapp-svc`);
  } else execInPod(ctx, live, name, cmdArgs, stdin, o);
  if (bool(p, "rm")) {
    try {
      ctx.c.delete("Pod", name, ns);
      for (let i = 0; i < 40 && podExists(ctx, name, ns); i++) ctx.c.advance(1);
      o.out(`pod "${name}" deleted\n`);
    } catch {
      /* already gone */
    }
  }
  return o.result();
};

const exec: Sub = (ctx, argv, stdin) => {
  const p = flagsOrUsage("exec", argv, [
    { name: "container", short: "c", type: "string" },
    { name: "stdin", short: "i", type: "bool" },
    { name: "tty", short: "t", type: "bool" },
    { name: "quiet", short: "q", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  let target = p.args[0];
  let cmd = p.dash ?? [];
  if (!target) {
    o.err("error: pod, type/name or --filename must be specified");
    return o.result();
  }
  if (p.dash === undefined && p.args.length > 1) {
    o.stderr += "kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n";
    cmd = p.args.slice(1);
  }
  if (cmd.length === 0) {
    o.err("error: you must specify at least one command for the container");
    return o.result();
  }
  const ns = namespaceOf(p);
  let pod: Pod;
  try {
    if (target.includes("/")) {
      const [t, n] = target.split("/");
      const res = resolveType(t);
      if (res.kind === "Pod") target = n;
      else {
        const owner = ctx.c.get(res.kind, n, ns);
        const sel = (owner as Deployment).spec?.selector?.matchLabels ?? (owner as Service).spec?.selector;
        const pods = (ctx.c.list("Pod", { namespace: ns }) as Pod[]).filter((x) => sel && Object.entries(sel).every(([k, v]) => x.metadata.labels?.[k] === v));
        if (pods.length === 0) {
          o.err(`error: cannot attach to *v1.${res.kind}: selector for ${res.kind.toLowerCase()} ${n} has no pods`);
          return o.result();
        }
        target = pods[0].metadata.name;
      }
    }
    pod = ctx.c.get("Pod", target, ns) as Pod;
  } catch (e) {
    if (!isKnownError(e)) throw e;
    o.err(errorText(e));
    return o.result();
  }
  const cname = str(p, "container") ?? pod.spec.containers[0].name;
  if (!pod.spec.containers.some((c) => c.name === cname)) {
    o.err(`error: container ${cname} not found in pod ${pod.metadata.name}`);
    return o.result();
  }
  const st = pod.status.containerStatuses?.find((s) => s.name === cname);
  if (pod.status.phase !== "Running" || !st?.state.running) {
    o.err(pod.status.phase === "Pending" ? `error: unable to upgrade connection: container not found ("${cname}")` : `error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    return o.result();
  }
  if (cmd.length === 1 && ["sh", "bash", "/bin/sh", "/bin/bash", "ash"].includes(cmd[0])) {
    o.err(`kubelab: interactive shells are not simulated here; run one command, e.g. kubectl exec ${pod.metadata.name} -- curl -s demoapp-svc (the interactive terminal accepts \`kubectl exec -it ${pod.metadata.name} -- sh\`)`);
    return o.result();
  }
  execInPod(ctx, pod, cname, cmd.map((x) => x.replace(/^\/(usr\/)?s?bin\//, "")), stdin, o);
  return o.result();
};

// ---- small ones ----

const version: Sub = (_ctx, argv) => {
  const short = argv.includes("--short");
  const client = argv.includes("--client");
  if (short) return { stdout: "Client Version: v1.19.4\n" + (client ? "" : "Server Version: v1.19.4\n"), stderr: "", code: 0 };
  const info = (date: string) =>
    `version.Info{Major:"1", Minor:"19", GitVersion:"v1.19.4", GitCommit:"d360454c9bcd1634cf4cc52d1867af5491dc9c5f", GitTreeState:"clean", BuildDate:"${date}", GoVersion:"go1.15.2", Compiler:"gc", Platform:"linux/amd64"}`;
  return { stdout: `Client Version: ${info("2020-11-11T13:17:17Z")}\n` + (client ? "" : `Server Version: ${info("2020-11-11T13:09:17Z")}\n`), stderr: "", code: 0 };
};

const clusterInfo: Sub = (ctx) => {
  const master = ctx.c.hosts().find((h) => h.roles.includes("master")) ?? ctx.c.hosts()[0];
  const url = `https://${master.ip}:6443`;
  return {
    stdout: `Kubernetes master is running at ${url}\nKubeDNS is running at ${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    stderr: "",
    code: 0,
  };
};

const apiResources: Sub = () => {
  const rows = [["NAME", "SHORTNAMES", "APIGROUP", "NAMESPACED", "KIND"]];
  const sorted = [...RESOURCES].sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group === "" ? -1 : b.group === "" ? 1 : a.group < b.group ? -1 : 1));
  for (const r of sorted) rows.push([r.plural, r.shortNames.join(","), r.group, r.namespaced ? "true" : "false", r.kind]);
  return { stdout: formatTable(rows), stderr: "", code: 0 };
};

const logs: Sub = (ctx, argv) => {
  const p = flagsOrUsage("logs", argv, [
    { name: "container", short: "c", type: "string" },
    { name: "follow", short: "f", type: "bool" },
    { name: "tail", type: "int" },
    { name: "previous", short: "p", type: "bool" },
    { name: "timestamps", type: "bool" },
  ]);
  if (isResult(p)) return p;
  const o = new Out();
  const target = (p.args[0] ?? "").replace(/^(pods?|po)\//, "");
  if (!target) {
    o.err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    return o.result();
  }
  try {
    const pod = ctx.c.get("Pod", target, namespaceOf(p)) as Pod;
    if (pod.spec.containers[0].image.includes("demoapp")) o.out(" * Running on http://0.0.0.0:80/ (Press CTRL+C to quit)\n");
  } catch (e) {
    o.err(errorText(e));
  }
  return o.result();
};

const SUBCOMMANDS: Record<string, Sub> = {
  get,
  describe,
  apply: applyLike("apply"),
  create,
  delete: delete_,
  label,
  scale,
  expose,
  run,
  exec,
  version,
  "cluster-info": clusterInfo,
  "api-resources": apiResources,
  logs,
};

const NOT_SIMULATED = new Set(["edit", "patch", "replace", "rollout", "set", "annotate", "port-forward", "proxy", "cp", "attach", "autoscale", "top", "drain", "cordon", "uncordon", "taint", "explain", "config", "auth", "wait", "diff", "kustomize", "certificate", "debug", "plugin", "completion", "api-versions", "convert"]);

const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/overview/

Basic Commands (Beginner):
  create        Create a resource from a file or from stdin.
  expose        Take a replication controller, service, deployment or pod and expose it as a new Kubernetes Service
  run           Run a particular image on the cluster

Basic Commands (Intermediate):
  get           Display one or many resources
  delete        Delete resources by filenames, stdin, resources and names, or by resources and label selector

Deploy Commands:
  scale         Set a new size for a Deployment, ReplicaSet or Replication Controller

Troubleshooting and Debugging Commands:
  describe      Show details of a specific resource or group of resources
  logs          Print the logs for a container in a pod
  exec          Execute a command in a container

Advanced Commands:
  apply         Apply a configuration to a resource by filename or stdin

Settings Commands:
  label         Update the labels on a resource

Other Commands:
  api-resources Print the supported API resources on the server
  cluster-info  Display cluster info
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]
`;

export const kubectl: CommandFn = (ctx, argv, io) => {
  const args = argv.slice(1);
  // Global flags may come before the subcommand (`kubectl -n kube-system get po`).
  const pre: string[] = [];
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    const a = args[i];
    pre.push(a);
    if ((a === "-n" || a === "--namespace" || a === "--kubeconfig" || a === "--context") && i + 1 < args.length) pre.push(args[++i]);
    i++;
  }
  const sub = args[i];
  if (sub === undefined || sub === "help" || pre.includes("--help") || pre.includes("-h")) return { stdout: HELP, stderr: "", code: 0 };
  const rest = [...pre, ...args.slice(i + 1)];
  if (rest.includes("--help") || rest.includes("-h")) {
    if (SUBCOMMANDS[sub]) return { stdout: `kubelab's kubectl ${sub}: see the course notes for the forms it accepts (kubectl ${sub} --help is not reproduced).\n`, stderr: "", code: 0 };
  }
  const fn = SUBCOMMANDS[sub];
  if (!fn) {
    if (NOT_SIMULATED.has(sub)) return { stdout: "", stderr: `error: kubelab does not simulate "kubectl ${sub}"; use apply, label, scale, create, expose, delete\n`, code: 1 };
    return { stdout: "", stderr: `Error: unknown command "${sub}" for "kubectl"\nRun 'kubectl --help' for usage.\n`, code: 1 };
  }
  try {
    return fn(ctx, rest, io.stdin);
  } catch (e) {
    if (isKnownError(e)) return { stdout: "", stderr: errorText(e) + "\n", code: 1 };
    throw e;
  }
};

void ClientError;

// Mutations. Each loads the caller's cluster, runs the engine and saves state + version + log entry in one
// transaction (api/clusters.ts). Results are unions of a payload and typed errors (`... on Error { message }`).
import { builder } from "../builder.ts";
import type { Context } from "../context.ts";
import { createClusterRow, mutateCluster, newEngine, requirePrincipal, type ClusterRow, type Mutated } from "../clusters.ts";
import { ValidationError, NotFoundError } from "../errors.ts";
import { ClientError, KubeError, resolveResource, type EditorRequest, type ResourceInfo, type ApplyResult, type HttpRequest, type Kind, type LabelResult, type RequestResult, type RequestSource } from "../../engine/index.ts";
import { MUTATION_ERRORS, ErrorInterface } from "./errors.ts";
import { deleteOp, scaleOp } from "../cluster-ops.ts";
import { ClusterRef } from "./cluster.ts";
import { BackendCountRef, RequestResponseRef, type BackendCount } from "./kube.ts";
import type { ReplayOp } from "../../engine/grading/index.ts";
import type { ShellContext } from "../../engine/types.ts";
import { homeOf } from "../exec-shell.ts";
import { needsExpansion } from "../../engine/shell/history-expansion.ts";

const errors = { types: MUTATION_ERRORS };

function limit(field: string, ok: boolean, message: string): void {
  if (!ok) throw new ValidationError(message, [{ field, message }]);
}

const bytes = (s: string) => new TextEncoder().encode(s).length;

// ---- shared payload pieces ----
interface OutputPayload {
  row: ClusterRow;
  stdout: string;
  stderr: string;
  exitCode: number;
}

function clusterField<T extends { row: ClusterRow }>(t: PothosFieldBuilder<T>) {
  return t.field({ type: ClusterRef, resolve: (p: T) => p.row });
}
// biome-ignore lint: Pothos' field builder generic is long; this alias keeps the payload definitions readable
type PothosFieldBuilder<T> = any;

function outputFields<T extends OutputPayload>(t: PothosFieldBuilder<T>) {
  return {
    cluster: clusterField<T>(t),
    stdout: t.string({ resolve: (p: T) => p.stdout }),
    stderr: t.string({ resolve: (p: T) => p.stderr }),
    exitCode: t.int({ resolve: (p: T) => p.exitCode }),
  };
}

// ---- createCluster / deleteCluster / resetCluster ----
const CreateClusterInput = builder.inputType("CreateClusterInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "1-63 characters: letters, digits, '-', '_', '.'." }),
    labSlug: t.string({ required: false, description: "Start from a lab's cluster (see `labs`)." }),
    seed: t.int({ required: false, description: "Same seed, same cluster (IPs, names, load balancing). Random when omitted." }),
  }),
});

const CreateClusterPayload = builder.objectRef<{ row: ClusterRow }>("CreateClusterPayload").implement({
  fields: (t) => ({ cluster: clusterField(t) }),
});

builder.mutationField("createCluster", (t) =>
  t.field({
    type: CreateClusterPayload,
    errors,
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: CreateClusterInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const name = input.name.trim();
      limit("name", /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name), "name must be 1-63 characters: letters, digits, '-', '_', '.', starting with a letter or digit");
      const seed = input.seed ?? 1 + Math.floor(Math.random() * 2 ** 31 - 2);
      limit("seed", Number.isInteger(seed) && seed >= 0, "seed must be a non-negative integer");
      const row = await createClusterRow(ctx, { name, labSlug: input.labSlug ?? null, seed });
      ctx.log.info("cluster created", { clusterId: row.id, owner: row.ownerId, labSlug: row.labSlug });
      return { row };
    },
  }),
);

const ClusterIdInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ clusterId: t.id({ required: true }) }),
  });

const DeleteClusterPayload = builder.objectRef<{ row: ClusterRow }>("DeleteClusterPayload").implement({
  fields: (t) => ({
    clusterId: t.id({ resolve: (p) => p.row.id }),
    cluster: clusterField(t),
  }),
});

builder.mutationField("deleteCluster", (t) =>
  t.field({
    type: DeleteClusterPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "Hide the cluster. Its command log is kept.",
    args: { input: t.arg({ type: ClusterIdInput("DeleteClusterInput"), required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const m = await mutateCluster(ctx, String(input.clusterId), "deleteCluster", () => ({ value: null, input: "deleteCluster", delete: true }));
      return { row: m.row };
    },
  }),
);

const ResetClusterPayload = builder.objectRef<{ row: ClusterRow }>("ResetClusterPayload").implement({
  fields: (t) => ({ cluster: clusterField(t) }),
});

builder.mutationField("resetCluster", (t) =>
  t.field({
    type: ResetClusterPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "Back to the cluster's starting point (same seed, same lab). The log keeps what happened before.",
    args: { input: t.arg({ type: ClusterIdInput("ResetClusterInput"), required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const m = await mutateCluster(ctx, String(input.clusterId), "resetCluster", (_c, row) => ({
        value: null,
        input: "resetCluster",
        replace: newEngine(ctx, row.seed, row.labSlug),
      }));
      return { row: m.row };
    },
  }),
);

// ---- applyManifest ----
const ApplyInput = builder.inputType("ApplyManifestInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    yaml: t.string({ required: true, description: "One or more YAML documents (`---`), as `kubectl apply -f` reads them." }),
    namespace: t.string({ required: false, description: "Default namespace for objects without one (kubectl -n)." }),
  }),
});

const ObjectErrorRef = builder.objectRef<KubeError | ClientError>("ObjectError").implement({
  description: "Why one object of a manifest was not applied (the rest were).",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.string({ nullable: true, description: "The apiserver Status reason; null for client-side errors.", resolve: (e) => (e instanceof KubeError ? e.reason : null) }),
    kubectl: t.string({ description: "What kubectl prints for it.", resolve: (e) => (e instanceof KubeError ? e.kubectlMessage() : `error: ${e.message}`) }),
  }),
});

const ApplyObjectResultRef = builder.objectRef<ApplyResult>("ApplyObjectResult").implement({
  fields: (t) => ({
    kind: t.exposeString("kind"),
    name: t.exposeString("name"),
    namespace: t.string({ nullable: true, resolve: (r) => r.namespace ?? null }),
    resource: t.exposeString("resource"),
    action: t.string({ nullable: true, description: "created, configured or unchanged; null when the object failed.", resolve: (r) => r.action ?? null }),
    warning: t.string({ nullable: true, resolve: (r) => r.warning ?? null }),
    error: t.field({ type: ObjectErrorRef, nullable: true, resolve: (r) => r.error ?? null }),
  }),
});

const ApplyPayload = builder.objectRef<OutputPayload & { results: ApplyResult[] }>("ApplyManifestPayload").implement({
  fields: (t) => ({
    ...outputFields(t),
    results: t.field({ type: [ApplyObjectResultRef], resolve: (p) => p.results }),
  }),
});

/** Documents in a YAML stream, counted without parsing (a separator line is `---` with optional trailing text). */
function countDocuments(yaml: string): number {
  return 1 + (yaml.match(/^---(?:[ \t].*)?$/gm)?.length ?? 0);
}

builder.mutationField("applyManifest", (t) =>
  t.field({
    type: ApplyPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "kubectl apply -f: one result per object (created / configured / unchanged, or its error).",
    args: { input: t.arg({ type: ApplyInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const L = ctx.limits;
      limit("yaml", bytes(input.yaml) <= L.manifestBytes, `the manifest is ${bytes(input.yaml)} bytes; the limit is ${L.manifestBytes}`);
      limit("yaml", countDocuments(input.yaml) <= L.manifestDocuments, `the manifest has more than ${L.manifestDocuments} documents`);
      limit("yaml", input.yaml.trim() !== "", "the manifest is empty");
      const m = await mutateCluster(ctx, String(input.clusterId), "applyManifest", (c) => {
        const results = c.apply(input.yaml, input.namespace ? { namespace: input.namespace, namespaceExplicit: true } : {});
        // A manifest that does not parse changes nothing: a typed error, no write.
        if (results.length === 1 && results[0].kind === "" && results[0].error) throw new ValidationError(`malformed manifest: ${results[0].error.message}`, [{ field: "yaml", message: results[0].error.message }]);
        if (results.length === 0) throw new ValidationError("no objects passed to apply", [{ field: "yaml", message: "no objects passed to apply" }]);
        const out: string[] = [];
        const err: string[] = [];
        for (const r of results) {
          if (r.warning) err.push(r.warning);
          if (r.error) err.push(r.error instanceof KubeError ? r.error.kubectlMessage() : `error: ${r.error.message}`);
          else out.push(`${r.resource}/${r.name} ${r.action}`);
        }
        const stdout = out.length ? out.join("\n") + "\n" : "";
        const stderr = err.length ? err.join("\n") + "\n" : "";
        const exitCode = results.some((r) => r.error) ? 1 : 0;
        return {
          value: results,
          input: `kubectl apply -f - <<EOF\n${input.yaml.replace(/\n?$/, "\n")}EOF`,
          stdout,
          stderr,
          exitCode,
          checkObjects: true,
          replay: { op: "apply", yaml: input.yaml, ...(input.namespace ? { namespace: input.namespace } : {}) },
        };
      });
      return { row: m.row, results: m.value, stdout: m.log.stdout, stderr: m.log.stderr, exitCode: m.log.exitCode };
    },
  }),
);

// ---- deleteResource ----
const DeleteResourceInput = builder.inputType("DeleteResourceInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    kind: t.string({ required: true, description: "Any name kubectl accepts: pod, po, svc, deploy, endpoints..." }),
    name: t.string({ required: true }),
    namespace: t.string({ required: false, description: "Default: default (ignored for nodes and namespaces)." }),
  }),
});

const DeleteResourcePayload = builder.objectRef<OutputPayload>("DeleteResourcePayload").implement({
  fields: (t) => outputFields(t),
});

function resolveKind(word: string, field = "kind"): ResourceInfo {
  const info = resolveResource(word);
  if (!info) throw new ValidationError(`the server doesn't have a resource type "${word}"`, [{ field, message: "unknown resource type" }]);
  return info;
}

builder.mutationField("deleteResource", (t) =>
  t.field({
    type: DeleteResourcePayload,
    errors,
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: DeleteResourceInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const info = resolveKind(input.kind);
      const ns = info.namespaced ? (input.namespace ?? "default") : undefined;
      const m = await mutateCluster(ctx, String(input.clusterId), "deleteResource", deleteOp(info, input.name, ns));
      return { row: m.row, stdout: m.log.stdout, stderr: m.log.stderr, exitCode: m.log.exitCode };
    },
  }),
);

// ---- label ----
const LabelPairInput = builder.inputType("LabelPairInput", {
  fields: (t) => ({ key: t.string({ required: true }), value: t.string({ required: true }) }),
});

const LabelInput = builder.inputType("LabelInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    target: t.string({
      required: true,
      description: "`po/web-1` (one object); a resource type with `selector` (`pods`); or a label selector alone (`app=web`), meaning pods.",
    }),
    selector: t.string({ required: false }),
    namespace: t.string({ required: false, description: "Default: default." }),
    set: t.field({ type: [LabelPairInput], required: false }),
    remove: t.stringList({ required: false, description: "Keys to remove (kubectl's `key-`)." }),
    overwrite: t.boolean({ required: false, defaultValue: false }),
  }),
});

const LabelObjectResultRef = builder.objectRef<LabelResult>("LabelObjectResult").implement({
  fields: (t) => ({
    kind: t.exposeString("kind"),
    name: t.exposeString("name"),
    namespace: t.string({ nullable: true, resolve: (r) => r.namespace ?? null }),
    resource: t.exposeString("resource"),
    changed: t.exposeBoolean("changed"),
    notFound: t.stringList({ description: "Keys asked to be removed that were not there.", resolve: (r) => r.notFound }),
  }),
});

const LabelPayload = builder.objectRef<OutputPayload & { results: LabelResult[] }>("LabelPayload").implement({
  fields: (t) => ({
    ...outputFields(t),
    results: t.field({ type: [LabelObjectResultRef], resolve: (p) => p.results }),
  }),
});

const SELECTOR_LIKE = /[=!]|\s(in|notin)\s*\(/;

builder.mutationField("label", (t) =>
  t.field({
    type: LabelPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "kubectl label: set (`key=value`) and remove (`key-`) labels on one object or on every object a selector picks.",
    args: { input: t.arg({ type: LabelInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const set: Record<string, string> = {};
      for (const p of input.set ?? []) set[p.key] = p.value;
      const remove = input.remove ?? [];
      limit("set", Object.keys(set).length + remove.length > 0, "at least one label update is required");
      limit("set", Object.keys(set).length + remove.length <= ctx.limits.labelKeys, `at most ${ctx.limits.labelKeys} label updates per call`);
      const ns = input.namespace ?? "default";
      const target = input.target.trim();
      let kindWord: string;
      let name: string | undefined;
      let selector: string | undefined = input.selector ?? undefined;
      if (selector === undefined && SELECTOR_LIKE.test(target)) {
        kindWord = "pods";
        selector = target;
      } else if (target.includes("/")) {
        [kindWord, name] = target.split("/", 2);
        limit("target", !!name, `target "${target}" has no name`);
      } else {
        kindWord = target;
        limit("target", selector !== undefined, "resource(s) were provided, but no name or selector was specified");
      }
      const info = resolveKind(kindWord, "target");
      const line = [
        "kubectl label",
        name ? `${kindWord}/${name}` : `${kindWord} -l '${selector}'`,
        ...Object.entries(set).map(([k, v]) => `${k}=${v}`),
        ...remove.map((k) => `${k}-`),
        input.overwrite ? "--overwrite" : "",
        ns !== "default" && info.namespaced ? `-n ${ns}` : "",
      ]
        .filter(Boolean)
        .join(" ");
      const m = await mutateCluster(ctx, String(input.clusterId), "label", (c) => {
        const names = name
          ? [name]
          : c.list(info.kind, { namespace: info.namespaced ? ns : undefined, selector }).map((o) => o.metadata.name);
        const results: LabelResult[] = [];
        const out: string[] = [];
        for (const n of names) {
          const r = c.label(info.kind, n, info.namespaced ? ns : undefined, { set, remove, overwrite: input.overwrite ?? false });
          for (const k of r.notFound) out.push(`label "${k}" not found.`);
          out.push(`${r.resource}/${r.name} ${r.changed ? "labeled" : "not labeled"}`);
          results.push(r);
        }
        const stderr = names.length === 0 ? `No resources found in ${ns} namespace.\n` : "";
        const replay: ReplayOp = {
          op: "label",
          kind: info.kind,
          names,
          ...(info.namespaced ? { namespace: ns } : {}),
          ...(selector !== undefined && !name ? { selector } : {}),
          set: Object.entries(set),
          remove,
          overwrite: input.overwrite ?? false,
        };
        return { value: results, input: line, stdout: out.length ? out.join("\n") + "\n" : "", stderr, replay };
      });
      return { row: m.row, results: m.value, stdout: m.log.stdout, stderr: m.log.stderr, exitCode: m.log.exitCode };
    },
  }),
);

// ---- scale ----
const ScaleInput = builder.inputType("ScaleInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    deployment: t.string({ required: true }),
    replicas: t.int({ required: true }),
    namespace: t.string({ required: false }),
  }),
});

const ScalePayload = builder.objectRef<OutputPayload>("ScalePayload").implement({ fields: (t) => outputFields(t) });

builder.mutationField("scale", (t) =>
  t.field({
    type: ScalePayload,
    errors,
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ScaleInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      limit("replicas", input.replicas >= 0 && input.replicas <= ctx.limits.maxReplicas, `replicas must be between 0 and ${ctx.limits.maxReplicas}`);
      const ns = input.namespace ?? "default";
      const m = await mutateCluster(ctx, String(input.clusterId), "scale", scaleOp("Deployment", input.deployment, ns, input.replicas));
      return { row: m.row, stdout: m.log.stdout, stderr: m.log.stderr, exitCode: m.log.exitCode };
    },
  }),
);

// ---- sendRequests ----
const SendRequestsInput = builder.inputType("SendRequestsInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    from: t.string({
      required: true,
      description: "`node/<name>` (a node's host network), `pod/<name>` or `pod/<namespace>/<name>`, or `external` / `external/<ip>` (outside the cluster).",
    }),
    url: t.string({ required: true, description: "`http://<ip or name>[:port][/path]`; service names resolve from pods." }),
    method: t.string({ required: false }),
    body: t.string({ required: false }),
    count: t.int({ required: false, defaultValue: 1 }),
  }),
});

interface SendPayload {
  row: ClusterRow;
  responses: RequestResult[];
  distribution: BackendCount[];
}

const SendRequestsPayload = builder.objectRef<SendPayload>("SendRequestsPayload").implement({
  fields: (t) => ({
    cluster: clusterField(t),
    responses: t.field({ type: [RequestResponseRef], resolve: (p) => p.responses }),
    distribution: t.field({ type: [BackendCountRef], description: "Requests per backend, most first.", resolve: (p) => p.distribution }),
  }),
});

export function parseFrom(from: string): RequestSource {
  const parts = from.trim().split("/");
  switch (parts[0]) {
    case "node":
      if (parts.length === 2 && parts[1]) return { kind: "node", node: parts[1] };
      break;
    case "pod":
      if (parts.length === 2 && parts[1]) return { kind: "pod", pod: parts[1], namespace: "default" };
      if (parts.length === 3 && parts[1] && parts[2]) return { kind: "pod", pod: parts[2], namespace: parts[1] };
      break;
    case "external":
      if (parts.length === 1) return { kind: "external" };
      if (parts.length === 2 && parts[1]) return { kind: "external", ip: parts[1] };
      break;
  }
  throw new ValidationError(`from must be node/<name>, pod/[<namespace>/]<name> or external[/<ip>], not "${from}"`, [{ field: "from", message: "bad source" }]);
}

export function parseUrl(url: string): { host: string; port?: number; path: string } {
  const m = /^(?:http:\/\/)?([^/:?#\s]+)(?::(\d{1,5}))?(\/[^\s#]*)?$/.exec(url.trim());
  if (!m) throw new ValidationError(`url must look like http://<host>[:port][/path], not "${url}"`, [{ field: "url", message: "bad url" }]);
  const port = m[2] ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) throw new ValidationError(`port ${port} is out of range`, [{ field: "url", message: "bad port" }]);
  return { host: m[1], port, path: m[3] ?? "/" };
}

function distribution(rs: RequestResult[]): BackendCount[] {
  const by = new Map<string, BackendCount>();
  for (const r of rs) {
    const s = r.servedBy;
    const key = s ? `${s.kind}/${s.namespace ? s.namespace + "/" : ""}${s.name}` : `error:${r.error?.code ?? "unknown"}`;
    const e = by.get(key) ?? { backend: key, kind: s?.kind ?? null, name: s?.name ?? null, namespace: s?.namespace ?? null, node: s?.node ?? null, count: 0 };
    e.count++;
    by.set(key, e);
  }
  return [...by.values()].sort((a, b) => b.count - a.count || (a.backend < b.backend ? -1 : 1));
}

builder.mutationField("sendRequests", (t) =>
  t.field({
    type: SendRequestsPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "Send HTTP requests inside the simulated network (curl in a loop) and see who answered, and how.",
    args: { input: t.arg({ type: SendRequestsInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      const count = input.count ?? 1;
      limit("count", count >= 1 && count <= ctx.limits.requestCount, `count must be between 1 and ${ctx.limits.requestCount}`);
      limit("body", bytes(input.body ?? "") <= ctx.limits.requestBodyBytes, `body is larger than ${ctx.limits.requestBodyBytes} bytes`);
      const from = parseFrom(input.from);
      const u = parseUrl(input.url);
      const method = (input.method ?? (input.body ? "POST" : "GET")).toUpperCase();
      limit("method", /^[A-Z]{1,16}$/.test(method), "method must be an HTTP method name");
      const req: HttpRequest = { from, host: u.host, port: u.port, path: u.path, method, ...(input.body != null ? { body: input.body } : {}) };
      const m = await mutateCluster(ctx, String(input.clusterId), "sendRequests", (c) => {
        const responses: RequestResult[] = [];
        for (let i = 0; i < count; i++) responses.push(c.request(req));
        const dist = distribution(responses);
        const stdout = dist.map((d) => `${d.count}\t${d.backend}`).join("\n") + "\n";
        return {
          value: responses,
          input: `curl -X ${method} ${input.url} (from ${input.from}) x${count}`,
          stdout,
          exitCode: responses.every((r) => r.ok) ? 0 : 7,
          replay: { op: "requests", request: req, count },
        };
      });
      return { row: m.row, responses: m.value, distribution: distribution(m.value) };
    },
  }),
);

// ---- exec ----
const ExecInput = builder.inputType("ExecInput", {
  fields: (t) => ({
    clusterId: t.id({ required: true }),
    command: t.string({ required: true, description: "One terminal line: kubectl, curl, ip, cat, ..." }),
    host: t.string({ required: false, description: "A node name (default master01) or `pod:<namespace>/<name>`." }),
    stdin: t.string({ required: false, description: "Standard input for the line (a here-document's text, `kubectl apply -f -`)." }),
    cwd: t.string({ required: false, description: "The working directory of the terminal's shell on `host` (the payload's `cwd` after its last line there); default the host's home. Absolute." }),
    env: t.field({ type: [ShellVariableInput], required: false, description: "The variables of that shell (the payload's `env` after its last line there): what `export` and assignments set, `?` the last exit status." }),
  }),
});

const ShellVariableInput = builder.inputType("ShellVariableInput", {
  fields: (t) => ({ name: t.string({ required: true }), value: t.string({ required: true }) }),
});

const ShellVariableRef = builder.objectRef<[string, string]>("ShellVariable").implement({
  fields: (t) => ({ name: t.string({ resolve: (v) => v[0] }), value: t.string({ resolve: (v) => v[1] }) }),
});

const SHELL_VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*|\?)$/;
const SHELL_LIMITS = { variables: 100, bytes: 16_384, cwd: 1024 };

/** The terminal's shell a line starts in, checked: an absolute path, at most 100 well-named variables, 16 KiB in all. */
function shellOf(input: { cwd?: string | null; env?: readonly { name: string; value: string }[] | null }): ShellContext | undefined {
  if (input.cwd == null && input.env == null) return undefined;
  const cwd = input.cwd ?? undefined;
  if (cwd !== undefined) {
    limit("cwd", cwd.startsWith("/") && !cwd.includes("\0"), `cwd must be an absolute path, not "${cwd.slice(0, 80)}"`);
    limit("cwd", cwd.length <= SHELL_LIMITS.cwd, `cwd is longer than ${SHELL_LIMITS.cwd} characters`);
  }
  const env: Record<string, string> = {};
  const vars = input.env ?? [];
  limit("env", vars.length <= SHELL_LIMITS.variables, `more than ${SHELL_LIMITS.variables} shell variables`);
  let size = 0;
  for (const v of vars) {
    limit("env", SHELL_VARIABLE.test(v.name), `"${v.name.slice(0, 80)}" is not a shell variable name`);
    limit("env", !v.value.includes("\0"), `the value of ${v.name} contains a NUL character`);
    size += bytes(v.name) + bytes(v.value);
    env[v.name] = v.value;
  }
  limit("env", size <= SHELL_LIMITS.bytes, `the shell variables are larger than ${SHELL_LIMITS.bytes} bytes`);
  return { cwd: cwd ?? "", env };
}

type ExecOutput = OutputPayload & { editor: EditorRequest | null; shell: ShellContext };

const EditorRequestRef = builder.objectRef<EditorRequest>("EditorRequest").implement({
  description:
    "The line asks its terminal to open an editor on a file (vi, vim, nano, kubectl edit). A terminal that can show one lets the student edit `content`, then runs `saveCommand` through `exec` on `host` with the edited text as `stdin` (that writes the file and, for kubectl edit, applies the edit and prints kubectl's messages); quitting without saving runs `cancelCommand` when there is one. Without a terminal the line's output is what the editor prints when it has none.",
  fields: (t) => ({
    host: t.exposeString("host", { description: "Where to run saveCommand (a node, or pod:<namespace>/<name>)." }),
    path: t.exposeString("path", { description: "The file's absolute path on that host." }),
    content: t.exposeString("content", { description: "The text to edit." }),
    isNew: t.exposeBoolean("isNew", { description: "The file did not exist: the editor says so (vim's `[New]`, nano's `[ New File ]`) and saving creates it." }),
    editor: t.exposeString("editor", { description: "vi, vim or nano: which one the student asked for (the page may mimic its keys)." }),
    syntax: t.exposeString("syntax", { description: "yaml, json or text: for highlighting." }),
    saveCommand: t.exposeString("saveCommand", { description: "The line to exec with the edited text as stdin." }),
    cancelCommand: t.exposeString("cancelCommand", { nullable: true, description: "The line to exec when the student quits without saving (kubectl edit's `Edit cancelled, no changes made.`)." }),
  }),
});

const ExecPayload = builder.objectRef<ExecOutput>("ExecPayload").implement({
  fields: (t) => ({
    ...outputFields(t),
    editor: t.field({ type: EditorRequestRef, nullable: true, description: "Set when the line opened an editor (vi web.yaml, kubectl edit deploy web).", resolve: (p: ExecOutput) => p.editor }),
    cwd: t.string({ description: "The shell's working directory after the line (send it as the next line's `cwd` on the same host).", resolve: (p: ExecOutput) => p.shell.cwd }),
    env: t.field({ type: [ShellVariableRef], description: "The shell's variables after the line, by name (send them as the next line's `env`).", resolve: (p: ExecOutput) => Object.entries(p.shell.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) }),
  }),
});

/**
 * The lines typed in this cluster's terminal before, oldest first (for `history` and bash's history expansion: `!!`,
 * `!app`); only read when the line names the one or could use the other.
 */
async function typedBefore(ctx: { prisma: Context["prisma"] }, clusterId: string, command: string): Promise<string[] | undefined> {
  if (!/\bhistory\b/.test(command) && !needsExpansion(command)) return undefined;
  try {
    const rows = await ctx.prisma.commandLog.findMany({ where: { clusterId, operation: "exec" }, orderBy: { seq: "desc" }, take: 1000, select: { input: true } });
    return rows.map((r) => r.input).reverse();
  } catch {
    return undefined;
  }
}

builder.mutationField("exec", (t) =>
  t.field({
    type: ExecPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "Run one line in the lab terminal.",
    args: { input: t.arg({ type: ExecInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      limit("command", input.command.length <= ctx.limits.commandLength, `the command is longer than ${ctx.limits.commandLength} characters`);
      limit("command", !input.command.includes("\0"), "the command contains a NUL character");
      limit("stdin", bytes(input.stdin ?? "") <= ctx.limits.manifestBytes, `stdin is larger than ${ctx.limits.manifestBytes} bytes`);
      const host = input.host ?? "master01";
      const stdin = input.stdin ?? undefined;
      const history = await typedBefore(ctx, String(input.clusterId), input.command);
      const given = shellOf(input);
      const m = await mutateCluster(ctx, String(input.clusterId), "exec", (c) => {
        // a shell the caller did not describe is a fresh one at the host's home (what the log then says too)
        const shell = { ...(given?.cwd ? { cwd: given.cwd } : {}), env: given?.env ?? {} };
        const r = c.exec(input.command, { host, ...(stdin !== undefined ? { stdin } : {}), ...(history ? { history } : {}), ...shell });
        return {
          // (no shell comes back from a line refused before it ran: an unknown host)
          value: { editor: r.editor ?? null, shell: r.shell ?? { cwd: given?.cwd || homeOf(host), env: given?.env ?? {} } },
          input: input.command,
          host,
          stdin,
          ...(given ? { shell: given } : {}),
          ...(r.ran !== undefined ? { ran: r.ran } : {}),
          stdout: r.stdout,
          stderr: r.stderr,
          exitCode: r.exitCode,
          checkObjects: true,
        };
      });
      return { row: m.row, stdout: m.log.stdout, stderr: m.log.stderr, exitCode: m.log.exitCode, editor: m.value.editor, shell: m.value.shell };
    },
  }),
);

// ---- advanceClock ----
const AdvanceClockInput = builder.inputType("AdvanceClockInput", {
  fields: (t) => ({ clusterId: t.id({ required: true }), seconds: t.int({ required: true }) }),
});

const AdvanceClockPayload = builder.objectRef<{ row: ClusterRow; now: string }>("AdvanceClockPayload").implement({
  fields: (t) => ({
    cluster: clusterField(t),
    now: t.string({ description: "The virtual clock after advancing.", resolve: (p) => p.now }),
  }),
});

builder.mutationField("advanceClock", (t) =>
  t.field({
    type: AdvanceClockPayload,
    errors,
    authScopes: { loggedIn: true },
    description: "Let virtual time pass: probes run, rollouts progress, pods restart.",
    args: { input: t.arg({ type: AdvanceClockInput, required: true }) },
    resolve: async (_r, { input }, ctx) => {
      limit("seconds", input.seconds >= 0 && input.seconds <= ctx.limits.advanceSeconds, `seconds must be between 0 and ${ctx.limits.advanceSeconds}`);
      const m = await mutateCluster(ctx, String(input.clusterId), "advanceClock", (c) => {
        c.advance(input.seconds);
        return { value: c.now(), input: `sleep ${input.seconds}`, replay: { op: "advance", seconds: input.seconds } };
      });
      return { row: m.row, now: m.value };
    },
  }),
);

export type { Mutated };
void NotFoundError;
void requirePrincipal;

// Writes: create, update, patch, delete and the scale subresource. Each becomes one of the shared cluster operations
// (api/cluster-ops.ts) run through mutateCluster — versioned, batched, logged with its replay op, seen by
// clusterChanged — or, with ?dryRun=All, on a private copy of the cluster that is never saved.
import { Cluster, ClientError, KubeError, type Kind } from "../../engine/index.ts";
import type { AnyObject } from "../../engine/objects.ts";
import { PatchError, type Json } from "../../engine/apiserver/patch.ts";
import { PATCH_CONTENT_TYPES, patchedObject, type PatchType } from "../../engine/apiserver/patch-request.ts";
import { loadYamlDocuments, YamlSyntaxError } from "../../engine/apiserver/yaml.ts";
import { conflict } from "../../engine/errors.ts";
import type { Context } from "../context.ts";
import { engineOf, findReadableCluster, mutateCluster, type Outcome } from "../clusters.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { createOp, deleteCollectionOp, deleteOp, scaleOp, writeObjectOp } from "../cluster-ops.ts";
import type { K8sRequest } from "./request.ts";
import { badRequest, forbidden, fromKubeError, json, methodNotAllowed, StatusError, successStatus } from "./status.ts";
import { listBody, listObjects, scaleOf } from "./read.ts";
import { servedShift, shiftTimes } from "./time.ts";

type ResourceRequest = Extract<K8sRequest, { type: "resource" }>;
type Obj = Record<string, unknown>;

export const WRITE_OPERATION = "k8s";
const PATCH_TYPE_OF = Object.fromEntries(Object.entries(PATCH_CONTENT_TYPES).map(([t, ct]) => [ct, t as PatchType]));
const PATCH_TYPES = Object.keys(PATCH_TYPE_OF);

async function readBody(request: Request, limit: number): Promise<string> {
  const len = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = () => new StatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
  if (len > limit) throw tooLarge();
  const text = await request.text();
  if (text.length > limit) throw tooLarge();
  return text;
}

/** The request body as JSON (or YAML, for `application/yaml`): an object, else a 400 in the apiserver's words. */
function parseBody(text: string, contentType: string, what: string): unknown {
  if (contentType === "application/yaml") {
    try {
      const docs = [...loadYamlDocuments(text)];
      return docs[0];
    } catch (e) {
      if (e instanceof YamlSyntaxError || e instanceof Error) throw badRequest(`the object provided is unrecognized (must be of type ${what}): yaml: ${e.message}`);
      throw e;
    }
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized (must be of type ${what}): couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

function asObject(v: unknown, what: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw badRequest(`the object provided is unrecognized (must be of type ${what}): couldn't get version/kind; json parse error: expected an object`);
  return v as Obj;
}

/**
 * The body's kind and apiVersion against the URL's: another is refused as the apiserver's decoder refuses it, and an
 * absent (or empty) one is the URL's — a typed client (the Python client's V1Service, a list's items) sends none.
 */
function checkTypeMeta(o: Obj, req: ResourceRequest): void {
  const kind = req.subresource === "scale" ? "Scale" : req.res.kind;
  const apiVersion = req.subresource === "scale" ? "autoscaling/v1" : req.res.apiVersion;
  if (o.kind !== undefined && o.kind !== "" && o.kind !== kind) throw badRequest(`the object provided is unrecognized (must be of type ${kind}): no kind "${String(o.kind)}" is registered for version "${String(o.apiVersion ?? "")}" in scheme`);
  if (req.subresource !== "scale" && o.apiVersion !== undefined && o.apiVersion !== "" && o.apiVersion !== apiVersion)
    throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${apiVersion})`);
  if (o.kind === undefined || o.kind === "") o.kind = kind;
  if (o.apiVersion === undefined || o.apiVersion === "") o.apiVersion = apiVersion;
}

function meta(o: Obj): Obj {
  return (o.metadata && typeof o.metadata === "object" ? o.metadata : {}) as Obj;
}

function engineErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof KubeError) throw fromKubeError(e);
    if (e instanceof ClientError) throw new StatusError(422, "Invalid", e.message);
    if (e instanceof PatchError) throw new StatusError(422, "Invalid", e.message);
    throw e;
  }
}

/**
 * The field manager of a write (v1.19 handlers/create.go managerOrUserAgent): the `fieldManager` parameter, else
 * the User-Agent up to its first `/` (printable characters, at most 128 bytes), else "unknown".
 */
export function fieldManagerOf(request: Request): string {
  const given = new URL(request.url).searchParams.get("fieldManager");
  if (given) return given;
  let m = "";
  for (const ch of (request.headers.get("user-agent") ?? "").split("/")[0]) {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) continue;
    if (new TextEncoder().encode(m + ch).length > 128) break;
    m += ch;
  }
  return m || "unknown";
}

function describeRequest(request: Request): string {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/k8s\/clusters\/[^/]+/, "") + url.search;
  const ua = (request.headers.get("user-agent") ?? "").slice(0, 120);
  const cmd = request.headers.get("kubectl-command");
  return `${cmd ? `${cmd}  # ` : ""}${request.method} ${decodeURIComponent(path)}${ua ? ` (${ua})` : ""}`;
}

export async function handleWrite(ctx: Context, request: Request, clusterId: string, req: ResourceRequest): Promise<Response> {
  const ns = req.res.namespaced ? (req.namespace ?? "default") : undefined;
  const body = await readBody(request, ctx.limits.requestBytes);
  // kubectl's DELETE carries its options in a DeleteOptions body (dryRun, gracePeriodSeconds, propagationPolicy)
  const deleting = req.verb === "delete" || req.verb === "deletecollection" ? deleteOptionsOf(body) : undefined;
  const dryRun = req.dryRun || deleting?.dryRun === true;
  const input = describeRequest(request);
  const manager = fieldManagerOf(request);
  const what = req.subresource === "scale" ? "Scale" : req.res.kind;

  // Build the operation (it reads the live cluster, so it runs inside mutateCluster).
  let op: (c: Cluster, shift: number) => Outcome<unknown>;
  let status = 200;
  switch (req.verb) {
    case "create": {
      const o = asObject(parseBody(body, req.contentType, what), what);
      checkTypeMeta(o, req);
      const bodyNs = typeof meta(o).namespace === "string" ? (meta(o).namespace as string) : undefined;
      if (ns !== undefined && bodyNs && bodyNs !== ns) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      status = 201;
      op = (c, shift) => wrap(createOp(shiftTimes(o, -shift), ns, input, manager)(c), shift);
      break;
    }
    case "update":
    case "patch": {
      const name = req.name!;
      if (req.verb === "patch" && !PATCH_TYPES.includes(req.contentType))
        throw new StatusError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}, application/apply-patch+yaml`);
      const parsed = req.verb === "update" ? asObject(parseBody(body, req.contentType, what), what) : undefined;
      if (req.verb === "update") {
        checkTypeMeta(parsed as Obj, req);
        const n = meta(parsed as Obj).name;
        if (n !== undefined && n !== name) throw badRequest(`the name of the object (${String(n)}) does not match the name on the URL (${name})`);
      }
      op = (c, shift) => {
        const live = engineErrors(() => c.get(req.res.kind, name, ns));
        const served = (req.subresource === "scale" ? scaleOf(live, shift) : shiftTimes(live, shift)) as unknown as Json;
        const next = (parsed ?? engineErrors(() => patchedObject(served, PATCH_TYPE_OF[req.contentType], body))) as Obj;
        const rv = meta(next).resourceVersion;
        if (req.verb === "update" || rv !== meta(served as Obj).resourceVersion) {
          if (rv !== undefined && rv !== "" && rv !== live.metadata.resourceVersion) throw fromKubeError(conflict(req.res.qualified, name));
        }
        if (req.subresource === "scale") {
          const replicas = (next.spec as { replicas?: unknown } | undefined)?.replicas;
          if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
            throw new StatusError(422, "Invalid", `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, {
              name,
              group: "autoscaling",
              kind: "Scale",
              causes: [{ reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`, field: "spec.replicas" }],
            });
          const out = engineErrors(() => scaleOp(req.res.kind as Kind, name, ns!, replicas, input)(c));
          return { ...out, value: scaleOf(engineErrors(() => c.get(req.res.kind, name, ns)), shift) };
        }
        if (meta(next).name !== name) throw badRequest(`the name of the object (${String(meta(next).name)}) does not match the name on the URL (${name})`);
        if (ns !== undefined) meta(next).namespace ??= ns;
        return wrap(writeObjectOp(req.res, name, ns, shiftTimes(next, -shift), input, manager)(c), shift);
      };
      break;
    }
    case "delete":
    case "deletecollection": {
      const query = new URL(request.url).searchParams;
      const pp = query.get("propagationPolicy") ?? deleting?.propagationPolicy;
      const graceText = query.get("gracePeriodSeconds");
      const grace = graceText !== null ? Number(graceText) : deleting?.gracePeriodSeconds;
      if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw badRequest(`gracePeriodSeconds: Invalid value: ${JSON.stringify(graceText ?? grace)}: must be a non-negative integer`);
      if (pp && !["Background", "Foreground", "Orphan"].includes(pp)) throw badRequest(`propagationPolicy: Unsupported value: "${pp}": supported values: "Foreground", "Background", "Orphan"`);
      if (pp === "Orphan") throw badRequest("kubelab's garbage collector always deletes dependents (propagationPolicy Orphan is not simulated)");
      const graceOpt = grace !== undefined ? { gracePeriodSeconds: grace } : {};
      if (req.verb === "deletecollection") {
        if (req.res.namespaced && req.namespace === undefined) throw methodNotAllowed();
        // the objects a list with the same selectors finds, deleted in its order; the answer is their list
        op = (c, shift) => {
          const names = listObjects(c, req).map((o) => o.metadata.name);
          const out = engineErrors(() => deleteCollectionOp(req.res, names, ns, input, graceOpt)(c));
          return { ...out, value: listBody(req.res.kind, req.res.apiVersion, { resourceVersion: String(c.state.rv) }, out.value.map((o) => shiftTimes(o, shift))) };
        };
        break;
      }
      op = (c) => {
        if (deleting?.preconditions) checkPreconditions(engineErrors(() => c.get(req.res.kind, req.name!, ns)), deleting.preconditions, req.res.qualified);
        // a pod's graceful deletion runs out at once on the virtual clock, which moves only with commands: the kubectl
        // that waits for the pod to go (it always does) would otherwise wait for ever
        const out = engineErrors(() => deleteOp(req.res, req.name!, ns, input, { ...graceOpt, awaitPod: true })(c));
        const o = out.value;
        return { ...out, value: successStatus({ name: o.metadata.name, ...(req.res.group ? { group: req.res.group } : {}), kind: req.res.plural, uid: o.metadata.uid }) };
      };
      break;
    }
    default:
      throw methodNotAllowed();
  }

  if (dryRun) {
    const row = await findReadableCluster(ctx, clusterId);
    if (!row || row.ownerId !== ctx.principal?.sub) throw forbidden();
    // the apiserver admits and answers on a copy no controller acts on and nothing saves (engine dryRunCopy); the
    // answer was never stored: a create's has no resourceVersion, an update's or a patch's keeps the live one
    const live = engineOf(ctx, row);
    const copy = live.dryRunCopy();
    const value = engineErrors(() => op(copy, servedShift(clusterId, copy.nowSeconds(), "write"))).value as { metadata?: { resourceVersion?: string } } | null;
    if (value?.metadata && req.verb === "create") delete value.metadata.resourceVersion;
    else if (value?.metadata && (req.verb === "update" || req.verb === "patch")) value.metadata.resourceVersion = engineErrors(() => live.get(req.res.kind, req.name!, ns)).metadata.resourceVersion;
    return json(value, status);
  }
  try {
    const m = await mutateCluster(ctx, clusterId, WRITE_OPERATION, (c) => engineErrors(() => op(c, servedShift(clusterId, c.nowSeconds(), "write"))));
    return json(m.value, status);
  } catch (e) {
    if (e instanceof NotFoundError) throw forbidden(); // a cluster that is not the caller's: nothing revealed
    if (e instanceof ConflictError) throw new StatusError(409, "Conflict", e.message);
    if (e instanceof ValidationError) throw new StatusError(422, "Invalid", e.message);
    throw e;
  }
}

/**
 * The DeleteOptions a DELETE's body may hold (what kubectl sends: `{"kind":"DeleteOptions","apiVersion":"v1",
 * "gracePeriodSeconds":0,"propagationPolicy":"Background","dryRun":["All"]}`): its dry run, grace period and
 * propagation policy. An empty body is none.
 */
function deleteOptionsOf(body: string): { dryRun?: boolean; propagationPolicy?: string; gracePeriodSeconds?: number; preconditions?: { uid?: string; resourceVersion?: string } } {
  if (body.trim() === "") return {};
  let o: unknown;
  try {
    o = JSON.parse(body);
  } catch {
    throw badRequest("the body of the request was not a valid DeleteOptions object");
  }
  if (!o || typeof o !== "object" || Array.isArray(o)) throw badRequest("the body of the request was not a valid DeleteOptions object");
  const { dryRun, propagationPolicy, gracePeriodSeconds, preconditions } = o as { dryRun?: unknown; propagationPolicy?: unknown; gracePeriodSeconds?: unknown; preconditions?: unknown };
  const pre = preconditions && typeof preconditions === "object" && !Array.isArray(preconditions) ? (preconditions as { uid?: unknown; resourceVersion?: unknown }) : undefined;
  if (gracePeriodSeconds !== undefined && gracePeriodSeconds !== null && typeof gracePeriodSeconds !== "number") throw badRequest("the body of the request was not a valid DeleteOptions object");
  if (dryRun !== undefined && dryRun !== null) {
    if (!Array.isArray(dryRun)) throw badRequest("the body of the request was not a valid DeleteOptions object");
    for (const d of dryRun) if (d !== "All") throw badRequest(`Invalid dry run value: ${String(d)}`);
  }
  return {
    dryRun: Array.isArray(dryRun) && dryRun.length > 0,
    ...(typeof propagationPolicy === "string" ? { propagationPolicy } : {}),
    ...(typeof gracePeriodSeconds === "number" ? { gracePeriodSeconds } : {}),
    ...(pre && (typeof pre.uid === "string" || typeof pre.resourceVersion === "string")
      ? { preconditions: { ...(typeof pre.uid === "string" ? { uid: pre.uid } : {}), ...(typeof pre.resourceVersion === "string" ? { resourceVersion: pre.resourceVersion } : {}) } }
      : {}),
  };
}

/**
 * A DELETE's preconditions against the live object (the registry's Preconditions.Check): another uid or
 * resourceVersion is a Conflict, in v1.19's words.
 */
function checkPreconditions(live: AnyObject, pre: { uid?: string; resourceVersion?: string }, qualified: string): void {
  const failed = (what: string, want: string, have: string | undefined) =>
    fromKubeError(conflict(qualified, live.metadata.name, `Precondition failed: ${what} in precondition: ${want}, ${what} in object meta: ${have ?? ""}`));
  if (pre.uid !== undefined && pre.uid !== live.metadata.uid) throw failed("UID", pre.uid, live.metadata.uid);
  if (pre.resourceVersion !== undefined && pre.resourceVersion !== live.metadata.resourceVersion) throw failed("ResourceVersion", pre.resourceVersion, live.metadata.resourceVersion);
}

/** The outcome with its value served (times shifted). */
function wrap(out: Outcome<AnyObject>, shift: number): Outcome<unknown> {
  return { ...out, value: shiftTimes(out.value, shift) };
}

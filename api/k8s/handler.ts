// The Kubernetes API of one kubelab cluster, under /k8s/clusters/<clusterId>/ (a path prefix, as multi-cluster
// proxies serve it): (Request, deps) → Response. Auth, then request.ts parses, then discovery / read / write.
import type { AuthConfig } from "../auth.ts";
import type { Context } from "../context.ts";
import { engineOf, findReadableCluster } from "../clusters.ts";
import type { ClusterPrincipal } from "./token.ts";
import { verifyClusterToken } from "./token.ts";
import { parseRequest, type K8sRequest } from "./request.ts";
import { forbidden, fromKubeError, json, notFoundPath, statusResponse, StatusError, unauthorized } from "./status.ts";
import { KubeError } from "../../engine/errors.ts";
import type { Pod } from "../../engine/objects.ts";
import { containerLog } from "../../engine/kubectl/logs.ts";
import { handleWrite } from "./write.ts";
import { openapiResponse } from "./openapi.ts";
import { watch } from "./watch.ts";
import { discovery } from "./discovery.ts";
import { eventList, readResponse } from "./read.ts";
import { servedShift } from "./time.ts";
import { describedBy, logRead, readIsCounted } from "./log.ts";

export interface K8sDeps {
  auth: AuthConfig;
  /** A request context for this principal (app.ts's factory), and giving its engines back once answered. */
  context(request: Request, principal: ClusterPrincipal): Context;
  release(ctx: Context): void;
}

/** A cluster's API under its own prefix (what a kubeconfig's server names)… */
const CLUSTER_PATH = /^\/k8s\/clusters\/([^/]+)(\/.*)?$/;
/**
 * …and at the root, the cluster taken from the token: kubectl before 1.34 drops the server URL's path for
 * `kubectl get --raw /api/…` (kubernetes/kubectl#1676), so a grader's raw read arrives here.
 */
const ROOT_PATH = /^\/(?:api|apis|version|healthz|readyz|livez|openapi)(?:\/.*)?$/;
export const K8S_PREFIX = { test: (path: string) => CLUSTER_PATH.test(path) || ROOT_PATH.test(path) };

/** What a real apiserver shows a request without credentials (system:public-info-viewer): its health and its version. */
const PUBLIC_INFO = /^\/(?:(?:healthz|readyz|livez)(?:\/[a-z0-9-]+)?|version)\/?$/;
const HEALTH = /^\/(healthz|readyz|livez)(\/[a-z0-9-]+)?\/?$/;
const isRead = (method: string) => method === "GET" || method === "HEAD";

/** `ok`, as the apiserver's health checks answer (a HEAD: the same without its body). */
function healthy(method: string): Response {
  return new Response(method === "HEAD" ? null : "ok", { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
}

export async function handleK8s(request: Request, deps: K8sDeps): Promise<Response> {
  const url = new URL(request.url);
  const m = CLUSTER_PATH.exec(url.pathname);
  if (!m && !ROOT_PATH.test(url.pathname)) return statusResponse(notFoundPath());
  const h = request.headers.get("authorization");
  // no credentials at all (a bad token is still refused): the public part, as anyone may read it of a real apiserver
  const path = m ? (m[2] ?? "/") : url.pathname;
  if (h === null && isRead(request.method) && PUBLIC_INFO.test(path)) {
    if (HEALTH.test(path)) return healthy(request.method);
    const version = json(discovery("/version", url.host));
    return request.method === "HEAD" ? new Response(null, { status: version.status, headers: version.headers }) : version;
  }
  const bearer = h ? /^Bearer\s+(\S+)$/i.exec(h.trim())?.[1] : undefined;
  const principal = bearer ? await verifyClusterToken(deps.auth, bearer) : null;
  if (!principal) return statusResponse(unauthorized());
  const clusterId = m ? decodeURIComponent(m[1]) : principal.cluster;
  if (principal.cluster !== clusterId) return statusResponse(forbidden());
  const ctx = deps.context(request, principal);
  try {
    const res = await serve(ctx, request, url, clusterId, path, deps);
    return res;
  } catch (e) {
    if (e instanceof StatusError) return statusResponse(e);
    ctx.log.error("k8s facade: unexpected error", { detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return statusResponse(new StatusError(500, "InternalError", "an error on the server has prevented the request from succeeding"));
  } finally {
    deps.release(ctx);
  }
}

async function serve(ctx: Context, request: Request, url: URL, clusterId: string, rest: string, deps: K8sDeps): Promise<Response> {
  // the apiserver's health checks: `ok` (the cluster's own; a checked name under them is ok too)
  if (isRead(request.method) && HEALTH.test(rest)) {
    if (!(await findReadableCluster(ctx, clusterId))) throw forbidden();
    return healthy(request.method);
  }
  const req = parseRequest(request.method, rest, url.searchParams, request.headers);
  if (req.type === "discovery") {
    if (req.path === "/openapi/v2") return openapiResponse(request.headers.get("accept"));
    const body = discovery(req.path, url.host);
    if (body === undefined) throw notFoundPath();
    return json(body);
  }
  if (req.type === "resource" && req.verb !== "get" && req.verb !== "list" && req.verb !== "watch") return handleWrite(ctx, request, clusterId, req);
  if (req.type === "resource" && req.verb === "watch") {
    if (!(await findReadableCluster(ctx, clusterId))) throw forbidden();
    return watch(ctx, deps.release, clusterId, req, request.signal);
  }
  const row = await findReadableCluster(ctx, clusterId);
  if (!row) throw forbidden();
  const c = engineOf(ctx, row);
  const shift = servedShift(clusterId, c.nowSeconds(), "read");
  if (req.type === "events") {
    const body = eventList(c, req.namespace, req.fieldSelector, shift);
    if (describedBy(req) && row.ownerId === ctx.principal?.sub) await logRead(ctx, clusterId, request, req);
    return json(body);
  }
  const body = readResponse(c, req, shift);
  if (body === undefined) return podLog(c, req);
  if (readIsCounted(req) && row.ownerId === ctx.principal?.sub) await logRead(ctx, clusterId, request, req);
  return json(body);
}

/** A pod's log (GET …/pods/NAME/log): read from the engine, never through a command line made of the request. */
function podLog(c: import("../../engine/index.ts").Cluster, req: Extract<K8sRequest, { type: "resource" }>): Response {
  let text: string;
  try {
    text = containerLog(c.get("Pod", req.name!, req.namespace ?? "default") as Pod, req.container, req.tailLines);
  } catch (e) {
    if (e instanceof KubeError) throw fromKubeError(e);
    throw e;
  }
  return new Response(text, { status: 200, headers: { "content-type": "text/plain" } });
}

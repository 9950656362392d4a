// One place turns a Kubernetes API request (path under /k8s/clusters/<id>, query, headers) into a K8sRequest;
// everything after works on that value.
import { RESOURCES, type ResourceInfo } from "../../engine/resources.ts";
import { badRequest, methodNotAllowed, notFoundPath } from "./status.ts";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export type K8sRequest =
  | { type: "discovery"; path: string }
  | {
      type: "resource";
      verb: Verb;
      res: ResourceInfo;
      namespace?: string;
      name?: string;
      subresource?: string;
      labelSelector?: string;
      fieldSelector?: string;
      limit?: number;
      continue?: string;
      resourceVersion?: string;
      timeoutSeconds?: number;
      dryRun: boolean;
      asTable: boolean;
      includeObject: "None" | "Metadata" | "Object";
      contentType: string;
      propagationPolicy?: string;
      /** pods/log options. */
      container?: string;
      tailLines?: number;
    }
  /** A plain list of core/v1 events, with the field selectors describe sends (involvedObject.*, reason, …). */
  | { type: "events"; namespace?: string; fieldSelector?: string; watch: boolean };

const DISCOVERY = /^\/(version|api|apis|openapi\/v2)\/?$|^\/api\/v1\/?$|^\/apis\/[a-z0-9.-]+(\/v1|\/v1beta1)?\/?$/;

function resourceIn(group: string, version: string, plural: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Does the Accept header ask for a meta.k8s.io Table (kubectl get)? */
export function wantsTable(accept: string | null): boolean {
  return !!accept && accept.split(",").some((a) => /;\s*as=Table/.test(a) && /;\s*g=meta\.k8s\.io/.test(a));
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/**
 * A boolean query parameter as the apiserver converts one (Convert_Slice_string_To_bool): absent is false, and so are
 * "0" and "false" in any case; anything else — `True` (the Python client's), `1`, even an empty value — is true.
 */
function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== "0" && v.toLowerCase() !== "false";
}

/** `rest` is the path after the cluster prefix, starting with `/`. */
export function parseRequest(method: string, rest: string, query: URLSearchParams, headers: Headers): K8sRequest {
  if (method === "GET" && DISCOVERY.test(rest)) return { type: "discovery", path: rest.replace(/\/$/, "") };
  let parts = rest.split("/").filter((p) => p !== "").map(decodeURIComponent);
  let group: string;
  let version: string;
  if (parts[0] === "api" && parts[1] === "v1") {
    group = "";
    version = "v1";
    parts = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    parts = parts.slice(3);
  } else throw notFoundPath();
  let namespace: string | undefined;
  if (parts[0] === "namespaces" && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural, name, subresource, ...extra] = parts;
  if (!plural || extra.length) throw notFoundPath();
  const watch = boolParam(query, "watch");
  // a plain list of events (describe asks for one with an involvedObject field selector); get, watch and the Table
  // that `kubectl get events` asks for take the resource path below
  if (group === "" && plural === "events" && method === "GET" && !name && !watch && !wantsTable(headers.get("accept"))) {
    return { type: "events", namespace, fieldSelector: query.get("fieldSelector") ?? undefined, watch };
  }
  // (`/api/v1/namespaces/<ns>` is the Namespace itself)
  const res = resourceIn(group, version, plural);
  const objName = name;
  if (!res) throw notFoundPath();
  if (namespace !== undefined && !res.namespaced) throw notFoundPath();
  if (subresource && !res.subresources.some((s) => s.name === subresource)) throw notFoundPath();
  let verb: Verb;
  switch (method) {
    case "GET":
      verb = objName ? "get" : watch ? "watch" : "list";
      break;
    case "POST":
      verb = "create";
      if (objName) throw methodNotAllowed();
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = objName ? "delete" : "deletecollection";
      break;
    default:
      throw methodNotAllowed();
  }
  if ((verb === "update" || verb === "patch") && !objName) throw methodNotAllowed();
  if (!res.verbs.includes(verb) && !subresource) throw methodNotAllowed();
  const dryRun = query.getAll("dryRun");
  for (const d of dryRun) if (d !== "All") throw badRequest(`Invalid dry run value: ${d}`); // v1.19: only "All"
  const io = query.get("includeObject") ?? "Metadata";
  if (io !== "None" && io !== "Metadata" && io !== "Object") throw badRequest(`Invalid value for includeObject: ${io}`);
  return {
    type: "resource",
    verb,
    res,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(objName !== undefined ? { name: objName } : {}),
    ...(subresource ? { subresource } : {}),
    labelSelector: query.get("labelSelector") ?? undefined,
    fieldSelector: query.get("fieldSelector") ?? undefined,
    limit: intParam(query, "limit"),
    continue: query.get("continue") ?? undefined,
    resourceVersion: query.get("resourceVersion") ?? undefined,
    timeoutSeconds: intParam(query, "timeoutSeconds"),
    dryRun: dryRun.length > 0,
    asTable: wantsTable(headers.get("accept")),
    includeObject: io,
    contentType: (headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase(),
    container: query.get("container") ?? undefined,
    tailLines: intParam(query, "tailLines"),
  };
}

// Reads a checkpoint can count (a get or describe of a Service or its Endpoints) go into the command log as what
// they were: the method and path, the client (User-Agent), and the kubectl command when the request shows it —
// kubectl ≥ 1.22 sends it (`Kubectl-Command`); for 1.19/1.20 a Table read is a `kubectl get`, and the event list
// of one Service/Endpoints (what only describe asks for) is a `kubectl describe`. The entry changes nothing: it
// has no replay op, and regrading counts it among the commands, not among what it replays.
import type { Context } from "../context.ts";
import { mutateCluster } from "../clusters.ts";
import type { K8sRequest } from "./request.ts";

export const READ_OPERATION = "k8sRead";
const COUNTED = new Set(["services", "endpoints"]);

export function readIsCounted(req: K8sRequest): boolean {
  return req.type === "resource" && (req.verb === "get" || req.verb === "list") && COUNTED.has(req.res.plural) && !req.subresource;
}

/** The event list describe asks for: `involvedObject.kind=Service,involvedObject.name=x,…`. */
export function describedBy(req: K8sRequest): { kind: string; name: string } | undefined {
  if (req.type !== "events" || !req.fieldSelector) return undefined;
  const f = Object.fromEntries(req.fieldSelector.split(",").map((t) => t.split("=", 2) as [string, string]));
  const kind = f["involvedObject.kind"];
  const name = f["involvedObject.name"];
  return (kind === "Service" || kind === "Endpoints") && name ? { kind, name } : undefined;
}

function commandLine(request: Request, req: K8sRequest): string | undefined {
  const header = request.headers.get("kubectl-command");
  const ua = request.headers.get("user-agent") ?? "";
  if (!header && !ua.startsWith("kubectl/")) return undefined;
  const ns = (n: string | undefined) => (n && n !== "default" ? ` -n ${n}` : "");
  const d = describedBy(req);
  if (d) return `${header ?? "kubectl describe"} ${d.kind === "Service" ? "services" : "endpoints"}/${d.name}${ns(req.type === "events" ? req.namespace : undefined)}`;
  if (req.type !== "resource") return undefined;
  const target = `${req.res.plural}${req.name ? `/${req.name}` : ""}${ns(req.namespace)}${req.labelSelector ? ` -l '${req.labelSelector}'` : ""}`;
  if (header) return `${header} ${target}`;
  return req.asTable ? `kubectl get ${target}` : undefined;
}

export async function logRead(ctx: Context, clusterId: string, request: Request, req: K8sRequest): Promise<void> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/^\/k8s\/clusters\/[^/]+/, "") + url.search;
  const ua = (request.headers.get("user-agent") ?? "").slice(0, 120);
  const what = `${request.method} ${decodeURIComponent(path)}${ua ? ` (${ua})` : ""}`;
  const line = commandLine(request, req);
  await mutateCluster(ctx, clusterId, READ_OPERATION, () => ({ value: null, input: line ? `${line}  # ${what}` : what }));
}

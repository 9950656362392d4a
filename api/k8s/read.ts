// Reads: get, list (label and field selectors, limit/continue), the Table form, events for describe, pods' log.
// Everything served passes through time.ts's shift.
import type { Cluster } from "../../engine/index.ts";
import type { AnyObject, Pod } from "../../engine/objects.ts";
import { parseSelector, SelectorParseError } from "../../engine/labels/index.ts";
import { KubeError } from "../../engine/errors.ts";
import { fieldSelectorFilter } from "../../engine/field-selectors.ts";
import type { K8sRequest } from "./request.ts";
import { badRequest, fromKubeError } from "./status.ts";
import { toTable } from "./table.ts";
import { shiftTimes } from "./time.ts";

type ResourceRequest = Extract<K8sRequest, { type: "resource" }>;



/** A bad label selector is a 400 with the parser's (upstream's) words; the engine filters by it (Cluster.list). */
function checkLabelSelector(text: string | undefined): void {
  if (!text || !text.trim()) return;
  try {
    parseSelector(text);
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(e.message);
    throw e;
  }
}

interface ListPage {
  items: AnyObject[];
  continue?: string;
  remaining?: number;
}

/** Where an object is in its list: the list's own order (compareObjects: namespace, then name; events by key). */
type Position = { ns: string; name: string };
const positionOf = (o: AnyObject): Position => ({ ns: o.metadata.namespace ?? "", name: o.metadata.name });
function after(kind: string, a: Position, b: Position): boolean {
  if (kind === "Event") return `${a.ns}/${a.name}` > `${b.ns}/${b.name}`;
  return a.ns !== b.ns ? a.ns > b.ns : a.name > b.name;
}

/**
 * One page of a list. The continue token carries the first page's resourceVersion and the namespace and name of the
 * last object served (as the apiserver's carries its key): the next page starts after that object, so objects deleted
 * or added between two pages move no other object out of the listing. (The apiserver reads every page from the first
 * page's snapshot; the engine keeps no old states, so a later page shows objects as they are now.)
 */
function page(kind: string, all: AnyObject[], limit: number | undefined, token: string | undefined, rv: string): ListPage & { rv: string } {
  let start = 0;
  let listRv = rv;
  if (token) {
    let parsed: { rv?: unknown; ns?: unknown; name?: unknown } | undefined;
    try {
      parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed.ns !== "string" || typeof parsed.name !== "string" || typeof parsed.rv !== "string") throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
    const last = { ns: parsed.ns, name: parsed.name };
    start = all.findIndex((o) => after(kind, positionOf(o), last));
    if (start < 0) start = all.length;
    listRv = parsed.rv;
  }
  if (!limit || start + limit >= all.length) return { items: all.slice(start), rv: listRv };
  const next = start + limit;
  const token2 = Buffer.from(JSON.stringify({ rv: listRv, ...positionOf(all[next - 1]) })).toString("base64url");
  return { items: all.slice(start, next), continue: token2, remaining: all.length - next, rv: listRv };
}

export function listObjects(c: Cluster, req: ResourceRequest): AnyObject[] {
  checkLabelSelector(req.labelSelector);
  try {
    const keep = fieldSelectorFilter(req.res.kind, req.fieldSelector);
    const objs = c.list(req.res.kind, { namespace: req.namespace, selector: req.labelSelector });
    return keep ? objs.filter(keep) : objs;
  } catch (e) {
    if (e instanceof KubeError) throw fromKubeError(e);
    throw e;
  }
}

export function getObject(c: Cluster, req: ResourceRequest): AnyObject {
  try {
    return c.get(req.res.kind, req.name!, req.res.namespaced ? (req.namespace ?? "default") : undefined);
  } catch (e) {
    if (e instanceof KubeError) throw fromKubeError(e);
    throw e;
  }
}

export function readResponse(c: Cluster, req: ResourceRequest, shift: number): unknown {
  const rv = String(c.state.rv);
  if (req.verb === "get") {
    if (req.subresource === "log") return undefined;
    const obj = getObject(c, req);
    if (req.subresource === "scale") return scaleOf(obj, shift);
    if (req.asTable) return toTable(req.res.kind, [obj], [shiftTimes(obj, shift)], c.nowSeconds(), req.includeObject, { resourceVersion: obj.metadata.resourceVersion });
    return shiftTimes(obj, shift);
  }
  const all = listObjects(c, req);
  const p = page(req.res.kind, all, req.limit, req.continue, rv);
  const meta: Record<string, unknown> = { resourceVersion: p.rv };
  if (p.continue) Object.assign(meta, { continue: p.continue, remainingItemCount: p.remaining });
  const served = p.items.map((o) => shiftTimes(o, shift));
  if (req.asTable) return toTable(req.res.kind, p.items, served, c.nowSeconds(), req.includeObject, meta);
  return listBody(req.res.kind, req.res.apiVersion, meta, served);
}

/** A `<Kind>List` answer: its items (already served: times shifted) without kind/apiVersion, as v1.19 sends them. */
export function listBody(kind: string, apiVersion: string, metadata: Record<string, unknown>, served: readonly AnyObject[]): Record<string, unknown> {
  const items = served.map((o) => {
    const { kind: _k, apiVersion: _a, ...rest } = o as unknown as Record<string, unknown>;
    return rest;
  });
  return { kind: `${kind}List`, apiVersion, metadata, items };
}

export function scaleOf(obj: AnyObject, shift: number): Record<string, unknown> {
  const o = obj as unknown as { spec: { replicas: number; selector?: unknown }; status?: { replicas?: number }; metadata: AnyObject["metadata"] };
  const m = shiftTimes(o.metadata, shift);
  const sel = (o.spec.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: o.spec.replicas },
    status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(",") },
  };
}

/** core/v1 Events (engine/events.ts) by the field selectors describe and clients send. */
export function eventList(c: Cluster, namespace: string | undefined, fieldSelector: string | undefined, shift: number): unknown {
  let keep: ((o: AnyObject) => boolean) | undefined;
  try {
    keep = fieldSelectorFilter("Event", fieldSelector);
  } catch (e) {
    if (e instanceof KubeError) throw fromKubeError(e);
    throw e;
  }
  const served = c
    .list("Event", { namespace })
    .filter((ev) => !keep || keep(ev))
    .map((ev) => shiftTimes(ev, shift));
  return listBody("Event", "v1", { resourceVersion: String(c.state.rv) }, served);
}

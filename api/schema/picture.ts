// The cluster picture of the lab page and the grade book: one compact read of what the page draws (nodes, pods,
// Services with their Endpoints, the last request's path), for a cluster now (`Cluster.picture`) or at the end of
// a lab attempt (`LabAttempt.picture`). Data: api/picture.ts.
import { builder } from "../builder.ts";
import type { Cluster, Endpoints, Node, Pod, RequestSource, Service } from "../../engine/index.ts";
import { attemptPicture, clusterPicture, type Picture, type PicturedRequest } from "../picture.ts";
import { ClusterRef } from "./cluster.ts";
import { EndpointsRef, NodeRef, PodRef, RequestResponseRef, ServiceRef } from "./kube.ts";

function sourceName(s: RequestSource): string {
  if (s.kind === "pod") return `pod/${s.namespace ?? "default"}/${s.pod}`;
  if (s.kind === "external") return s.ip ? `external/${s.ip}` : "external";
  return `node/${s.node}`;
}

const PicturedRequestRef = builder.objectRef<PicturedRequest>("PicturedRequest").implement({
  description: "The last request sent in the cluster's current run (by curl, wget, mysql or sendRequests), as the network routed it.",
  fields: (t) => ({
    seq: t.exposeInt("seq", { description: "The command-log entry (cluster version) that sent it." }),
    command: t.string({ description: "The terminal line (or sendRequests' description) that sent it.", resolve: (r) => r.line }),
    host: t.string({ nullable: true, description: "Where the line ran.", resolve: (r) => r.host }),
    from: t.string({ description: "The client: `node/<name>`, `pod/<namespace>/<name>`, `external` or `external/<ip>`.", resolve: (r) => sourceName(r.request.from) }),
    url: t.string({ description: "What was asked for: host[:port]path.", resolve: (r) => `${r.request.host}${r.request.port ? `:${r.request.port}` : ""}${r.request.path ?? "/"}` }),
    response: t.field({ type: RequestResponseRef, description: "The answer, the client IP the backend saw (SNAT) and the hop-by-hop trace (DNAT rules).", resolve: (r) => r.result }),
  }),
});

/**
 * The student's objects of `kind`: every namespace but kube-system (the cluster's own add-ons, which `kubectl get`
 * leaves out too). The engine copies every object it lists and kube-system holds most of a lab cluster's pods, so
 * they are left out before the copy; the picture is resolved again after every command of a watched cluster.
 */
function students<T>(engine: Cluster, kind: "Pod" | "Service" | "Endpoints"): T[] {
  return engine.list(kind, { exceptNamespace: "kube-system" }) as T[];
}

const ClusterPictureRef = builder.objectRef<Picture>("ClusterPicture").implement({
  description:
    "What the cluster picture draws, in every namespace but kube-system (the cluster's own add-ons): nodes, pods, Services and Endpoints, and the last request's path.",
  fields: (t) => ({
    version: t.exposeInt("version", { description: "The cluster version pictured." }),
    now: t.string({ description: "The cluster's virtual clock (RFC 3339).", resolve: (p) => p.engine.now() }),
    nodes: t.field({ type: [NodeRef], resolve: (p) => p.engine.list("Node") as Node[] }),
    pods: t.field({ type: [PodRef], resolve: (p) => students<Pod>(p.engine, "Pod") }),
    services: t.field({ type: [ServiceRef], resolve: (p) => students<Service>(p.engine, "Service") }),
    endpoints: t.field({ type: [EndpointsRef], resolve: (p) => students<Endpoints>(p.engine, "Endpoints") }),
    lastRequest: t.field({ type: PicturedRequestRef, nullable: true, description: "Null when no request was sent since the cluster started (or was reset).", resolve: (p) => p.lastRequest }),
  }),
});

builder.objectField(ClusterRef, "picture", (t) =>
  t.field({
    type: ClusterPictureRef,
    description: "The cluster now, as the lab page draws it (one read for the picture; refresh it on clusterChanged).",
    resolve: (row, _a, ctx) => clusterPicture(ctx, row),
  }),
);

builder.prismaObjectField("LabAttempt", "picture", (t) =>
  t.field({
    type: ClusterPictureRef,
    nullable: true,
    description: "The cluster at the end of the attempt (the version graded at submit; an open attempt: now), rebuilt from its command log. Null when the cluster is gone.",
    resolve: (a, _args, ctx) => attemptPicture(ctx, a),
  }),
);

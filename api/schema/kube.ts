// Kubernetes objects as the API shows them: each with name, labels and its natural fields, plus the whole object.
import { builder } from "../builder.ts";
import type { Deployment, Endpoints, EndpointAddress, KubeEvent, Node, Pod, Service, ServicePort, TraceHop, RequestResult } from "../../engine/index.ts";

export const PodRef = builder.objectRef<Pod>("Pod").implement({
  fields: (t) => ({
    name: t.string({ resolve: (o) => o.metadata.name }),
    namespace: t.string({ resolve: (o) => o.metadata.namespace ?? "default" }),
    labels: t.field({ type: "JSON", resolve: (o) => o.metadata.labels ?? {} }),
    ip: t.string({ nullable: true, description: "status.podIP", resolve: (o) => o.status.podIP ?? null }),
    node: t.string({ nullable: true, description: "spec.nodeName", resolve: (o) => o.spec.nodeName ?? null }),
    hostIP: t.string({ nullable: true, resolve: (o) => o.status.hostIP ?? null }),
    ready: t.boolean({ description: "The Ready condition is True.", resolve: (o) => !!o.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") }),
    phase: t.string({ resolve: (o) => o.status.phase }),
    terminating: t.boolean({
      description: "Deletion has started (metadata.deletionTimestamp): kubectl shows Terminating until the grace period ends; it is out of every Endpoints already.",
      resolve: (o) => !!o.metadata.deletionTimestamp,
    }),
    restarts: t.int({ resolve: (o) => (o.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0) }),
    images: t.stringList({ resolve: (o) => o.spec.containers.map((c) => c.image) }),
    createdAt: t.string({ resolve: (o) => o.metadata.creationTimestamp }),
    object: t.field({ type: "JSON", description: "The whole v1 Pod.", resolve: (o) => o }),
  }),
});

const ServicePortRef = builder.objectRef<ServicePort>("ServicePort").implement({
  fields: (t) => ({
    name: t.string({ nullable: true, resolve: (p) => p.name ?? null }),
    protocol: t.string({ resolve: (p) => p.protocol }),
    port: t.int({ resolve: (p) => p.port }),
    targetPort: t.string({ description: "A number or a named port.", resolve: (p) => String(p.targetPort) }),
    nodePort: t.int({ nullable: true, resolve: (p) => p.nodePort ?? null }),
  }),
});

export const ServiceRef = builder.objectRef<Service>("Service").implement({
  fields: (t) => ({
    name: t.string({ resolve: (o) => o.metadata.name }),
    namespace: t.string({ resolve: (o) => o.metadata.namespace ?? "default" }),
    labels: t.field({ type: "JSON", resolve: (o) => o.metadata.labels ?? {} }),
    type: t.string({ resolve: (o) => o.spec.type }),
    clusterIP: t.string({ nullable: true, resolve: (o) => o.spec.clusterIP ?? null }),
    externalIPs: t.stringList({ resolve: (o) => o.spec.externalIPs ?? [] }),
    externalName: t.string({ nullable: true, resolve: (o) => o.spec.externalName ?? null }),
    loadBalancerIPs: t.stringList({ resolve: (o) => (o.status.loadBalancer.ingress ?? []).map((i) => i.ip ?? i.hostname ?? "").filter(Boolean) }),
    selector: t.field({ type: "JSON", nullable: true, resolve: (o) => o.spec.selector ?? null }),
    ports: t.field({ type: [ServicePortRef], resolve: (o) => o.spec.ports ?? [] }),
    sessionAffinity: t.string({ resolve: (o) => o.spec.sessionAffinity }),
    createdAt: t.string({ resolve: (o) => o.metadata.creationTimestamp }),
    object: t.field({ type: "JSON", description: "The whole v1 Service.", resolve: (o) => o }),
  }),
});

const EndpointAddressRef = builder.objectRef<EndpointAddress>("EndpointAddress").implement({
  fields: (t) => ({
    ip: t.string({ resolve: (a) => a.ip }),
    nodeName: t.string({ nullable: true, resolve: (a) => a.nodeName ?? null }),
    pod: t.string({ nullable: true, description: "targetRef name when it is a Pod.", resolve: (a) => (a.targetRef?.kind === "Pod" ? a.targetRef.name : null) }),
  }),
});

const EndpointPortRef = builder.objectRef<{ name?: string; port: number; protocol: string }>("EndpointPort").implement({
  fields: (t) => ({
    name: t.string({ nullable: true, resolve: (p) => p.name ?? null }),
    port: t.int({ resolve: (p) => p.port }),
    protocol: t.string({ resolve: (p) => p.protocol }),
  }),
});

export const EndpointsRef = builder.objectRef<Endpoints>("Endpoints").implement({
  fields: (t) => ({
    name: t.string({ resolve: (o) => o.metadata.name }),
    namespace: t.string({ resolve: (o) => o.metadata.namespace ?? "default" }),
    labels: t.field({ type: "JSON", resolve: (o) => o.metadata.labels ?? {} }),
    addresses: t.field({ type: [EndpointAddressRef], resolve: (o) => (o.subsets ?? []).flatMap((s) => s.addresses ?? []) }),
    notReadyAddresses: t.field({ type: [EndpointAddressRef], resolve: (o) => (o.subsets ?? []).flatMap((s) => s.notReadyAddresses ?? []) }),
    ports: t.field({ type: [EndpointPortRef], resolve: (o) => (o.subsets ?? []).flatMap((s) => s.ports ?? []) }),
    object: t.field({ type: "JSON", description: "The whole v1 Endpoints.", resolve: (o) => o }),
  }),
});

export const DeploymentRef = builder.objectRef<Deployment>("Deployment").implement({
  fields: (t) => ({
    name: t.string({ resolve: (o) => o.metadata.name }),
    namespace: t.string({ resolve: (o) => o.metadata.namespace ?? "default" }),
    labels: t.field({ type: "JSON", resolve: (o) => o.metadata.labels ?? {} }),
    replicas: t.int({ resolve: (o) => o.spec.replicas }),
    readyReplicas: t.int({ resolve: (o) => o.status.readyReplicas ?? 0 }),
    availableReplicas: t.int({ resolve: (o) => o.status.availableReplicas ?? 0 }),
    updatedReplicas: t.int({ resolve: (o) => o.status.updatedReplicas ?? 0 }),
    selector: t.field({ type: "JSON", resolve: (o) => o.spec.selector }),
    images: t.stringList({ resolve: (o) => o.spec.template.spec.containers.map((c) => c.image) }),
    object: t.field({ type: "JSON", description: "The whole apps/v1 Deployment.", resolve: (o) => o }),
  }),
});

export const NodeRef = builder.objectRef<Node>("ClusterNode").implement({
  fields: (t) => ({
    name: t.string({ resolve: (o) => o.metadata.name }),
    labels: t.field({ type: "JSON", resolve: (o) => o.metadata.labels ?? {} }),
    internalIP: t.string({ nullable: true, resolve: (o) => o.status.addresses.find((a) => a.type === "InternalIP")?.address ?? null }),
    podCIDR: t.string({ resolve: (o) => o.spec.podCIDR }),
    ready: t.boolean({ resolve: (o) => o.status.conditions.some((c) => c.type === "Ready" && c.status === "True") }),
    roles: t.stringList({
      resolve: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((k) => k.startsWith("node-role.kubernetes.io/"))
          .map((k) => k.slice("node-role.kubernetes.io/".length)),
    }),
    taints: t.field({ type: "JSON", resolve: (o) => o.spec.taints ?? [] }),
    object: t.field({ type: "JSON", description: "The whole v1 Node.", resolve: (o) => o }),
  }),
});

export const EventRef = builder.objectRef<KubeEvent>("Event").implement({
  fields: (t) => ({
    namespace: t.string({ resolve: (e) => e.namespace }),
    type: t.string({ resolve: (e) => e.type }),
    reason: t.string({ resolve: (e) => e.reason }),
    message: t.string({ resolve: (e) => e.message }),
    object: t.string({ description: "kind/name, as `kubectl get events` shows it.", resolve: (e) => `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}` }),
    source: t.string({ resolve: (e) => e.source }),
    count: t.int({ resolve: (e) => e.count }),
    firstTimestamp: t.string({ resolve: (e) => e.firstTimestamp }),
    lastTimestamp: t.string({ resolve: (e) => e.lastTimestamp }),
  }),
});

export interface ResourceView {
  kind: string;
  name: string;
  namespace: string | null;
  object: unknown;
  yaml: string;
}

export const ResourceRef = builder.objectRef<ResourceView>("Resource").implement({
  description: "One object, as `kubectl get -o yaml` / `-o json` would give it.",
  fields: (t) => ({
    kind: t.exposeString("kind"),
    name: t.exposeString("name"),
    namespace: t.exposeString("namespace", { nullable: true }),
    json: t.field({ type: "JSON", resolve: (r) => r.object }),
    yaml: t.exposeString("yaml"),
  }),
});

// ---- request results (sendRequests) ----
const TraceHopRef = builder.objectRef<TraceHop>("TraceHop").implement({
  fields: (t) => ({
    at: t.exposeString("at"),
    rule: t.exposeString("rule"),
    detail: t.string({ nullable: true, resolve: (h) => h.detail ?? null }),
  }),
});

type ServedBy = NonNullable<RequestResult["servedBy"]>;
const ServedByRef = builder.objectRef<ServedBy>("ServedBy").implement({
  fields: (t) => ({
    kind: t.string({ description: "pod, external or node", resolve: (s) => s.kind }),
    name: t.exposeString("name"),
    namespace: t.string({ nullable: true, resolve: (s) => s.namespace ?? null }),
    node: t.string({ nullable: true, resolve: (s) => s.node ?? null }),
    ip: t.exposeString("ip"),
    port: t.exposeInt("port"),
  }),
});

const NetErrorRef = builder.objectRef<NonNullable<RequestResult["error"]>>("NetworkError").implement({
  fields: (t) => ({
    code: t.string({ description: "resolve, refused, timeout or unreachable", resolve: (e) => e.code }),
    message: t.exposeString("message"),
  }),
});

export const RequestResponseRef = builder.objectRef<RequestResult>("RequestResponse").implement({
  fields: (t) => ({
    ok: t.exposeBoolean("ok"),
    status: t.int({ nullable: true, resolve: (r) => r.status ?? null }),
    statusText: t.string({ nullable: true, resolve: (r) => r.statusText ?? null }),
    body: t.string({ nullable: true, resolve: (r) => r.body ?? null }),
    headers: t.field({ type: "JSON", nullable: true, resolve: (r) => r.headers ?? null }),
    error: t.field({ type: NetErrorRef, nullable: true, resolve: (r) => r.error ?? null }),
    dest: t.string({ description: "ip:port the client connected to", resolve: (r) => `${r.dest.ip}:${r.dest.port}` }),
    servedBy: t.field({ type: ServedByRef, nullable: true, resolve: (r) => r.servedBy ?? null }),
    clientIP: t.string({ nullable: true, description: "The source IP as the backend saw it (after any SNAT).", resolve: (r) => r.clientIP ?? null }),
    service: t.string({ nullable: true, description: "namespace/name of the Service that handled it", resolve: (r) => (r.service ? `${r.service.namespace}/${r.service.name}` : null) }),
    trace: t.field({ type: [TraceHopRef], resolve: (r) => r.trace }),
  }),
});

export interface BackendCount {
  backend: string;
  kind: string | null;
  name: string | null;
  namespace: string | null;
  node: string | null;
  count: number;
}

export const BackendCountRef = builder.objectRef<BackendCount>("BackendCount").implement({
  description: "How many of the requests one backend served (`error:<code>` for requests that failed).",
  fields: (t) => ({
    backend: t.exposeString("backend"),
    kind: t.exposeString("kind", { nullable: true }),
    name: t.exposeString("name", { nullable: true }),
    namespace: t.exposeString("namespace", { nullable: true }),
    node: t.exposeString("node", { nullable: true }),
    count: t.exposeInt("count"),
  }),
});

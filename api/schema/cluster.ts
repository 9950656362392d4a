// A student's cluster: the database row plus views into its engine state. Queries: cluster(id), myClusters.
import { createGraphQLError } from "graphql-yoga";
import { stringify } from "yaml";
import { builder } from "../builder.ts";
import { engineOf, findReadableCluster, requirePrincipal } from "../clusters.ts";
import { resolveResource, SelectorParseError, KubeError, type Cluster, type Kind, type Pod, type Service, type Deployment, type Endpoints, type Node } from "../../engine/index.ts";
import { kubeconfigFor } from "../k8s/kubeconfig.ts";
import { DeploymentRef, EndpointsRef, EventRef, NodeRef, PodRef, ResourceRef, ServiceRef } from "./kube.ts";

function userInput(message: string) {
  return createGraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

function listKind<T>(c: Cluster, kind: Kind, args: { selector?: string | null; namespace?: string | null; allNamespaces?: boolean | null }): T[] {
  try {
    return c.list(kind, {
      namespace: args.allNamespaces ? undefined : (args.namespace ?? "default"),
      selector: args.selector ?? undefined,
    }) as T[];
  } catch (e) {
    if (e instanceof SelectorParseError) throw userInput(`invalid selector: ${e.message}`);
    throw e;
  }
}

export const CommandLogEntryRef = builder.prismaNode("CommandLog", {
  name: "CommandLogEntry",
  id: { field: "clusterId_seq" },
  description: "One mutation of a cluster, append-only: the terminal history and audit log.",
  fields: (t) => ({
    seq: t.exposeInt("seq", { description: "The cluster version this entry produced." }),
    at: t.expose("at", { type: "DateTime" }),
    virtualTime: t.exposeString("virtualTime", { description: "The cluster's virtual clock after the mutation." }),
    actor: t.exposeString("actorId"),
    operation: t.exposeString("operation"),
    input: t.exposeString("input"),
    host: t.exposeString("host", { nullable: true, description: "exec: where the line ran." }),
    stdin: t.exposeString("stdin", { nullable: true }),
    stdout: t.exposeString("stdout"),
    stderr: t.exposeString("stderr"),
    exitCode: t.exposeInt("exitCode"),
  }),
});

type SelArgs = { selector?: string | null; namespace?: string | null; allNamespaces?: boolean | null };
// biome-ignore lint: the same three args on four fields
const selectorArgs = (t: { arg: { string: (o?: object) => any; boolean: (o?: object) => any } }) => ({
  selector: t.arg.string({ required: false, description: "Label selector, as kubectl -l takes it: `app=demoapp,tier notin (db)`." }),
  namespace: t.arg.string({ required: false, description: "Default: default." }),
  allNamespaces: t.arg.boolean({ required: false, defaultValue: false }),
});

export const ClusterRef = builder.prismaObject("Cluster", {
  description: "A simulated Kubernetes v1.19 cluster owned by one user.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    labSlug: t.exposeString("labSlug", { nullable: true }),
    courseId: t.exposeString("courseId", { nullable: true }),
    owner: t.exposeString("ownerId"),
    seed: t.exposeInt("seed"),
    version: t.exposeInt("version", { description: "Bumped by every mutation (optimistic concurrency)." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    deleted: t.boolean({ resolve: (r) => r.deletedAt !== null }),
    now: t.string({ description: "The cluster's virtual clock (RFC 3339).", resolve: (r, _a, ctx) => engineOf(ctx, r).now() }),
    kubeconfig: t.string({
      description:
        "A kubeconfig for your own kubectl (or any Kubernetes client): this cluster's Kubernetes API on this server (`<origin>/k8s/clusters/<id>`), with a token for you and this cluster only, valid for 7 days. kubectl sends tokens only over https.",
      resolve: (r, _a, ctx) => kubeconfigFor(ctx.auth!, ctx.origin!, { id: r.id, name: r.name }, requirePrincipal(ctx)),
    }),
    nodes: t.field({ type: [NodeRef], resolve: (r, _a, ctx) => engineOf(ctx, r).list("Node") as Node[] }),
    pods: t.field({ type: [PodRef], args: selectorArgs(t), resolve: (r, a, ctx) => listKind<Pod>(engineOf(ctx, r), "Pod",  a as SelArgs) }),
    services: t.field({ type: [ServiceRef], args: selectorArgs(t), resolve: (r, a, ctx) => listKind<Service>(engineOf(ctx, r), "Service",  a as SelArgs) }),
    deployments: t.field({ type: [DeploymentRef], args: selectorArgs(t), resolve: (r, a, ctx) => listKind<Deployment>(engineOf(ctx, r), "Deployment",  a as SelArgs) }),
    endpoints: t.field({ type: [EndpointsRef], args: selectorArgs(t), resolve: (r, a, ctx) => listKind<Endpoints>(engineOf(ctx, r), "Endpoints",  a as SelArgs) }),
    resource: t.field({
      type: ResourceRef,
      nullable: true,
      description: "One object by kind (any name kubectl accepts: po, svc, deploy, ep...) and name; null when absent.",
      args: { kind: t.arg.string({ required: true }), name: t.arg.string({ required: true }), namespace: t.arg.string({ required: false }) },
      resolve: (r, a, ctx) => {
        const info = resolveResource(a.kind);
        if (!info) throw userInput(`the server doesn't have a resource type "${a.kind}"`);
        const ns = info.namespaced ? (a.namespace ?? "default") : undefined;
        try {
          const obj = engineOf(ctx, r).get(info.kind, a.name, ns);
          return { kind: info.kind, name: a.name, namespace: ns ?? null, object: obj, yaml: stringify(obj) };
        } catch (e) {
          if (e instanceof KubeError && e.reason === "NotFound") return null;
          throw e;
        }
      },
    }),
    events: t.field({
      type: [EventRef],
      args: { namespace: t.arg.string({ required: false }), limit: t.arg.int({ required: false, defaultValue: 100 }) },
      description: "Recent events, oldest first (the last `limit`).",
      resolve: (r, a, ctx) => {
        const all = engineOf(ctx, r).events(a.namespace ?? undefined);
        const n = Math.max(0, Math.min(a.limit ?? 100, 1000));
        return all.slice(Math.max(0, all.length - n));
      },
    }),
    commandLog: t.relatedConnection("log", {
      cursor: "clusterId_seq",
      totalCount: true,
      description: "Every mutation of this cluster, oldest first (`last: 20` for the most recent).",
      query: () => ({ orderBy: { seq: "asc" as const } }),
    }),
  }),
});

builder.queryFields((t) => ({
  cluster: t.prismaField({
    type: "Cluster",
    nullable: true,
    authScopes: { loggedIn: true },
    description: "Your cluster (or, for instructors and graders, one in your course). Null when it does not exist or is not yours.",
    args: { id: t.arg.id({ required: true }) },
    // The row by the hot path's one statement (not Prisma's query): a lab frontend reads its cluster after every
    // command. Relations asked for (commandLog) are loaded by the Prisma plugin from the row's id.
    resolve: (_query, _root, args, ctx) => findReadableCluster(ctx, String(args.id)),
  }),
  myClusters: t.prismaField({
    type: ["Cluster"],
    authScopes: { loggedIn: true },
    description: "Your live clusters, oldest first.",
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.cluster.findMany({ ...query, where: { ownerId: requirePrincipal(ctx).sub, deletedAt: null }, orderBy: { createdAt: "asc" } }),
  }),
}));

export { findReadableCluster };

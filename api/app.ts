// createApp(env): the GraphQL API as one fetch handler (graphql-yoga), the same under Node (api/server.ts), Workers
// (api/worker.ts) and tests (yoga.fetch).
import { createGraphQLError, createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import type { PrismaClient } from "./generated/prisma/client.ts";
import { authenticate, AuthError, DEFAULT_AUDIENCE, DEFAULT_ISSUER, type AuthConfig, type Principal } from "./auth.ts";
import type { Context, Logger } from "./context.ts";
import { EMPTY_CATALOG, type LabCatalog } from "./labs.ts";
import { DEFAULT_LIMITS, type Limits } from "./limits.ts";
import { getSchema } from "./schema/index.ts";
import { createSerializer } from "./clusters.ts";
import { prismaSql, type SqlClient } from "./db/sql.ts";
import { EngineCache } from "./engine-cache.ts";
import { VersionWatch } from "./version-watch.ts";
import { POLL_MS } from "./events.ts";
import { useBodyLimit } from "./body-limit.ts";
import type { GradePool } from "./grade-jobs.ts";
import { SaveBatcher } from "./db/save-batcher.ts";
import { handleK8s, K8S_PREFIX } from "./k8s/handler.ts";
import { useWebAssets, type WebAssets } from "./web-assets.ts";
import { forgetRequestCaches } from "./request-caches.ts";

export interface AppEnv {
  /** The database: one client (Node), or one per request (Workers). */
  prisma: PrismaClient | ((request: Request) => PrismaClient);
  /**
   * The same database for the hot statements (cluster mutations, batch grading), when there is a faster route to it
   * than Prisma's raw queries (Node on a PostgreSQL server: api/db/pg-sql.ts). Default: through `prisma`.
   */
  sql?: SqlClient | ((request: Request) => SqlClient);
  jwtSecret: string;
  jwtIssuer?: string;
  jwtAudience?: string;
  /** Production: errors masked, no GraphiQL, no field suggestions. */
  production?: boolean;
  labs?: LabCatalog;
  limits?: Partial<Limits>;
  logger?: Logger;
  /** The hydrated-cluster cache (default: a new one of `limits.engineCache` clusters); tests pass one to inspect it. */
  engineCache?: EngineCache;
  /** Batch grading in parallel (api/node/grade-pool.ts under Node); default: in the request's thread. */
  gradePool?: GradePool;
  /**
   * Group commit of mutation saves (api/db/save-batcher.ts), on the database client all requests share (default: a
   * new one on `sql`, or on `prisma`); tests and benchmarks pass one to inspect or tune it. With a client per
   * request (Workers), each request batches only its own saves.
   */
  saves?: SaveBatcher;
  /** Override GraphiQL (default: on outside production). */
  graphiql?: boolean;
  /** GraphiQL's page from a package instead of yoga's CDN one (api/server.ts: @graphql-yoga/render-graphiql). */
  renderGraphiQL?: (opts: Record<string, unknown>) => string;
  /** The web lab's files (api/web-assets.ts), served at `/`, `/labs/…`, `/teach…` and `/assets/…`. */
  web?: WebAssets;
}

export type App = YogaServerInstance<Record<string, unknown>, Context>;

export const jsonLogger: Logger = {
  info: (msg, f) => console.log(JSON.stringify({ level: "info", msg, ...f })),
  warn: (msg, f) => console.warn(JSON.stringify({ level: "warn", msg, ...f })),
  error: (msg, f) => console.error(JSON.stringify({ level: "error", msg, ...f })),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

const FIRST_QUERY = `# kubelab: your simulated Kubernetes cluster.
# 1. Create a cluster (run this), then copy its id into the next mutations.
mutation Create {
  createCluster(input: { name: "lab1" }) {
    ... on CreateClusterPayload { cluster { id name now nodes { name internalIP ready } } }
    ... on Error { message }
  }
}

# 2. Run the course's first commands in the lab terminal.
mutation Exec($id: ID!) {
  exec(input: { clusterId: $id, command: "kubectl get nodes -o wide" }) {
    ... on ExecPayload { stdout stderr exitCode }
    ... on Error { message }
  }
}
`;

/**
 * Once an operation's resolvers are all done, the engines its request took from the cache (or parsed and saved) may
 * serve the next one; a subscription gives back after each event it resolved, and when it ends.
 */
function giveBackEngines(release: (ctx: Partial<Context>) => void): Plugin<Record<string, unknown>> {
  const giveBack = (contextValue: unknown) => {
    release(contextValue as Partial<Context>);
    forgetRequestCaches(contextValue as object);
  };
  return {
    onExecute({ args }) {
      return { onExecuteDone: () => giveBack(args.contextValue) };
    },
    onSubscribe({ args }) {
      return {
        onSubscribeResult: () => ({ onNext: () => giveBack(args.contextValue), onEnd: () => giveBack(args.contextValue) }),
        onSubscribeError: () => giveBack(args.contextValue),
      };
    },
  };
}

/** The origin a client used, as a proxy in front reports it (X-Forwarded-Proto/Host), else the request URL's. */
function originOf(request: Request): string {
  const url = new URL(request.url);
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0].trim();
  const host = request.headers.get("x-forwarded-host")?.split(",")[0].trim();
  return `${proto && /^https?$/.test(proto) ? proto : url.protocol.slice(0, -1)}://${host && /^[\w.:[\]-]+$/.test(host) ? host : url.host}`;
}

export function createApp(env: AppEnv): App {
  if (!env.jwtSecret) throw new Error("createApp: jwtSecret is required");
  const auth: AuthConfig = { secret: env.jwtSecret, issuer: env.jwtIssuer ?? DEFAULT_ISSUER, audience: env.jwtAudience ?? DEFAULT_AUDIENCE };
  const limits: Limits = { ...DEFAULT_LIMITS, ...env.limits };
  const log = env.logger ?? jsonLogger;
  const labs = env.labs ?? EMPTY_CATALOG;
  const production = env.production ?? false;
  const prismaFor = typeof env.prisma === "function" ? env.prisma : () => env.prisma as PrismaClient;
  // One SqlClient for every request when the database client is shared (Node): its saves are batched together.
  const sharedSql = typeof env.sql === "object" ? env.sql : env.sql === undefined && typeof env.prisma === "object" ? prismaSql(env.prisma) : undefined;
  const sqlFor: (request: Request, prisma: PrismaClient) => SqlClient =
    sharedSql ? () => sharedSql : typeof env.sql === "function" ? env.sql : (_request, prisma) => prismaSql(prisma);
  const sharedSaves = env.saves ?? (sharedSql && new SaveBatcher(sharedSql));
  const started = new WeakMap<Request, { id: string; t: number }>();
  const serialize = createSerializer();
  const engineCache = env.engineCache ?? new EngineCache(limits.engineCache);
  const versionWatch = new VersionWatch(POLL_MS / 2);

  const tooLarge = (limit: number) =>
    new Response(JSON.stringify({ errors: [{ message: `Request body is larger than ${limit} bytes`, extensions: { code: "PAYLOAD_TOO_LARGE" } }] }), {
      status: 413,
      headers: { "content-type": "application/json" },
    });

  /** The request context every door (GraphQL, the Kubernetes API) hands to the cluster operations. */
  const createContext = (request: Request, principal: Principal | null): Context => {
    const s = started.get(request);
    const requestId = s?.id ?? crypto.randomUUID();
    const prisma = prismaFor(request);
    const sql = sqlFor(request, prisma);
    return {
      prisma,
      sql,
      saves: sharedSaves || new SaveBatcher(sql),
      principal,
      requestId,
      labs,
      limits,
      log: {
        info: (m, f) => log.info(m, { requestId, ...f }),
        warn: (m, f) => log.warn(m, { requestId, ...f }),
        error: (m, f) => log.error(m, { requestId, ...f }),
      },
      engines: new WeakMap(),
      engineCache,
      versionWatch,
      leases: [],
      gradePool: env.gradePool,
      serialize,
      auth,
      origin: originOf(request),
    };
  };
  /** Engines a request took from the cache go back once its answer is complete. */
  const release = (ctx: Partial<Context>) => {
    for (const lease of ctx.leases?.splice(0) ?? []) engineCache.put(lease);
  };
  const k8s = { auth, context: createContext, release };

  return createYoga<Record<string, unknown>, Context>({
    schema: getSchema(),
    graphqlEndpoint: "/graphql",
    landingPage: false,
    maskedErrors: { isDev: !production },
    // the body limit is useBodyLimit's (below): yoga's own wraps every body in a counting stream
    maxRequestBodySize: false,
    graphiql: (env.graphiql ?? !production) ? { defaultQuery: FIRST_QUERY, title: "kubelab" } : false,
    ...(env.renderGraphiQL ? { renderGraphiQL: env.renderGraphiQL } : {}),
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...a: unknown[]) => log.warn("yoga", { detail: a.map(String).join(" ") }),
      // unexpected errors: logged in full here, masked in the response in production
      error: (...a: unknown[]) => log.error("unexpected error", { detail: a.map((x) => (x instanceof Error ? (x.stack ?? x.message) : String(x))).join(" ") }),
    },
    plugins: [
      ...(env.web ? [useWebAssets(env.web)] : []),
      useBodyLimit(limits.requestBytes),
      giveBackEngines(release),
      EnvelopArmorPlugin({
        maxDepth: { n: 12, ignoreIntrospection: true },
        maxAliases: { n: 20 },
        maxDirectives: { n: 20 },
        maxTokens: { n: 4000 },
        costLimit: { maxCost: 20000 },
        blockFieldSuggestion: { enabled: production },
      }),
      {
        onRequest({ request, endResponse }) {
          const id = request.headers.get("x-request-id")?.slice(0, 100) || crypto.randomUUID();
          started.set(request, { id, t: Date.now() });
          const len = Number(request.headers.get("content-length") ?? "0");
          // the Kubernetes API of a cluster (api/k8s/): its own Status bodies, its own body limit
          if (K8S_PREFIX.test(new URL(request.url).pathname)) return handleK8s(request, k8s).then(endResponse);
          if (len > limits.requestBytes) endResponse(tooLarge(limits.requestBytes));
        },
        onParams({ params, request, setResult }) {
          // (POST bodies are limited as they arrive, useBodyLimit; this also covers a GET's query string)
          const size = (params.query?.length ?? 0) + (params.variables ? JSON.stringify(params.variables).length : 0);
          if (size > limits.requestBytes) {
            setResult({ errors: [createGraphQLError(`Request body is larger than ${limits.requestBytes} bytes`, { extensions: { code: "PAYLOAD_TOO_LARGE", http: { status: 413 } } })] });
          }
          const s = started.get(request);
          if (s && params.operationName) (s as { op?: string }).op = params.operationName;
        },
        onResponse({ request, response }) {
          const s = started.get(request);
          if (!s) return;
          // (an entry left for the full GC to find dead would carry its value out of the young generation)
          started.delete(request);
          response.headers.set("x-request-id", s.id);
          const url = new URL(request.url);
          if (url.pathname !== "/health")
            log.info("request", { requestId: s.id, method: request.method, path: url.pathname, op: (s as { op?: string }).op, status: response.status, ms: Date.now() - s.t });
        },
      },
    ],
    context: async ({ request }): Promise<Context> => {
      let principal = null;
      try {
        principal = await authenticate(auth, request);
      } catch (e) {
        if (e instanceof AuthError) throw createGraphQLError(e.message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
        throw e;
      }
      return createContext(request, principal);
    },
  });
}

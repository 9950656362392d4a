// GraphQL over a WebSocket (graphql-ws's `graphql-transport-ws` protocol) on the app's own schema, plugins and auth:
// each operation is run through yoga's envelop (parse, validate with the armor's rules, the masked errors, the engines
// given back after execute) with a context made by the same `context` function as an HTTP request's, from a Request
// carrying the connection's token (`connectionParams.token`: a browser cannot set headers on a socket) as its
// Authorization header. The page's terminal sends its lines this way (a socket's round trip costs the browser ~2–4 ms
// less than a fetch(): bench/README.md, 2026-12-07). Served by api/node/socket.ts under Node and api/worker.ts in the
// Worker; the body limit is the socket's maximum message size there.
import { makeServer, type ServerOptions } from "graphql-ws";
import type { ExecutionArgs, GraphQLError } from "graphql";
import { createGraphQLError } from "graphql-yoga";
import type { App } from "./app.ts";

export { GRAPHQL_TRANSPORT_WS_PROTOCOL as SOCKET_PROTOCOL } from "graphql-ws";

/** What a transport knows of the connection: the upgrade request's URL and the proxy headers the context reads. */
export interface SocketExtra {
  url: string;
  headers: Record<string, string>;
  /** A Request was made for an operation (the Worker gives it a database client); the returned function ends it. */
  begin?: (request: Request) => () => void;
}

interface Enveloped {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs & { signal?: AbortSignal }) => unknown;
}

/**
 * A subscription's stream whose `return()` aborts the operation's signal first. graphql-ws ends a subscription (the
 * client's `complete`, the socket's close) by calling `return()` on it, and an async generator waiting inside (the
 * clusterChanged loop sleeps until a change or its 2 s poll) runs a `return()` only once it wakes: until the cluster
 * next changed, the stream kept its poll, its version watch and its change listener, and the socket's close (the
 * Worker's database client with it) waited for them. The signal wakes it, as a closed HTTP request's does.
 */
function endedOnReturn(result: unknown, ended: AbortController): unknown {
  if (typeof result !== "object" || result === null || !(Symbol.asyncIterator in result)) return result;
  const it = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const stream: AsyncGenerator<unknown> = {
    [Symbol.asyncIterator]: () => stream,
    next: () => it.next(),
    return: (value?: unknown) => {
      ended.abort();
      return it.return ? it.return(value) : Promise.resolve({ done: true, value });
    },
    throw: (e?: unknown) => {
      ended.abort();
      return it.throw ? it.throw(e) : Promise.reject(e);
    },
  };
  return stream;
}

/**
 * An error as the HTTP answer shows it: `extensions.http` is what yoga answers a request with (the status, headers), and
 * yoga leaves it out of the answer's body; on a socket it would be transport detail in the error itself.
 */
function asAnswered(e: GraphQLError): GraphQLError {
  if (!e.extensions || !("http" in e.extensions)) return e;
  const { http: _http, ...extensions } = e.extensions;
  return createGraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: e.originalError, extensions });
}

export function socketServerOptions(app: App): ServerOptions<{ token?: unknown }, SocketExtra> {
  /** Per connection (graphql-ws keeps one context object for each): the operations' ends, by id. */
  const ends = new WeakMap<object, Map<string, () => void>>();
  return {
    async onSubscribe(ctx, id, payload) {
      const token = typeof ctx.connectionParams?.token === "string" ? ctx.connectionParams.token : null;
      const headers: Record<string, string> = { ...ctx.extra.headers, "content-type": "application/json" };
      // a token no header could carry (a line break, a control character) is refused as any bad token is, on every
      // runtime: Node's Request class takes such a value and the Worker's throws on it
      if (token) headers.authorization = `Bearer ${/^[\x21-\x7e]+$/.test(token) ? token : "invalid"}`;
      // the app's own Request class (yoga's on Node: ~0.3 µs against ~7 µs for the global one), as its HTTP requests have
      const request = new app.fetchAPI.Request(ctx.extra.url, { method: "POST", headers });
      const end = ctx.extra.begin?.(request);
      const fail = <T>(errors: T): T => (end?.(), errors);
      try {
        const { schema, execute, subscribe, contextFactory, parse, validate } = app.getEnveloped({ request, params: payload });
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length) return fail(errors);
        const contextValue = await contextFactory();
        const rootValue: Enveloped = { execute, subscribe };
        if (end) (ends.get(ctx) ?? ends.set(ctx, new Map()).get(ctx)!).set(id, end);
        return { schema, document, variableValues: payload.variables, operationName: payload.operationName, contextValue, rootValue };
      } catch (e) {
        // a refused token (UNAUTHENTICATED), a syntax error: an error message on this operation, the socket stays
        // (by name: yoga's errors can come from graphql's other build, ESM beside CJS, where instanceof fails)
        if (e instanceof Error && e.name === "GraphQLError") return fail([asAnswered(e as GraphQLError)]);
        end?.();
        throw e;
      }
    },
    execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
    subscribe: async (args) => {
      // the stream's end aborts this signal (its resolvers see it as `info.signal`)
      const ended = new AbortController();
      return endedOnReturn(await (args.rootValue as Enveloped).subscribe({ ...args, signal: ended.signal }), ended) as never;
    },
    onComplete(ctx, id) {
      const end = ends.get(ctx)?.get(id);
      ends.get(ctx)?.delete(id);
      end?.();
    },
  };
}

/** The sockets' server: `opened(socket, extra)` for each accepted socket returns its `closed(code, reason)`. */
export function socketServer(app: App) {
  return makeServer(socketServerOptions(app));
}

/** The proxy headers an operation's context reads (originOf), from the upgrade request. */
export function forwardedHeaders(get: (name: string) => string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of ["x-forwarded-proto", "x-forwarded-host", "x-request-id"]) {
    const v = get(h);
    if (v) out[h] = v;
  }
  return out;
}

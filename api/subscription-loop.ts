// One loop per app instance that serves the open `clusterChanged` streams on Node once their first event is out.
//
// Why: yoga keeps a request's whole machinery alive for as long as its SSE stream is open — closures, promises, six
// async-iterator wrappers, Pothos' per-context caches, the fetch-API view of the request — ~31 KiB per idle page on
// top of the ~6.7 KiB a Node socket and its request/response cost (bench/README.md, "Per idle subscription"). A class
// keeps thousands of pages open. So the first result goes through yoga as before (parse, validation, graphql-armor,
// authentication, the subscribe-time check that the caller may read the cluster, the first `event: next`); then the
// subscription's generator ends, the `event: complete` yoga would write is not written, the response stays open, and
// this loop keeps per stream only the response, the request's context fields (principal, logger, the app's shared
// clients), the cluster id, the document (one per distinct operation) and variables, and the versions shown. On a
// change of that cluster it resolves the same selection with the `execute` yoga uses (@graphql-tools/executor) on the same schema (the same
// resolvers and auth scopes, with a fresh per-event context as a request would have) and writes what yoga would:
// `event: next` / `data: …`, `:` pings at yoga's interval, `event: complete` when the cluster is gone.
//
// Only on Node: the handover needs the Node response (yoga's server context `res`). Under Workers (no `res`), or for
// a client that did not ask for `text/event-stream`, the subscription stays yoga's (api/schema/subscriptions.ts).
// KUBELAB_SSE_LOOP=0 in the environment keeps every stream yoga's (A/B).
import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from "graphql";
// yoga's own executor (what it runs each subscription event with), not graphql-js's: the same result, and the same
// graphql instance as the schema's wherever a bundler or test runner resolves "graphql" differently for our sources
import { execute } from "@graphql-tools/executor";
import { maskError } from "graphql-yoga";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "./context.ts";
import { POLL_MS, tapClusterChanges, type ClusterChange } from "./events.ts";
import { readVersionsWith, type VersionWatch } from "./version-watch.ts";
import { forgetRequestCaches } from "./request-caches.ts";

/** A request's context without its per-request caches (each event gets fresh ones, as each request does). */
type Base = Omit<Context, "engines" | "leases">;

/** One open stream, after its first event. It is also the resolver's `shown` (the version it last showed). */
interface Stream {
  res: ServerResponse;
  clusterId: string;
  ownerId: string;
  base: Base;
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
  /** The version last handed to the resolver. */
  last: number;
  /** The version the resolver last showed (a later one than it was handed when a save came meanwhile). */
  version: number;
  /** Until yoga has written its part (the first event): changes wait here (the latest one). */
  pending: boolean;
  missed?: ClusterChange;
}

interface Watched {
  streams: Set<Stream>;
  queue: (ClusterChange | "tick")[];
  running: boolean;
  unwatch: () => void;
}

/** What yoga's SSE processor does: a ping every 12 s (300 ms when NODE_ENV is test). */
const PING_MS = globalThis.process?.env?.NODE_ENV === "test" ? 300 : 12_000;
const PING = ":\n\n";
const COMPLETE = "event: complete\ndata:\n\n";

/** The one-operation document of a subscription, shared by every stream of the same parsed operation. */
const documents = new WeakMap<OperationDefinitionNode, DocumentNode>();
function documentOf(info: GraphQLResolveInfo): DocumentNode {
  let d = documents.get(info.operation);
  if (!d) documents.set(info.operation, (d = { kind: "Document" as DocumentNode["kind"], definitions: [info.operation, ...Object.values(info.fragments)] }));
  return d;
}

/** The result as yoga writes it (its stringify drops the `http` and `unexpected` extensions). */
function stringify(result: ExecutionResult, log: Context["log"]): string {
  if (!result.errors?.length) return JSON.stringify(result);
  const errors = result.errors.map((e) => {
    const masked = maskError(e, "Unexpected error.", false) as GraphQLError;
    if (masked !== e) log.error("unexpected error", { detail: e.originalError?.stack ?? e.message });
    // as yoga's masked errors: an error that is not a GraphQLError of ours is "Unexpected error." (outside production
    // yoga also adds the original error's message and stack to it; the loop, which does not know the app's mode, never
    // does — the server's log has them)
    const j = masked.toJSON();
    const { http: _h, unexpected: _u, ...extensions } = (j.extensions ?? {}) as Record<string, unknown>;
    return { message: j.message, ...(j.locations ? { locations: j.locations } : {}), ...(j.path ? { path: j.path } : {}), ...(Object.keys(extensions).length ? { extensions } : {}) };
  });
  return JSON.stringify({ ...result, errors });
}

/**
 * How long after a change its event is resolved and sent (ms). The answer to the command that made it has gone out
 * by then, and the page's own work on it — the browser painting the command's output — is not met by the picture's
 * resolution here (~2 ms of CPU on a 2-core box shared with the browser) or by its event there. The page defers the
 * picture's drawing anyway (web/models/pictureFeed.ts); a human does not see 30 ms.
 */
export const EVENT_DELAY_MS = Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.KUBELAB_EVENT_DELAY_MS ?? 30);
const afterAnswer = () => new Promise((r) => setTimeout(r, EVENT_DELAY_MS));

/** Streams open in every loop of this process (tests, the bench). */
let open = 0;
export const loopStreams = (): number => open;

export class SubscriptionLoop {
  private readonly watched = new Map<string, Watched>();
  private poll?: ReturnType<typeof setInterval>;
  private ping?: ReturnType<typeof setInterval>;
  private untap?: () => void;

  constructor(private readonly versionWatch: VersionWatch) {}

  /** Open streams (tests, the bench). */
  get size(): number {
    let n = 0;
    for (const w of this.watched.values()) n += w.streams.size;
    return n;
  }

  add(s: Stream): void {
    let w = this.watched.get(s.clusterId);
    if (!w) this.watched.set(s.clusterId, (w = { streams: new Set(), queue: [], running: false, unwatch: this.versionWatch.watch(s.clusterId) }));
    w.streams.add(s);
    open++;
    if (!this.untap) {
      this.untap = tapClusterChanges((id, change) => this.changed(id, change));
      this.poll = setInterval(() => this.tick(), POLL_MS);
      this.ping = setInterval(() => this.pingAll(), PING_MS);
      this.poll.unref?.();
      this.ping.unref?.();
    }
  }

  /** Yoga has written the first event: from now on this stream is the loop's. */
  ready(s: Stream): void {
    s.pending = false;
    const w = this.watched.get(s.clusterId);
    if (!w?.streams.has(s)) return;
    s.res.once("close", () => this.remove(s));
    if (s.missed) {
      w.queue.push(s.missed);
      s.missed = undefined;
      void this.run(s.clusterId, w);
    }
  }

  remove(s: Stream): void {
    const w = this.watched.get(s.clusterId);
    if (!w?.streams.delete(s)) return;
    open--;
    if (w.streams.size) return;
    w.unwatch();
    this.watched.delete(s.clusterId);
    if (this.watched.size) return;
    this.untap?.();
    this.untap = undefined;
    clearInterval(this.poll);
    clearInterval(this.ping);
  }

  private changed(id: string, change: ClusterChange): void {
    const w = this.watched.get(id);
    if (!w) return;
    w.queue.push(change);
    void this.run(id, w);
  }

  private tick(): void {
    for (const [id, w] of this.watched) {
      if (!w.queue.includes("tick")) w.queue.push("tick");
      void this.run(id, w);
    }
  }

  private pingAll(): void {
    for (const w of this.watched.values()) for (const s of w.streams) if (!s.pending && !s.res.writableNeedDrain && !s.res.destroyed) s.res.write(PING);
  }

  /** A cluster's changes, one at a time, each to its streams in turn (as each stream's own loop did). */
  private async run(id: string, w: Watched): Promise<void> {
    if (w.running) return;
    w.running = true;
    try {
      for (let got = w.queue.shift(); got !== undefined; got = w.queue.shift()) {
        const any = w.streams.values().next().value as Stream | undefined;
        if (!any) return;
        let v: number | null;
        if (got === "tick") {
          try {
            v = await this.versionWatch.current(id, readVersionsWith(any.base.sql));
          } catch (e) {
            // the stream's own loop threw here, which ended its response abruptly (the client retries)
            any.base.log.error("subscription poll failed", { clusterId: id, detail: e instanceof Error ? e.message : String(e) });
            for (const s of [...w.streams]) {
              this.remove(s);
              s.res.destroy();
            }
            return;
          }
        } else {
          // The event is published inside the mutation, before its answer is sent: resolving now would hold that answer
          // (see api/schema/subscriptions.ts); a macrotask later it has gone out, EVENT_DELAY_MS later its output is drawn.
          await afterAnswer();
          v = got.deleted ? null : got.version;
        }
        for (const s of [...w.streams]) {
          try {
            await this.deliver(s, v);
          } catch (e) {
            // what a throwing generator did to yoga's stream: the response ends abruptly (the client retries)
            s.base.log.error("subscription event failed", { clusterId: id, detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
            this.remove(s);
            s.res.destroy();
          }
        }
      }
    } finally {
      w.running = false;
    }
  }

  private async deliver(s: Stream, v: number | null): Promise<void> {
    if (s.res.destroyed) return this.remove(s);
    if (s.pending) {
      s.missed = { version: v ?? 0, deleted: v === null };
      return;
    }
    if (s.res.writableEnded) return this.remove(s);
    if (v === null) {
      this.remove(s);
      s.res.end(COMPLETE);
      return;
    }
    // a version the resolver already showed (it served a later save than the event it was given) is not shown again
    if (v === s.last || v <= s.version) return;
    s.last = v;
    const ctx: Context = { ...s.base, engines: new WeakMap(), leases: [] };
    let data: string;
    try {
      const result = (await execute({ schema: s.schema, document: s.document, rootValue: { version: v, ownerId: s.ownerId, shown: s }, contextValue: ctx, variableValues: s.variables })) as ExecutionResult;
      data = stringify(result, s.base.log);
    } finally {
      // what yoga's giveBackEngines does after each event
      for (const lease of ctx.leases.splice(0)) ctx.engineCache.put(lease);
      forgetRequestCaches(ctx);
    }
    if (!s.res.destroyed && !s.res.writableEnded) s.res.write(`event: next\ndata: ${data}\n\n`);
  }
}

const loops = new WeakMap<VersionWatch, SubscriptionLoop>();

/** The app instance's loop (one per VersionWatch: one per createApp). */
export function loopOf(versionWatch: VersionWatch): SubscriptionLoop {
  let l = loops.get(versionWatch);
  if (!l) loops.set(versionWatch, (l = new SubscriptionLoop(versionWatch)));
  return l;
}

/** Hands a stream whose first event is out over to the loop; the subscription's generator returns right after. */
export type Handover = (clusterId: string, ownerId: string, last: number, shown: { version: number }) => void;

/** What yoga's context holds beside ours when it serves a Node request (its server context and the parsed params). */
interface YogaNodeContext {
  req?: IncomingMessage;
  res?: ServerResponse;
  request?: Request;
  params?: { variables?: Record<string, unknown> };
}

/**
 * The handover of this subscription to the loop, when it can be served there: a Node request (yoga's `req`/`res`)
 * asking for `text/event-stream`. Called when the subscription starts (before yoga writes anything).
 */
export function nodeHandover(ctx: Context, info: GraphQLResolveInfo): Handover | undefined {
  if (globalThis.process?.env?.KUBELAB_SSE_LOOP === "0") return undefined;
  const { req, res, request, params } = ctx as Context & YogaNodeContext;
  if (!req || !res || typeof res.write !== "function" || typeof res.once !== "function" || typeof req.listeners !== "function") return undefined;
  const accept = request?.headers.get("accept") ?? "";
  if (!accept.includes("text/event-stream") || accept.includes("multipart/mixed")) return undefined;
  // What the adapter adds to the request and response from here on (its pump, a pipe) goes with yoga's part.
  const before = snapshot(req, res);
  // our fields only (yoga's context also holds the request, its params and the Node objects)
  const { prisma, sql, saves, principal, requestId, labs, limits, log, engineCache, versionWatch, gradePool, serialize, auth, origin, userEnsured } = ctx;
  const base: Base = { prisma, sql, saves, principal, requestId, labs, limits, log, engineCache, versionWatch, gradePool, serialize, auth, origin, userEnsured };
  const variables = params?.variables ?? (info.variableValues as Record<string, unknown>);
  // What the handover needs, and nothing else: a closure here that saw `ctx` or `info` would keep the request alive.
  const prep: Prepared = { req, res, before, base, schema: info.schema, document: documentOf(info), variables };
  return (clusterId, ownerId, last, shown) => handOver(prep, clusterId, ownerId, last, shown.version);
}

interface Prepared {
  req: IncomingMessage;
  res: ServerResponse;
  before: { req: Listeners; res: Listeners };
  base: Base;
  schema: GraphQLSchema;
  document: DocumentNode;
  variables: Record<string, unknown> | undefined;
}

function handOver(p: Prepared, clusterId: string, ownerId: string, last: number, shown: number): void {
  const { req, res, base, schema, document, variables } = p;
  const loop = loopOf(base.versionWatch);
  const s: Stream = { res, clusterId, ownerId, base, schema, document, variables, last, version: shown, pending: true, missed: undefined };
  loop.add(s);
  // Yoga now writes the rest of the first event, then `event: complete`, and ends the response. The adapter may write
  // them in any grouping (its own chunks, or a pipe's), so the last bytes are held back until the end: all but
  // yoga's `event: complete` go out, the response stays open, and it is the loop's from then on.
  const own = res as unknown as Record<string, unknown>;
  const write = res.write.bind(res) as (chunk: string) => boolean;
  const end = res.end.bind(res) as () => void;
  const dec = new TextDecoder();
  let held = "";
  own.write = (chunk: unknown, ...rest: unknown[]) => {
    held += typeof chunk === "string" ? chunk : dec.decode(chunk as Uint8Array, { stream: true });
    if (held.length > COMPLETE.length) {
      write(held.slice(0, held.length - COMPLETE.length));
      held = held.slice(held.length - COMPLETE.length);
    }
    const cb = rest.at(-1);
    if (typeof cb === "function") queueMicrotask(() => cb());
    return true;
  };
  own.end = (chunk?: unknown) => {
    if (chunk != null && typeof chunk !== "function") (own.write as (c: unknown) => void)(chunk);
    // the last added first: V8 then takes the response back to its shape (other orders turn it into a ~3 KiB dictionary)
    delete own.end;
    delete own.write;
    dropAdapterListeners(req, res, p.before);
    const completed = held.endsWith(COMPLETE);
    const rest = completed ? held.slice(0, -COMPLETE.length) : held;
    if (rest) write(rest);
    if (!completed || res.destroyed || res.writableEnded) {
      // not the end of a first event (an error ended the stream, or the client went away): as yoga would
      loop.remove(s);
      end();
    } else loop.ready(s);
    return res;
  };
}

type Listeners = Map<string, Set<unknown>>;
const EVENTS = ["close", "error", "finish", "drain", "unpipe"] as const;

function snapshot(req: IncomingMessage, res: ServerResponse): { req: Listeners; res: Listeners } {
  const of = (e: IncomingMessage | ServerResponse): Listeners => new Map(EVENTS.map((n) => [n, new Set(e.listeners(n))]));
  return { req: of(req), res: of(res) };
}

/**
 * Listeners the adapter left on the request and response for yoga's part, which hold that part alive: what it added
 * since the subscription started (its pump's error handler, a pipe's), and @whatwg-node/server's own (they abort the
 * request's signal on close, and remove themselves when the response finishes — which it no longer does).
 */
function dropAdapterListeners(req: IncomingMessage, res: ServerResponse, before: { req: Listeners; res: Listeners }): void {
  const drop = (e: IncomingMessage | ServerResponse, was: Listeners) => {
    for (const n of EVENTS)
      for (const l of e.listeners(n)) {
        const f = l as (...a: unknown[]) => void;
        if (!was.get(n)!.has(l) || f.name === "closeEventListener" || (n === "finish" && String(f).includes("closeEventListener"))) e.removeListener(n, f);
      }
  };
  drop(req, before.req);
  drop(res, before.res);
  // The body was read to its end before the subscription started: what read it (a `data` listener collecting its
  // chunks, an error handler for that read) has nothing left to do. An error after that is the socket's, which the
  // response's `close` reports; it must not go unhandled.
  if (req.complete) {
    for (const n of ["data", "end", "error"] as const) req.removeAllListeners(n);
    req.on("error", ignore);
  }
}

function ignore(): void {}

// `clusterChanged(id)`: like `kubectl get -w`, the cluster again after every change (served over SSE by yoga).
import { createGraphQLError } from "graphql-yoga";
import { builder } from "../builder.ts";
import { ClusterRef } from "./cluster.ts";
import { findReadableCluster, isUuid, readableWhere, servedFromCache } from "../clusters.ts";
import { clusterEvents, POLL_MS, type ClusterChange } from "../events.ts";
import type { Context } from "../context.ts";
import { nodeHandover, type Handover } from "../subscription-loop.ts";
import { readVersionsWith } from "../version-watch.ts";

builder.subscriptionType({});

async function readable(ctx: Context, id: string): Promise<{ version: number; ownerId: string } | null> {
  return ctx.prisma.cluster.findFirst({ where: readableWhere(ctx, id), select: { version: true, ownerId: true } });
}

/**
 * What the generator yields (the version to show) and what the resolver tells it back (the version it showed: with a
 * change saved meanwhile, a later one), so a version already shown is not resolved twice.
 */
interface Feed {
  version: number;
  ownerId: string;
  shown: { version: number };
}

/**
 * Yields the cluster's version now and after each change; ends when the cluster goes away. A change made by this app
 * instance arrives as an event carrying the saved version (no read: the resolver's read checks, as every read does,
 * that the caller may still see the cluster; it runs once the mutation has answered); one made elsewhere is found by
 * the poll, which reads every watched cluster of this instance in one statement (api/version-watch.ts). Who may read
 * a cluster cannot change while it exists (owner and course are fixed), so the check made when the subscription
 * starts holds until it is deleted.
 *
 * On Node (`handover`), once the first event is out the stream is left to the app's shared loop, which does the same
 * after every change with a few hundred bytes per stream instead of this generator and yoga's request machinery
 * (api/subscription-loop.ts); the generator then ends without yoga's `event: complete`.
 */
async function* versions(ctx: Context, id: string, signal?: AbortSignal, handover?: Handover): AsyncGenerator<Feed> {
  const first = isUuid(id) ? await readable(ctx, id) : null;
  if (first === null) throw createGraphQLError(`cluster "${id}" not found`, { extensions: { code: "NOT_FOUND" } });
  const shown = { version: 0 };
  let last = first.version;
  yield { version: last, ownerId: first.ownerId, shown };
  if (handover && !signal?.aborted) return handover(id, first.ownerId, last, shown);
  const events = clusterEvents.subscribe("cluster:changed", id)[Symbol.asyncIterator]();
  // Changes published here, queued by one pump; the loop below sleeps until one comes or the poll is due. (It raced
  // one long-lived promise of the next change against each poll timer: every race left a reaction on that promise
  // until a change came, so an idle page's subscription grew by one every poll period.) When the event source ends
  // (shutdown), only the poll is left.
  const changes: ClusterChange[] = [];
  let wake: (() => void) | undefined;
  void (async () => {
    for (let r = await events.next(); !r.done; r = await events.next()) {
      changes.push(r.value);
      wake?.();
    }
  })().catch(() => {});
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort, { once: true });
  const unwatch = ctx.versionWatch.watch(id);
  try {
    while (!signal?.aborted) {
      if (!changes.length) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((r) => {
          wake = r;
          timer = setTimeout(r, POLL_MS);
        });
        wake = undefined;
        clearTimeout(timer);
        if (signal?.aborted) break;
      }
      const got = changes.shift() ?? "tick";
      if (got !== "tick") {
        // The event is published inside the mutation, before its answer is sent (in the microtasks that follow):
        // resolving the selection (the lab page's picture) at once held that answer (a terminal line's output) behind
        // it (6-12 ms at p50 on a loaded 2-core host, measured when it still read the row first: bench/README.md). A
        // macrotask later the answer has gone out; the engine, still the mutation's request's until that request
        // is done, is then waited for by the resolver rather than parsed again (servedFromCache).
        await new Promise((r) => setTimeout(r, 0));
      }
      const v = got !== "tick" ? (got.deleted ? null : got.version) : await ctx.versionWatch.current(id, readVersionsWith(ctx.sql));
      if (v === null) return;
      // a version the resolver already showed (it served a later save than the event it was given) is not shown again
      if (v !== last && v > shown.version) {
        last = v;
        yield { version: v, ownerId: first.ownerId, shown };
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    unwatch();
    await events.return?.();
  }
}

builder.subscriptionField("clusterChanged", (t) =>
  // A plain field of the Cluster type, as the mutations' `cluster` is, not a prismaField: the resolver serves a row it
  // already has and never uses a planned Prisma query, which the plugin otherwise maps from the selection at every
  // event (about half of an event's resolve on the shared loop, bench/README.md "the server's CPU in a class").
  // Relations asked for are loaded by the plugin from the row, as under `exec { cluster { … } }`.
  t.field({
    type: ClusterRef,
    nullable: true,
    authScopes: { loggedIn: true },
    description: "The cluster now, then again after every change (like `kubectl get -w`). Ends when the cluster is deleted.",
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, args, ctx, info) => versions(ctx, String(args.id), (info as unknown as { signal?: AbortSignal }).signal, nodeHandover(ctx, info)),
    // A change this instance saved: the row and engine it keeps (waiting for the request that holds them to give them
    // back), with no read — who may read the cluster was checked when the subscription started and cannot change while
    // it exists. Otherwise the row by the hot path's one statement, as `cluster(id)` reads it.
    resolve: async (feed, args, ctx) => {
      const id = String(args.id);
      const row = (await servedFromCache(ctx, id, feed.ownerId, feed.version)) ?? (await findReadableCluster(ctx, id));
      if (row && row.version > feed.shown.version) feed.shown.version = row.version;
      return row;
    },
  }),
);

// What the schema's plugins keep per request and refer back to the request from, dropped once an operation's
// resolvers are done.
//
// Why: Pothos' scope-auth keeps each request's scopes and grants in a module-level WeakMap keyed by the context, and
// the entry refers back to the context. V8's scavenger treats a WeakMap's values as live while the entry is there,
// and only a full GC removes an entry whose key has died: every request's context — and the request, the leases and
// the answer it reaches — then outlived the young generation and filled the old one, which is what sets how often a
// full GC comes (bench/README.md, "what filled the old generation", 2026-12-07). An entry deleted when the
// operation ends dies young with it. (plugin-prisma's per-context plan maps are keyed the same way but hold no way
// back to the context, and the library offers no call to drop them: they are a few small Maps a request.)
import { RequestCache } from "@pothos/plugin-scope-auth";

/** The operation whose context this is has finished (an answer, or a subscription's event): its caches may go. */
export function forgetRequestCaches(context: object): void {
  RequestCache.clearForContext(context);
}

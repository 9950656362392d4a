// api/request-caches.ts: what the schema's plugins keep per request goes when the operation ends, and is made again
// (not reused, not lost) by a later operation on the same context — a subscription's next event.
import { describe, expect, it } from "vitest";
import { RequestCache } from "@pothos/plugin-scope-auth";
import { builder } from "../api/builder.ts";
import { forgetRequestCaches } from "../api/request-caches.ts";

describe("forgetRequestCaches", () => {
  it("drops the context's scope-auth cache: the next read of it starts a new one, another context's stays", () => {
    const a = { principal: { sub: "u1", role: "student" } };
    const b = { principal: { sub: "u2", role: "student" } };
    const b1 = RequestCache.fromContext(b, builder as never);
    const first = RequestCache.fromContext(a, builder as never);
    expect(RequestCache.fromContext(a, builder as never)).toBe(first); // one per context while it lasts
    forgetRequestCaches(a);
    const again = RequestCache.fromContext(a, builder as never);
    expect(again).not.toBe(first);
    expect(RequestCache.fromContext(b, builder as never)).toBe(b1);
  });
});

// Watch (`?watch=true`): chunked JSON events, one per line — ADDED / MODIFIED / DELETED — as kubectl get -w and
// rollout status read them. After every change of the cluster (clusterEvents, or a poll for changes made by other
// processes) the watched objects are compared with the last ones sent: only in the new set → ADDED, in both and
// different → MODIFIED, only in the old → DELETED. Objects go out as the request asked (a Table row for kubectl).
import type { Context } from "../context.ts";
import { engineOf, findReadableCluster } from "../clusters.ts";
import { clusterEvents, POLL_MS } from "../events.ts";
import type { AnyObject } from "../../engine/objects.ts";
import type { K8sRequest } from "./request.ts";
import { listObjects } from "./read.ts";
import { toTable } from "./table.ts";
import { clockShift, shiftTimes } from "./time.ts";

type ResourceRequest = Extract<K8sRequest, { type: "resource" }>;
const DEFAULT_TIMEOUT_S = 1800;

export function watch(ctx: Context, release: (ctx: Context) => void, clusterId: string, req: ResourceRequest, signal: AbortSignal): Response {
  const enc = new TextEncoder();
  const key = (o: AnyObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  let sent = new Map<string, string>();
  let stopped = false;
  const snapshot = async () => {
    const row = await findReadableCluster(ctx, clusterId);
    if (!row) return null;
    try {
      const c = engineOf(ctx, row);
      const objs = listObjects(c, req).filter((o) => !req.name || o.metadata.name === req.name);
      return { objs, now: c.nowSeconds(), rv: String(c.state.rv), shift: clockShift(c.nowSeconds()) };
    } finally {
      release(ctx);
    }
  };
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const deadline = Date.now() + 1000 * (req.timeoutSeconds ?? DEFAULT_TIMEOUT_S);
      const events = clusterEvents.subscribe("cluster:changed", clusterId)[Symbol.asyncIterator]();
      let pending = events.next();
      const emit = (type: string, o: AnyObject, s: { now: number; shift: number }) => {
        const served = shiftTimes(o, s.shift);
        const object = req.asTable ? toTable(req.res.kind, [o], [served], s.now, req.includeObject, { resourceVersion: o.metadata.resourceVersion }) : served;
        controller.enqueue(enc.encode(JSON.stringify({ type, object }) + "\n"));
      };
      // the headers go out at once, as kube-apiserver flushes them (a client waits for them before it reads events);
      // the stream's JSON decoder skips the whitespace
      controller.enqueue(enc.encode("\n"));
      try {
        let first = true;
        while (!stopped && !signal.aborted && Date.now() < deadline) {
          const s = await snapshot();
          if (!s) break;
          const next = new Map(s.objs.map((o) => [key(o), JSON.stringify(o)]));
          // a watch from a list's resourceVersion starts from what the list showed; without one, from nothing
          const silent = first && req.resourceVersion !== undefined && req.resourceVersion !== "" && req.resourceVersion !== "0";
          if (!silent) {
            for (const o of s.objs) {
              const k = key(o);
              if (!sent.has(k)) emit("ADDED", o, s);
              else if (sent.get(k) !== next.get(k)) emit("MODIFIED", o, s);
            }
            const byKey = new Map(s.objs.map((o) => [key(o), o]));
            for (const [k, text] of sent) if (!byKey.has(k)) emit("DELETED", JSON.parse(text) as AnyObject, s);
          }
          sent = next;
          first = false;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const tick = new Promise<"tick">((r) => (timer = setTimeout(() => r("tick"), Math.min(POLL_MS, Math.max(0, deadline - Date.now())))));
          const aborted = new Promise<"abort">((r) => signal.addEventListener("abort", () => r("abort"), { once: true }));
          const got = await Promise.race([pending.then(() => "event" as const), tick, aborted]);
          clearTimeout(timer);
          if (got === "event") pending = events.next();
        }
      } catch (e) {
        ctx.log.warn("k8s watch ended with an error", { detail: e instanceof Error ? e.message : String(e) });
      } finally {
        await events.return?.();
        try {
          controller.close();
        } catch {
          // the client went away first
        }
      }
    },
    cancel() {
      stopped = true;
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
}

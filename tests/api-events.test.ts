// api/events.ts: the per-cluster change topics. Every open per-cluster stream is one listener on its cluster's topic;
// a cluster watched by more than Node's default of 10 (a student's tabs and kubectl watches, an instructor's view) is
// no leak and must not print Node's leak warning into the server's log.
import { afterEach, describe, expect, it } from "vitest";
import { clusterEvents, STREAMS_PER_CLUSTER_WARNING } from "../api/events.ts";

const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);
afterEach(() => void process.off("warning", onWarning));

describe("clusterEvents", () => {
  it("serves more than ten streams on one cluster, each getting the change, without a leak warning", async () => {
    process.on("warning", onWarning);
    const n = 25;
    expect(n).toBeLessThan(STREAMS_PER_CLUSTER_WARNING);
    const streams = Array.from({ length: n }, () => clusterEvents.subscribe("cluster:changed", "c-many")[Symbol.asyncIterator]());
    const next = streams.map((s) => s.next());
    // (a stream's listener is added when it is first read)
    await new Promise((r) => setTimeout(r, 10));
    clusterEvents.publish("cluster:changed", "c-many", { version: 7, deleted: false });
    const got = await Promise.all(next);
    expect(got.map((g) => g.value)).toEqual(Array.from({ length: n }, () => ({ version: 7, deleted: false })));
    await Promise.all(streams.map((s) => s.return?.()));
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
  });

  it("still warns past the limit, so a real leak shows", async () => {
    process.on("warning", onWarning);
    const streams = Array.from({ length: STREAMS_PER_CLUSTER_WARNING + 1 }, () => clusterEvents.subscribe("cluster:changed", "c-leak")[Symbol.asyncIterator]());
    const pending = streams.map((s) => s.next());
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings.some((w) => w.name === "MaxListenersExceededWarning" && w.message.includes("c-leak"))).toBe(true);
    clusterEvents.publish("cluster:changed", "c-leak", { version: 1, deleted: false });
    await Promise.all(pending);
    await Promise.all(streams.map((s) => s.return?.()));
  });
});

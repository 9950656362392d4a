// What a server's live heap was allocated by: loaded into a bench's server with
//   BENCH_SERVER_NODE_ARGS="--import ./bench/heap-sampling.mjs" HS_START=50 HS_DUR=40 HS_OUT=/tmp/hs.json
// it starts V8's sampling heap profiler HS_START seconds after the server starts and, HS_DUR seconds later, writes
// the objects sampled meanwhile that are still alive (not yet collected: retained state, and garbage a scavenge
// promoted that no full GC has freed yet) with their allocation stacks. Read it with bench/heap-sampling-report.mjs.
// (Taking the profile stalls the server for a moment: the bench's latencies of that run are not figures.)
// HS_PROMOTED=1: the objects sampled meanwhile that outlived the young generation (promoted, or allocated old), those
// a full GC freed since included — what fills the old generation and so sets how often a full GC comes.
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((ok, fail) => session.post(method, params, (e, r) => (e ? fail(e) : ok(r))));
const start = Number(process.env.HS_START ?? 60);
const duration = Number(process.env.HS_DUR ?? 30);
setTimeout(async () => {
  await post("HeapProfiler.enable");
  const promoted = process.env.HS_PROMOTED === "1";
  await post("HeapProfiler.startSampling", { samplingInterval: 8192, ...(promoted ? { includeObjectsCollectedByMajorGC: true } : {}) });
  setTimeout(async () => {
    const { profile } = await post("HeapProfiler.getSamplingProfile");
    writeFileSync(process.env.HS_OUT ?? "heap.sampling.json", JSON.stringify(profile));
    await post("HeapProfiler.stopSampling");
  }, duration * 1000).unref();
}, start * 1000).unref();

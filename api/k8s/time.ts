// The one rule between the cluster's virtual clock and the times the facade serves.
//
// A cluster runs on its virtual clock (`sleep 30` in the terminal moves it 30 s, in no wall time). Real kubectl
// computes some ages itself (describe's events, `Started`) from its own wall clock, and others come from the
// server (the AGE cells of `kubectl get`, computed here on the virtual clock). For both to read the same, every
// served timestamp is shifted by the same whole number of seconds:
//
//     served = virtual + shift,   shift = floor(wall now) − virtual now   (once per response / watch event)
//
// (a write may answer with the shift its client's read just had: servedShift below), so "now" on the cluster is
// "now" for the student, and every age is the virtual age. Timestamps in request bodies are shifted back by the
// same rule before the engine sees them. Only the keys below are timestamps.
const TIME_KEYS = new Set([
  "creationTimestamp",
  "deletionTimestamp",
  "startTime",
  "lastTransitionTime",
  "lastProbeTime",
  "lastUpdateTime",
  "lastHeartbeatTime",
  "startedAt",
  "finishedAt",
  "firstTimestamp",
  "lastTimestamp",
  "eventTime",
  // Leases (MicroTime: the fraction is kept)
  "renewTime",
  "acquireTime",
  "time", // metadata.managedFields[].time
]);

export function clockShift(virtualNowSeconds: number, wallNowMs = Date.now()): number {
  return Math.floor(wallNowMs / 1000) - virtualNowSeconds;
}

// A write answers with the times its client has just read. `kubectl patch` GETs the object, PATCHes it and prints
// "patched (no change)" only when the answer deep-equals what it read; with the shift taken afresh per response, a
// wall-clock second turning between the GET and the PATCH moved every served timestamp by one second and a no-op
// patch printed "patched". So a read takes the shift afresh and remembers it per cluster; a write within
// WRITE_REUSE_MS of the remembered shift being taken (same virtual clock) answers with it. Only writes reuse (a read
// — describe's event ages, computed by kubectl from the wall clock — is always exact), and only from a shift taken
// under WRITE_REUSE_MS ago, so a write's times lag the wall clock by under that. Per process: a GET and a PATCH
// answered by two processes fall back to the fresh rule.
const WRITE_REUSE_MS = 1500;
const MEMO_LIMIT = 10_000;
const taken = new Map<string, { shift: number; virtual: number; at: number }>();

/** The shift to serve `clusterId`'s response with (a read's is fresh, a write may reuse the last read's). */
export function servedShift(clusterId: string, virtualNowSeconds: number, request: "read" | "write", wallNowMs = Date.now()): number {
  const last = taken.get(clusterId);
  if (request === "write" && last && last.virtual === virtualNowSeconds && wallNowMs >= last.at && wallNowMs - last.at < WRITE_REUSE_MS) return last.shift;
  const shift = clockShift(virtualNowSeconds, wallNowMs);
  taken.delete(clusterId);
  taken.set(clusterId, { shift, virtual: virtualNowSeconds, at: wallNowMs });
  // oldest first (each take re-inserts): drop what no write can reuse, and the oldest past the limit
  for (const [id, t] of taken) {
    if (taken.size <= MEMO_LIMIT && wallNowMs - t.at < WRITE_REUSE_MS) break;
    taken.delete(id);
  }
  return shift;
}

function shiftText(ts: string, by: number): string {
  const fraction = /(\.\d+)Z$/.exec(ts)?.[1] ?? "";
  const ms = Date.parse(fraction ? ts.slice(0, -fraction.length - 1) + "Z" : ts);
  if (Number.isNaN(ms)) return ts;
  return new Date(ms + by * 1000).toISOString().replace(/\.\d{3}Z$/, `${fraction}Z`);
}

/** A copy of `v` with every timestamp moved by `by` seconds (served: +shift; received: −shift). */
export function shiftTimes<T>(v: T, by: number): T {
  if (by === 0) return v;
  const walk = (x: unknown, key?: string): unknown => {
    if (typeof x === "string") return key !== undefined && TIME_KEYS.has(key) ? shiftText(x, by) : x;
    if (Array.isArray(x)) return x.map((e) => walk(e));
    if (x && typeof x === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) out[k] = k === "annotations" || k === "labels" ? val : walk(val, k);
      return out;
    }
    return x;
  };
  return walk(v) as T;
}

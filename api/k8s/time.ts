// The one rule between the cluster's virtual clock and the times the facade serves.
//
// A cluster runs on its virtual clock (`sleep 30` in the terminal moves it 30 s, in no wall time). Real kubectl
// computes some ages itself (describe's events, `Started`) from its own wall clock, and others come from the
// server (the AGE cells of `kubectl get`, computed here on the virtual clock). For both to read the same, every
// served timestamp is shifted by the same whole number of seconds:
//
//     served = virtual + shift,   shift = floor(wall now) − virtual now   (computed once per response / watch event)
//
// so "now" on the cluster is "now" for the student, and every age is the virtual age. Timestamps in request bodies
// are shifted back by the same rule before the engine sees them. Only the keys below are timestamps.
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

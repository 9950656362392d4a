// Values every cluster of a process may hold the same copy of: deep-frozen, so nothing can change one cluster's
// through another's. The engine never writes inside them: it replaces such a part as a whole (a pod template, a pod's
// own spec, a node's status), and a write that tried would throw rather than reach the other clusters.

/** `v`, frozen all the way down (already frozen subtrees are taken as they are). */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object" && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * A copy of plain JSON data the caller may change, except for its frozen parts, which it shares (they cannot be
 * changed). Key order is kept, so the copy serialises to the same bytes.
 */
export function copyUnfrozen<T>(v: T): T {
  if (v === null || typeof v !== "object" || Object.isFrozen(v)) return v;
  if (Array.isArray(v)) return v.map(copyUnfrozen) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = copyUnfrozen((v as Record<string, unknown>)[k]);
  return out as T;
}

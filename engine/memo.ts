// A bounded memo for pure string-keyed functions on hot paths (chain names, app kinds, derived ids). The cache is
// module state, never cluster state: it only ever holds what the function would compute again.

/**
 * Mutation testing (vitest.mutants.config.ts) turns the caches off: its worker keeps the engine loaded from one
 * mutant to the next, so a cached answer would hide a mutant inside a memoized function (its code never runs again)
 * and could answer wrongly for the next mutant.
 */
export const memoCaches = { off: false };

export function memoize<T>(fn: (key: string) => T, maxEntries: number): (key: string) => T {
  const cache = new Map<string, T>();
  return (key: string) => {
    if (memoCaches.off) return fn(key);
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = fn(key);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
}

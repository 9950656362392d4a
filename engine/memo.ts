// A bounded memo for pure string-keyed functions on hot paths (chain names, app kinds, derived ids). The cache is
// module state, never cluster state: it only ever holds what the function would compute again.

export function memoize<T>(fn: (key: string) => T, maxEntries: number): (key: string) => T {
  const cache = new Map<string, T>();
  return (key: string) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = fn(key);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };
}

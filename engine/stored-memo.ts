// Per-object memo of compact stored forms and of their JSON text (serialize.ts), so saving a cluster rebuilds,
// compares and serialises only the objects that changed since the last save. An entry is keyed by the live object
// and is valid while its fingerprint matches: the resourceVersions of the object and of what its compact form
// depends on (an event's: its count and last timestamp, the only fields a repeated event changes). The API server
// (and so this engine) bumps an object's resourceVersion on every write, so an unchanged fingerprint means an
// unchanged object. The memo is module state, never cluster state: a miss computes exactly what a hit returns.
//
// `verifyStoredMemo(true)` (the test suite turns it on) recomputes on every hit and throws when the memo would have
// answered differently: a write that forgot its resourceVersion shows up as a failing test, not as a stale save.

interface Entry<T> {
  fp: string;
  dep: object | undefined;
  out: T;
}

const memo = new WeakMap<object, Entry<unknown>>();
const texts = new WeakMap<object, Entry<string>>();
let verify = false;

export function verifyStoredMemo(on: boolean): void {
  verify = on;
}

export function storedMemoVerifying(): boolean {
  return verify;
}

/** A memo hit did not equal what computing it again gives: some write changed `what` without a resourceVersion. */
export class StaleStoredMemoError extends Error {
  constructor(what: string) {
    super(`stored form of ${what} is stale: it changed without a new resourceVersion`);
    this.name = "StaleStoredMemoError";
  }
}

/**
 * `compute()`, or the result it gave for `obj` when `fp` (and the object `dep`, by identity) were the same. The
 * result is shared between calls: callers only serialise or copy it.
 */
export function storedForm<T>(obj: object, fp: string, dep: object | undefined, what: () => string, compute: () => T): T {
  const hit = memo.get(obj);
  if (hit && hit.fp === fp && hit.dep === dep) {
    if (verify && JSON.stringify(compute()) !== JSON.stringify(hit.out)) throw new StaleStoredMemoError(what());
    return hit.out as T;
  }
  const out = compute();
  memo.set(obj, { fp, dep, out });
  return out;
}

/**
 * The JSON text remembered for `obj` under the same fingerprint and `dep`, or undefined. Split from settleText
 * (rather than one call taking a compute callback) because a save asks for every entry of every table: no closure
 * per entry. On a miss, or on a hit while verifying (storedMemoVerifying), the caller computes the text and hands
 * it to settleText.
 */
export function memoText(obj: object, fp: string, dep: object | undefined): string | undefined {
  const hit = texts.get(obj);
  return hit && hit.fp === fp && hit.dep === dep ? hit.out : undefined;
}

/** After memoText gave `hit`: remember `fresh` on a miss; on a hit, throw StaleStoredMemoError unless they agree. */
export function settleText(obj: object, fp: string, dep: object | undefined, hit: string | undefined, fresh: string, what: string): string {
  if (hit === undefined) {
    texts.set(obj, { fp, dep, out: fresh });
    return fresh;
  }
  if (fresh !== hit) throw new StaleStoredMemoError(what);
  return hit;
}

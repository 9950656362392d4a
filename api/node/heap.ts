// The Node server's heap policy: how far V8 lets the old generation grow past what a full GC left live before the
// next full GC. Every full GC of a class-sized heap stalls the request thread for a few hundred milliseconds of
// marking (its pause is the smaller part), and each stall leaves a burst of slow answers behind it (bench/README.md,
// "A class on one box"). V8 picks the factor from its own speeds, between 1.1× and 4×, and with a class's steady
// promotion often picks a small one: two or three full GCs a minute. A fixed 300% (4× the live heap) makes them rare
// for memory this kind of box has to spare: the heap may reach ~4× what is live (~250 MB live for 2,000 students).
//   KUBELAB_HEAP_GROWING_PERCENT=<0–1000>: the growth allowed, in percent; 0 leaves the choice to V8.
import { setFlagsFromString } from "node:v8";

export const DEFAULT_HEAP_GROWING_PERCENT = 300;

export class HeapPolicyError extends Error {
  constructor(value: string) {
    super(`KUBELAB_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000, not "${value}"`);
    this.name = "HeapPolicyError";
  }
}

/** The growth the environment asks for (percent; 0 = V8's own choice). */
export function heapGrowingPercent(env: Record<string, string | undefined> = process.env): number {
  const raw = env.KUBELAB_HEAP_GROWING_PERCENT?.trim();
  if (raw === undefined || raw === "") return DEFAULT_HEAP_GROWING_PERCENT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 1000) throw new HeapPolicyError(raw);
  return n;
}

/** A growth given to node itself (`node --heap-growing-percent=…`, an A/B's node options) is left as it was given. */
const GIVEN = /^--heap[-_]growing[-_]percent(=|$)/;

/**
 * Applies the policy to this process (V8 reads the flag at every full GC); returns the percent applied, or null when
 * node's own command line set it. (NODE_OPTIONS cannot carry this V8 option: node refuses to start with it there.)
 */
export function applyHeapPolicy(env: Record<string, string | undefined> = process.env, execArgv: readonly string[] = process.execArgv): number | null {
  const percent = heapGrowingPercent(env);
  if (execArgv.some((a) => GIVEN.test(a))) return null;
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}

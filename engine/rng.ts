// A small seeded PRNG (mulberry32) whose whole state is one uint32 kept inside the cluster state, so random
// choices (pod name suffixes, uids, load-balancing picks) replay exactly from the same seed and commands.

export interface RngState {
  s: number;
}

export function seedRng(seed: number): RngState {
  // Mix the seed so that nearby seeds give unrelated streams.
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return { s: (h ^ (h >>> 16)) >>> 0 };
}

/** Next uint32. */
export function nextU32(r: RngState): number {
  r.s = (r.s + 0x6d2b79f5) >>> 0;
  let t = r.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** Uniform integer in [0, n). */
export function nextInt(r: RngState, n: number): number {
  return Math.floor((nextU32(r) / 0x100000000) * n);
}

/** The apiserver's name-suffix alphabet (no vowels, no 0/1/3): k8s.io/apimachinery pkg/util/rand. */
export const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `generateName` suffix: 5 chars of the upstream alphabet. */
export function nameSuffix(r: RngState): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += NAME_ALPHABET[nextInt(r, NAME_ALPHABET.length)];
  return s;
}

/** A random RFC 4122 v4 uid. */
export function uid(r: RngState): string {
  const hex = (n: number) => nextU32(r).toString(16).padStart(8, "0").slice(0, n);
  const v = (nextInt(r, 16) & 0x3) | 0x8;
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${v.toString(16)}${hex(3)}-${hex(8)}${hex(4)}`;
}

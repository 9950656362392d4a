// FNV-1a (32-bit) and the pod-template-hash encoding the Deployment controller uses: the decimal hash passed
// through apimachinery's SafeEncodeString (each byte -> alphanums[b % 27]).
import { NAME_ALPHABET } from "./rng.ts";
import { memoize } from "./memo.ts";

export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function safeEncode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += NAME_ALPHABET[text.charCodeAt(i) % NAME_ALPHABET.length];
  return out;
}

/** JSON with object keys sorted, so equal values hash equally whatever the key order. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  // Values whose keys are already in order (admitted specs, parsed canonical text) are plain JSON.stringify.
  return plainSorted(v) ? JSON.stringify(v) : canonicalText(v);
}

function canonicalText(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) {
    let s = "[";
    // A hole maps to nothing (as Array.prototype.map then join would have it).
    for (let i = 0; i < v.length; i++) s += (i ? "," : "") + (i in v ? canonicalText(v[i]) : "");
    return s + "]";
  }
  const o = v as Record<string, unknown>;
  const keys = sortedKeys(o);
  let s = "{";
  let first = true;
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    s += (first ? "" : ",") + JSON.stringify(k) + ":" + canonicalText(x);
    first = false;
  }
  return s + "}";
}

/**
 * Own keys in sort() order, without sorting when they already are. An object's keys are few (a pod's targetRef, a
 * port, metadata): they are put in order in place, as Array.prototype.sort allocates a work array on every call and
 * canonical comparisons sort thousands of small key lists per mutation. `<` on strings is sort()'s order (UTF-16
 * code units).
 */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  if (keys.length > 16) {
    for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort();
    return keys;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * True when JSON.stringify(v) is already canonicalJSON(v): plain objects with keys in sorted order, dense arrays
 * without undefined items, and no functions, symbols, bigints or objects with a prototype of their own (toJSON).
 */
function plainSorted(v: unknown): boolean {
  const t = typeof v;
  if (t !== "object") return t === "string" || t === "number" || t === "boolean" || t === "undefined";
  if (v === null) return true;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return false;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === undefined || !plainSorted(x)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    if (i && keys[i - 1] > keys[i]) return false;
    if (!plainSorted(o[keys[i]])) return false;
  }
  return true;
}

/**
 * `canonicalJSON(a) === canonicalJSON(b)`, decided by walking both values (sorting keys only where they are out of
 * order, stopping at the first difference). Holes and bigints are left to canonicalJSON itself.
 */
export function canonicalEqual(a: unknown, b: unknown): boolean {
  try {
    return sameCanonical(a, b);
  } catch (e) {
    if (e !== NOT_MODELLED) throw e;
    return canonicalJSON(a) === canonicalJSON(b);
  }
}

/** How canonicalJSON writes a value: 0 as JSON.stringify(v) ?? "null", 1 an array's items, 2 an object's own keys. */
function canonicalKind(v: unknown): 0 | 1 | 2 {
  const t = typeof v;
  if (t === "bigint") throw NOT_MODELLED;
  if (t !== "object" || v === null) return 0;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw NOT_MODELLED;
    return 1;
  }
  return 2;
}

/** The primitive's text, as an equivalent value: strings, finite numbers and booleans as they are, the rest null. */
function primitiveText(v: unknown): unknown {
  const t = typeof v;
  return t === "string" || t === "boolean" || (t === "number" && Number.isFinite(v)) ? v : null;
}

function sameCanonical(a: unknown, b: unknown): boolean {
  const k = canonicalKind(a);
  if (k !== canonicalKind(b)) return false;
  if (k === 0) return primitiveText(a) === primitiveText(b);
  if (k === 1) {
    const x = a as unknown[];
    const y = b as unknown[];
    // A hole is written as nothing, so arrays of different lengths can still have the same text: leave those alone.
    if (x.length !== y.length) {
      if (hasHole(x) || hasHole(y)) throw NOT_MODELLED;
      return false;
    }
    for (let i = 0; i < x.length; i++) {
      if (!(i in x) || !(i in y)) throw NOT_MODELLED;
      if (!sameCanonical(x[i], y[i])) return false;
    }
    return true;
  }
  const o = a as Record<string, unknown>;
  const p = b as Record<string, unknown>;
  const ka = definedKeys(o);
  const kb = definedKeys(p);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  for (let i = 0; i < ka.length; i++) if (!sameCanonical(o[ka[i]], p[kb[i]])) return false;
  return true;
}

function hasHole(x: unknown[]): boolean {
  for (let i = 0; i < x.length; i++) if (!(i in x)) return true;
  return false;
}

/** The keys canonicalJSON writes, in its order. */
function definedKeys(o: Record<string, unknown>): string[] {
  const keys = sortedKeys(o);
  for (let i = 0; i < keys.length; i++) if (o[keys[i]] === undefined) return keys.filter((k) => o[k] !== undefined);
  return keys;
}

/**
 * `JSON.stringify(a) === JSON.stringify(b)`, decided by walking both values instead of writing them out (and
 * stopping at the first difference). Anything the walk does not model exactly (a toJSON, a prototype of its own,
 * a bigint) is left to JSON.stringify itself.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (omitted(a) || omitted(b)) return omitted(a) && omitted(b);
  try {
    return sameJsonValue(a, b);
  } catch (e) {
    if (e !== NOT_MODELLED) throw e;
    return JSON.stringify(a) === JSON.stringify(b);
  }
}

const NOT_MODELLED = Symbol("not modelled");

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(v: unknown): boolean {
  const t = typeof v;
  return t === "undefined" || t === "function" || t === "symbol";
}

/** How JSON.stringify writes a value that is not omitted: 0 a primitive, 1 an array, 2 an object's own keys. */
function jsonKind(v: unknown): 0 | 1 | 2 {
  const t = typeof v;
  if (t === "bigint") throw NOT_MODELLED;
  if (t !== "object" || v === null) return 0;
  const proto = Object.getPrototypeOf(v);
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") throw NOT_MODELLED;
  if (Array.isArray(v)) {
    if (proto !== Array.prototype) throw NOT_MODELLED;
    return 1;
  }
  if (proto !== Object.prototype && proto !== null) throw NOT_MODELLED;
  return 2;
}

/** For values that are not omitted. */
function sameJsonValue(a: unknown, b: unknown): boolean {
  const k = jsonKind(a);
  if (k !== jsonKind(b)) return false;
  if (k === 1) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) {
      const u = x[i];
      const v = y[i];
      if (!sameJsonValue(omitted(u) ? null : u, omitted(v) ? null : v)) return false;
    }
    return true;
  }
  if (k === 2) {
    const o = a as Record<string, unknown>;
    const p = b as Record<string, unknown>;
    const ka = Object.keys(o);
    const kb = Object.keys(p);
    let i = 0;
    let j = 0;
    for (;;) {
      while (i < ka.length && omitted(o[ka[i]])) i++;
      while (j < kb.length && omitted(p[kb[j]])) j++;
      if (i === ka.length || j === kb.length) return i === ka.length && j === kb.length;
      if (ka[i] !== kb[j] || !sameJsonValue(o[ka[i]], p[kb[j]])) return false;
      i++;
      j++;
    }
  }
  // Numbers JSON cannot write are written as null; -0 is written as 0 (and -0 === 0).
  const x = typeof a === "number" && !Number.isFinite(a) ? null : a;
  const y = typeof b === "number" && !Number.isFinite(b) ? null : b;
  return x === y;
}

/** A copy with every object's keys sorted (arrays keep their order). */
export function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of sortedKeys(o)) if (o[k] !== undefined) out[k] = sortKeysDeep(o[k]);
  return out as T;
}

/**
 * `pod-template-hash` for a template (plus the Deployment's collisionCount when set). A template's
 * `metadata.creationTimestamp: null` (what kubectl's generators write, and a rollback's patch sends) is the zero time
 * Go hashes as if absent, so it is left out: with or without it, one template has one hash.
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  const h = safeEncode(String(fnv32a(canonicalJSON(withoutNullCreationTime(template)) + (collisionCount ? String(collisionCount) : ""))));
  return (collisionCount === 0 && KNOWN_TEMPLATE_HASHES[h]) || h;
}

/**
 * kubelab's hash is FNV-1a of the template's canonical JSON, not of Go's printed struct (ComputeHash), so it differs
 * from a real cluster's — except for templates every student sees the same in a real cluster: kubeadm v1.19's
 * coredns Deployment, whose ReplicaSet and pods are `coredns-f9fd979d6-…` in every v1.19 kubeadm cluster.
 */
const KNOWN_TEMPLATE_HASHES: Record<string, string> = { "5c69f9b677": "f9fd979d6" };

function withoutNullCreationTime(template: unknown): unknown {
  const t = template as { metadata?: Record<string, unknown> } | null;
  if (!t || typeof t !== "object" || !t.metadata || t.metadata.creationTimestamp !== null) return template;
  const { creationTimestamp: _zero, ...metadata } = t.metadata;
  return { ...t, metadata };
}

/** 64 hex chars derived from a string (container ids, image digests). */
export const hex64 = memoize(computeHex64, 20_000);

function computeHex64(seed: string): string {
  let out = "";
  for (let i = 0; out.length < 64; i++) out += fnv32a(`${seed}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, 64);
}

/**
 * `n` hex digits derived from a string, each 32-bit word FNV-1a of `<seed>#<i>` put through murmur3's finaliser:
 * unlike hex64's words, neighbouring words share no bits, so they can be cut into name suffixes and ids.
 */
export function mixedHex(seed: string, n: number): string {
  let out = "";
  for (let i = 0; out.length < n; i++) {
    let h = fnv32a(`${seed}#${i}`);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    out += ((h ^ (h >>> 16)) >>> 0).toString(16).padStart(8, "0");
  }
  return out.slice(0, n);
}

/** A v4-shaped uid derived from a string (objects derived on read get the same uid every time). */
export function hashUid(seed: string): string {
  const h = mixedHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) & 3]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

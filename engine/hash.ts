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
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k])}`)
    .join(",")}}`;
}

/** A copy with every object's keys sorted (arrays keep their order). */
export function sortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeysDeep) as T;
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeysDeep(o[k]);
  return out as T;
}

/** `pod-template-hash` for a template (plus the Deployment's collisionCount when set). */
export function templateHash(template: unknown, collisionCount = 0): string {
  const h = fnv32a(canonicalJSON(template) + (collisionCount ? String(collisionCount) : ""));
  return safeEncode(String(h));
}

/** 64 hex chars derived from a string (container ids, image digests). */
export const hex64 = memoize(computeHex64, 20_000);

function computeHex64(seed: string): string {
  let out = "";
  for (let i = 0; out.length < 64; i++) out += fnv32a(`${seed}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, 64);
}

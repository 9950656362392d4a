// Plain label maps (labels.Set in apimachinery v0.19): printing, conflict/merge helpers, and the equality-only
// `k=v,k2=v2` parser used by kubectl flags such as `kubectl run --labels` / `kubectl expose --labels`.

import type { Labels } from "../objects.ts";
import { isQualifiedName, isValidLabelValue } from "../validation/names.ts";
import { SelectorParseError, goQuoteString } from "./selector.ts";

function hasOwn(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

/** Set.String(): "k=v" pairs sorted as whole strings (not by key: "a-b=2" sorts before "a=1") and joined by ",". */
export function labelsString(labels: Labels | undefined | null): string {
  if (!labels) return "";
  const pairs = Object.keys(labels).map((k) => `${k}=${labels[k]}`);
  pairs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.join(",");
}

/** labels.FormatLabels: like labelsString but `<none>` for an empty map (kubectl's LABELS / SELECTOR cells). */
export function formatLabels(labels: Labels | undefined | null): string {
  const s = labelsString(labels);
  return s === "" ? "<none>" : s;
}

export function labelsHas(labels: Labels | undefined | null, key: string): boolean {
  return !!labels && hasOwn(labels, key);
}

/** labels.Conflicts: true when some key is present in both with different values. */
export function labelsConflict(a: Labels, b: Labels): boolean {
  const [small, big] = Object.keys(a).length < Object.keys(b).length ? [a, b] : [b, a];
  for (const k of Object.keys(small)) if (hasOwn(big, k) && big[k] !== small[k]) return true;
  return false;
}

/** labels.Merge: a new map with a's entries overridden by b's. */
export function mergeLabels(a: Labels, b: Labels): Labels {
  const out: Labels = {};
  for (const k of Object.keys(a)) out[k] = a[k];
  for (const k of Object.keys(b)) out[k] = b[k];
  return out;
}

const GO_SPACE = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);

function isGoSpace(c: number): boolean {
  return GO_SPACE.has(c) || (c >= 0x2000 && c <= 0x200a);
}

/** strings.TrimSpace (Unicode white space as Go defines it). */
export function goTrimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isGoSpace(s.charCodeAt(i))) i++;
  while (j > i && isGoSpace(s.charCodeAt(j - 1))) j--;
  return s.slice(i, j);
}

/**
 * labels.ConvertSelectorToLabelsMap: splits on "," then "=" (exactly two parts each), trims, validates key and
 * value. Throws SelectorParseError with upstream's text, e.g. `invalid selector: [x]`.
 */
export function convertSelectorToLabelsMap(text: string): Labels {
  const out: Labels = {};
  if (text.length === 0) return out;
  for (const item of text.split(",")) {
    const parts = item.split("=");
    if (parts.length !== 2) throw new SelectorParseError(`invalid selector: [${parts.join(" ")}]`);
    const key = goTrimSpace(parts[0]);
    const kerrs = isQualifiedName(key);
    if (kerrs.length) throw new SelectorParseError(`invalid label key ${goQuoteString(key)}: ${kerrs.join("; ")}`);
    const value = goTrimSpace(parts[1]);
    const verrs = isValidLabelValue(value);
    if (verrs.length) {
      throw new SelectorParseError(`invalid label value: ${goQuoteString(value)}: at key: ${goQuoteString(key)}: ${verrs.join("; ")}`);
    }
    out[key] = value;
  }
  return out;
}

// Label and selector rendering as kubectl prints them (labels.FormatLabels, metav1.FormatLabelSelector).
import type { LabelSelector, Labels } from "../objects.ts";

/** `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Labels | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** metav1.FormatLabelSelector: matchLabels as `k=v`, expressions as `k in (a,b)`, `k`, `!k`; `<none>` if empty. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return "<none>";
  const parts: string[] = [];
  for (const k of Object.keys(sel.matchLabels ?? {}).sort()) parts.push(`${k}=${sel.matchLabels![k]}`);
  for (const e of sel.matchExpressions ?? []) {
    switch (e.operator) {
      case "In":
        parts.push(`${e.key} in (${[...(e.values ?? [])].sort().join(",")})`);
        break;
      case "NotIn":
        parts.push(`${e.key} notin (${[...(e.values ?? [])].sort().join(",")})`);
        break;
      case "Exists":
        parts.push(e.key);
        break;
      case "DoesNotExist":
        parts.push(`!${e.key}`);
        break;
    }
  }
  const s = parts.join(",");
  return s === "" ? "<none>" : s;
}

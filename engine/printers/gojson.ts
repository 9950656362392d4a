// JSON as Go's encoding/json MarshalIndent writes it (kubectl's -o json): 4-space indentation, `{}` and `[]` for
// empty containers, and Go's string escaping — `<`, `>`, `&`, U+2028 and U+2029 as \uXXXX, control characters
// other than \n \r \t as \u00XX (JavaScript would write \b and \f). Object keys are written in the order given;
// `sortedKeys` sorts them by bytes, as Go does for the maps of an object kubectl decoded generically.

export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || ch === "<" || ch === ">" || ch === "&" || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

export function goJson(v: unknown, sortedKeys: boolean, indent = ""): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const inner = indent + "    ";
  if (Array.isArray(v)) {
    if (!v.length) return "[]";
    return `[\n${v.map((x) => inner + goJson(x, sortedKeys, inner)).join(",\n")}\n${indent}]`;
  }
  const o = v as Record<string, unknown>;
  let keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (sortedKeys) keys = keys.sort((a, b) => byteCompare(a, b));
  if (!keys.length) return "{}";
  return `{\n${keys.map((k) => `${inner}${goJsonString(k)}: ${goJson(o[k], sortedKeys, inner)}`).join(",\n")}\n${indent}}`;
}

/** Go's string order: by UTF-8 bytes (the same as UTF-16 order outside the surrogate range, which labels never reach). */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** json.Marshal: compact, map keys sorted (what kubectl's jsonpath prints for an object or a list). */
export function goJsonCompact(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goJsonString(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(goJsonCompact).join(",")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(byteCompare);
  return `{${keys.map((k) => `${goJsonString(k)}:${goJsonCompact(o[k])}`).join(",")}}`;
}

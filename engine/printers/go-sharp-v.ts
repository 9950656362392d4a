// Go's `%#v` of a value decoded from JSON into interface{} (what kubectl prints as "object given to jsonpath engine
// was" when a template fails): `map[string]interface {}{"k":v, ...}` with keys sorted, `[]interface {}{a, b}`,
// strings as strconv.Quote writes them, integers as int64 and other numbers as float64, null as `interface {}(nil)`.
import { goQuoteString } from "../labels/selector.ts";
import { byteCompare } from "./gojson.ts";

export function goSharpV(v: unknown, top = true): string {
  if (v === null || v === undefined) return top ? "<nil>" : "interface {}(nil)";
  if (typeof v === "string") return goQuoteString(v);
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v).replace(/e([+-])(\d)$/, "e$10$2");
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSharpV(x, false)).join(", ")}}`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(byteCompare);
  return `map[string]interface {}{${keys.map((k) => `${goQuoteString(k)}:${goSharpV(o[k], false)}`).join(", ")}}`;
}

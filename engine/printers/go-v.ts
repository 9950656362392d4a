// Go's `%v` of a value decoded from JSON into interface{} (what kubectl's custom-columns print for each value a
// column's path finds): strings bare, integers as int64, other numbers as float64's shortest %g, null as `<nil>`,
// lists as `[a b]` and objects as `map[k:v …]` with the keys sorted (fmt sorts map keys), nested values alike.
import { byteCompare } from "./gojson.ts";

/** float64 as %v prints it: the shortest digits that round-trip, in %e form when the exponent is < -4 or >= 6
 * (strconv's 'g' with the shortest precision decides at 6: 1e+06, 1.5e+07). */
function goFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (!Number.isFinite(f)) return f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mant, e] = f.toExponential().split("e"); // the shortest round-trip digits, as strconv's shortest
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  // plain form: the digits placed around the decimal point
  const digits = mant.replace("-", "").replace(".", "");
  const sign = f < 0 ? "-" : "";
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

export function goV(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : goFloat(v);
  if (Array.isArray(v)) return `[${v.map(goV).join(" ")}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort(byteCompare);
  return `map[${keys.map((k) => `${k}:${goV(o[k])}`).join(" ")}]`;
}

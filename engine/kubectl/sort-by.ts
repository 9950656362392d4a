// `kubectl get --sort-by=PATH` as kubectl v1.19 sorts: the objects of each table (or of the list a generic printer
// prints) by the first value PATH finds in each, with Go's unstable sort.Sort — so ties land where Go's algorithm puts
// them — strings in natural order, int64s and float64s by value, an object without the field first. A field no object
// has is refused; values that cannot be compared (a map, a list, a bool, a number against a string) end kubectl with
// klog.Fatalf.
import { ClientError } from "../errors.ts";
import { goQuoteString } from "../labels/selector.ts";
import { goSort } from "../printers/go-sort.ts";
import { naturalLess } from "../printers/natural-less.ts";
import { jsonpathValues, relaxedJsonpath } from "./jsonpath.ts";

/** klog.Fatalf's message and the source line that logs it (kubectl then exits 255). */
export class SortFatal extends Error {
  constructor(
    message: string,
    readonly at: string,
  ) {
    super(message);
    this.name = "SortFatal";
  }
}

/** Where the objects are sorted: a table's rows (TableSorter) or a generic printer's list (RuntimeSort). */
export type SortSite = "table" | "list";

/** The Go type a value decoded from JSON has in interface{} (what isLess switches on). */
function goType(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return Number.isInteger(v) ? "int64" : "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "map[string]interface {}";
}

/** isLess on two values of interface kind; throws the error Go's isLess returns. */
function isLess(i: unknown, j: unknown): boolean {
  if (i === null && j === null) return false;
  if (i === null) return true;
  if (j === null) return false;
  const t = goType(i);
  if (t === "string" || t === "int64" || t === "float64") {
    if (goType(j) !== t) throw new Error("unsortable interface: interface");
    return t === "string" ? naturalLess(i as string, j as string) : (i as number) < (j as number);
  }
  throw new Error(`unsortable type: ${t}`);
}

/** The path sorted by: relaxed as kubectl relaxes it (a table falls back to the text as given; a list refuses). */
export function sortPath(sortBy: string, site: SortSite): string {
  try {
    return relaxedJsonpath(sortBy);
  } catch (e) {
    if (site === "table") return sortBy;
    throw e;
  }
}

/** Sorts `objs` in place by `path` (already relaxed) as kubectl's sorter at `site` does. */
export function sortObjectsBy<T>(objs: T[], path: string, site: SortSite): void {
  const firsts = new Map<T, unknown[]>();
  for (const o of objs) {
    let found: unknown[];
    try {
      found = jsonpathValues(path, o);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      throw new ClientError(site === "table" ? `Failed to get values for [][]reflect.Value(nil) using ${path} (&errors.errorString{s:${goQuoteString(e.message)}})` : e.message);
    }
    firsts.set(o, found);
  }
  if (objs.length > 0 && ![...firsts.values()].some((v) => v.length > 0)) throw new ClientError(`couldn't find any field with path ${goQuoteString(path)} in the list of objects`);
  goSort(objs, (a, b) => {
    const av = firsts.get(a)!;
    const bv = firsts.get(b)!;
    if (av.length === 0) return true;
    if (bv.length === 0) return false;
    try {
      return isLess(av[0], bv[0]);
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      const holder = site === "table" ? "[][][]reflect.Value" : "*unstructured.Unstructured";
      throw new SortFatal(`Field ${path} in ${holder} is an unsortable type: interface, err: ${e.message}`, site === "table" ? "sorter.go:360" : "sorter.go:314");
    }
  });
}

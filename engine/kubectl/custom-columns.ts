// `kubectl get -o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE` (kubectl v1.19's
// CustomColumnsPrinter): a header line, then one line per object with what each column's path finds there — `<none>`
// when it finds nothing, several values joined by commas, each as Go's %v prints it — aligned by kubectl get's tabwriter.
import { ClientError } from "../errors.ts";
import { formatTable } from "../printers/tabwriter.ts";
import { goV } from "../printers/go-v.ts";
import { jsonpathValues, relaxedJsonpath } from "./jsonpath.ts";

export interface Column {
  header: string;
  /** The column's path as `{.a.b}`. */
  path: string;
}

/** The columns of `custom-columns=SPEC`, or kubectl's refusal of the spec. */
export function columnsFromSpec(spec: string): Column[] {
  if (spec === "") throw new ClientError("custom-columns format specified but no custom columns given");
  return spec.split(",").map((part) => {
    const colon = part.indexOf(":");
    if (colon < 0) throw new ClientError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), path: relaxedJsonpath(part.slice(colon + 1)) };
  });
}

const TEMPLATE_FORMAT = "Expected format is one line of space separated headers, one line of space separated column specs.";

/** The columns of a custom-columns file: a line of headers and a line of paths, each split on white space. */
export function columnsFromTemplate(text: string): Column[] {
  const lines = text.split("\n");
  if (text === "") throw new ClientError(`invalid template, missing header line. ${TEMPLATE_FORMAT}`);
  if (lines.length < 2 || (lines.length === 2 && lines[1] === "")) throw new ClientError(`invalid template, missing spec line. ${TEMPLATE_FORMAT}`);
  const words = (l: string) => l.replace(/\r$/, "").split(/[\t\n\v\f\r \u0085\u00a0]+/).filter(Boolean);
  const headers = words(lines[0]);
  const paths = words(lines[1]);
  if (headers.length !== paths.length) throw new ClientError(`number of headers (${headers.length}) and field specifications (${paths.length}) don't match`);
  return headers.map((header, i) => ({ header, path: relaxedJsonpath(paths[i]) }));
}

/**
 * The table of `objects` (a list's items in order); `error` is a path that could not run on an object: kubectl prints
 * the rows before it (its tabwriter is flushed on the way out) and then the error.
 */
export function customColumnsTable(columns: Column[], objects: unknown[], noHeaders: boolean): { text: string; error?: string } {
  const rows: string[][] = noHeaders ? [] : [columns.map((c) => c.header)];
  let error: string | undefined;
  for (const obj of objects) {
    try {
      rows.push(
        columns.map((c) => {
          const found = jsonpathValues(c.path, obj);
          return found.length ? found.map(goV).join(",") : "<none>";
        }),
      );
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      error = e.message;
      break;
    }
  }
  return { text: formatTable(rows), error };
}

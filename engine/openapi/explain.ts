// kubectl explain (pkg/explain of kubectl v1.19/1.20) over the served OpenAPI definitions: KIND/VERSION, the
// RESOURCE or FIELD line, DESCRIPTION (the field's description, then its type's), FIELDS with type names and
// -required-, wrapped at 80 columns; --recursive lists the field tree instead.
import { definitions, deref, type Schema } from "./index.ts";

const WRAP = 80;

/** kubectl's wrapString: words joined with single spaces, lines at most `width` long (a long word stands alone). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line: string[] = [];
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const next = [...line, word].join(" ");
    if (next.length <= width || line.length === 0) line.push(word);
    else {
      out.push(line.join(" "));
      line = [word];
    }
  }
  if (line.length) out.push(line.join(" "));
  return out;
}

class Writer {
  lines: string[] = [];
  write(indent: number, text: string): void {
    this.lines.push(" ".repeat(indent) + text);
  }
  wrapped(indent: number, text: string): void {
    for (const l of wrap(text, WRAP - indent)) this.write(indent, l);
  }
}

/** The schema a field's type resolves to (references followed), with the descriptions met on the way. */
function resolve(s: Schema): { schema: Schema; descriptions: string[] } {
  const descriptions: string[] = [];
  let cur = s;
  for (;;) {
    const r = deref(cur);
    if (r) {
      descriptions.push(cur.description ?? "");
      cur = r.schema;
      continue;
    }
    return { schema: cur, descriptions };
  }
}

function isKind(s: Schema): boolean {
  return s.type === "object" && !!s.properties;
}

export function typeName(s: Schema): string {
  const r = resolve(s).schema;
  if (r.type === "array") return `[]${r.items ? typeName(r.items) : ""}`;
  if (r.type === "object") {
    if (r.properties) return "Object";
    return `map[string]${r.additionalProperties ? typeName(r.additionalProperties) : ""}`;
  }
  return r.type ?? "";
}

function fields(w: Writer, kind: Schema, indent: number): void {
  const required = new Set(kind.required ?? []);
  for (const key of Object.keys(kind.properties ?? {}).sort()) {
    const v = kind.properties![key];
    w.write(indent, `${key}\t<${typeName(v)}>${required.has(key) ? " -required-" : ""}`);
    w.wrapped(indent + 2, resolveDescription(v));
    w.write(0, "");
  }
}

/** A field's own description (a reference's description is the field's). */
function resolveDescription(v: Schema): string {
  return v.description ?? "";
}

function recursiveFields(w: Writer, s: Schema, indent: number, seen: Set<Schema>): void {
  const r = resolve(s).schema;
  if (r.type === "array" && r.items) return recursiveFields(w, r.items, indent, seen);
  if (r.type === "object" && !r.properties && r.additionalProperties) return recursiveFields(w, r.additionalProperties, indent, seen);
  if (!isKind(r) || seen.has(r)) return;
  seen.add(r);
  for (const key of Object.keys(r.properties!).sort()) {
    const v = r.properties![key];
    w.write(indent, `${key}\t<${typeName(v)}>`);
    recursiveFields(w, v, indent + 3, seen);
  }
  seen.delete(r);
}

export class ExplainError extends Error {}

/**
 * The text of `kubectl explain <kind>[.<field>...]` for a kind's definition (`group`/`version`/`kind`), or an
 * ExplainError with kubectl's message.
 */
export function explain(top: { name: string; schema: Schema }, gvk: { group: string; version: string; kind: string }, path: string[], recursive = false): string {
  let schema: Schema = { $ref: `#/definitions/${top.name}` };
  let descriptions: string[] = [];
  let name = "";
  for (const f of path) {
    const { schema: kind } = unwrap(schema);
    const next = kind.properties?.[f];
    if (!next) throw new ExplainError(`field "${f}" does not exist`);
    schema = next;
    name = f;
  }
  const w = new Writer();
  w.write(0, `KIND:     ${gvk.kind}`);
  w.write(0, `VERSION:  ${gvk.group ? `${gvk.group}/` : ""}${gvk.version}`);
  w.write(0, "");
  // the descriptions met from the field down to its type: the field's, an array's or map's, then the type's own
  const u = unwrap(schema);
  descriptions = path.length ? u.descriptions : [];
  const target = u.schema;
  const type = typeName(schema);
  const kind = isKind(target);
  if (name) {
    w.write(0, `${kind ? "RESOURCE: " : "FIELD:    "}${name} <${type}>`);
    w.write(0, "");
  }
  w.write(0, "DESCRIPTION:");
  const all = [...descriptions, target.description ?? ""].filter((d) => d !== "");
  if (all.length === 0) w.wrapped(5, "<empty>");
  all.forEach((d, i) => {
    if (i > 0) w.write(0, "");
    w.wrapped(5, d);
  });
  if (kind) {
    w.write(0, "");
    w.write(0, "FIELDS:");
    if (recursive) recursiveFields(w, target, 3, new Set());
    else fields(w, target, 3);
  }
  return w.lines.join("\n") + "\n";
}

/** Through references, arrays and maps to the type underneath, collecting the descriptions on the way. */
function unwrap(s: Schema): { schema: Schema; descriptions: string[] } {
  const descriptions: string[] = [];
  let cur = s;
  for (;;) {
    const r = deref(cur);
    if (r) {
      descriptions.push(cur.description ?? "");
      cur = r.schema;
    } else if (cur.type === "array" && cur.items) {
      descriptions.push(cur.description ?? "");
      cur = cur.items;
    } else if (cur.type === "object" && !cur.properties && cur.additionalProperties) {
      descriptions.push(cur.description ?? "");
      cur = cur.additionalProperties;
    } else return { schema: cur, descriptions: descriptions.filter((d) => d !== "") };
  }
}

export { definitions };

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

/**
 * One walk from a field's schema to the type underneath, through references, arrays and maps: that type, kubectl's
 * name for the field's type (`[]Object`, `map[string]string`, `string`…) and the descriptions met on the way (the
 * field's, an array's or map's; empty ones left out).
 */
interface Walked {
  schema: Schema;
  type: string;
  descriptions: string[];
}

function walk(s: Schema): Walked {
  const descriptions: string[] = [];
  let prefix = "";
  let cur = s;
  for (;;) {
    const r = deref(cur);
    if (r) {
      if (cur.description) descriptions.push(cur.description);
      cur = r.schema;
    } else if (cur.type === "array" && cur.items) {
      if (cur.description) descriptions.push(cur.description);
      prefix += "[]";
      cur = cur.items;
    } else if (cur.type === "object" && !cur.properties && cur.additionalProperties) {
      if (cur.description) descriptions.push(cur.description);
      prefix += "map[string]";
      cur = cur.additionalProperties;
    } else {
      const last = cur.type === "array" ? "[]" : cur.type === "object" ? (cur.properties ? "Object" : "map[string]") : (cur.type ?? "");
      return { schema: cur, type: prefix + last, descriptions };
    }
  }
}

function isKind(s: Schema): boolean {
  return s.type === "object" && !!s.properties;
}

export function typeName(s: Schema): string {
  return walk(s).type;
}

function fields(w: Writer, kind: Schema, indent: number): void {
  const required = new Set(kind.required ?? []);
  for (const key of Object.keys(kind.properties ?? {}).sort()) {
    const v = kind.properties![key];
    w.write(indent, `${key}\t<${typeName(v)}>${required.has(key) ? " -required-" : ""}`);
    // a field's own description (a reference's description is the field's)
    w.wrapped(indent + 2, v.description ?? "");
    w.write(0, "");
  }
}

function recursiveFields(w: Writer, kind: Schema, indent: number, seen: Set<Schema>): void {
  if (seen.has(kind)) return;
  seen.add(kind);
  for (const key of Object.keys(kind.properties!).sort()) {
    const v = walk(kind.properties![key]);
    w.write(indent, `${key}\t<${v.type}>`);
    if (isKind(v.schema)) recursiveFields(w, v.schema, indent + 3, seen);
  }
  seen.delete(kind);
}

export class ExplainError extends Error {}

/**
 * The text of `kubectl explain <kind>[.<field>...]` for a kind's definition (`group`/`version`/`kind`), or an
 * ExplainError with kubectl's message.
 */
export function explain(top: { name: string; schema: Schema }, gvk: { group: string; version: string; kind: string }, path: string[], recursive = false): string {
  let at = walk({ $ref: `#/definitions/${top.name}` });
  for (const f of path) {
    const next = at.schema.properties?.[f];
    if (!next) throw new ExplainError(`field "${f}" does not exist`);
    at = walk(next);
  }
  const name = path.at(-1) ?? "";
  const w = new Writer();
  w.write(0, `KIND:     ${gvk.kind}`);
  w.write(0, `VERSION:  ${gvk.group ? `${gvk.group}/` : ""}${gvk.version}`);
  w.write(0, "");
  const target = at.schema;
  const kind = isKind(target);
  if (name) {
    w.write(0, `${kind ? "RESOURCE: " : "FIELD:    "}${name} <${at.type}>`);
    w.write(0, "");
  }
  w.write(0, "DESCRIPTION:");
  // the descriptions met from the field down to its type: the field's, an array's or map's, then the type's own
  const all = [...(path.length ? at.descriptions : []), target.description ?? ""].filter((d) => d !== "");
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

export { definitions };

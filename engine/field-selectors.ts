// Field selectors as a v1.19 apiserver reads them (k8s.io/apimachinery/pkg/fields and each kind's field label
// conversion): `a=b,c!=d` terms split on unescaped commas, no white space trimmed, a value's `\,` `\=` `\\` escapes;
// each kind accepts its own fields (a Pod's spec.nodeName, status.phase…; a Node's spec.unschedulable), anything else
// is refused with that kind's words; a field an object leaves unset reads as "" — and one the engine does not record
// (an Event's involvedObject.uid on some events, its apiVersion and resourceVersion) does not decide a term.
import type { AnyObject, Pod } from "./objects.ts";
import type { Kind } from "./types.ts";
import { KubeError } from "./errors.ts";
import { EVENT_FIELDS, type EventObject } from "./events.ts";

/** A field's value; undefined: the engine does not record it, so a term on it does not decide. */
type Get = (o: AnyObject) => string | undefined;

const name: Get = (o) => o.metadata.name;
const namespace: Get = (o) => o.metadata.namespace ?? "";
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
const podOf = (o: AnyObject) => o as Pod;

/** The fields a kind's conversion accepts, and how each is read; a kind not here takes metadata.name/namespace. */
const KIND_FIELDS: Partial<Record<Kind, { fields: Record<string, Get>; aliases?: Record<string, string> }>> = {
  Pod: {
    fields: {
      "metadata.name": name,
      "metadata.namespace": namespace,
      "spec.nodeName": (o) => str(podOf(o).spec.nodeName),
      "spec.restartPolicy": (o) => str(podOf(o).spec.restartPolicy),
      "spec.schedulerName": (o) => str(podOf(o).spec.schedulerName),
      "spec.serviceAccountName": (o) => str((podOf(o).spec as { serviceAccountName?: string }).serviceAccountName),
      "status.phase": (o) => str(podOf(o).status.phase),
      "status.podIP": (o) => str(podOf(o).status.podIP),
      "status.nominatedNodeName": (o) => str((podOf(o).status as { nominatedNodeName?: string }).nominatedNodeName),
    },
    aliases: { "spec.host": "spec.nodeName" },
  },
  Node: { fields: { "metadata.name": name, "spec.unschedulable": (o) => String(!!(o as { spec?: { unschedulable?: boolean } }).spec?.unschedulable) } },
  Namespace: { fields: { "metadata.name": name, "status.phase": (o) => str((o as { status?: { phase?: string } }).status?.phase) } },
  Event: { fields: Object.fromEntries(Object.entries(EVENT_FIELDS).map(([f, get]) => [f, (o: AnyObject) => get(o as unknown as EventObject)])) },
  Secret: { fields: { "metadata.name": name, "metadata.namespace": namespace, type: (o) => str((o as { type?: string }).type) } },
};

const METADATA_ONLY: Record<string, Get> = { "metadata.name": name, "metadata.namespace": namespace };

function refusal(kind: Kind, field: string): string {
  return KIND_FIELDS[kind] ? `field label not supported: ${field}` : `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/** Terms split on commas no backslash escapes (fields.splitTerms). */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let cur = "";
  let escaped = false;
  for (const ch of text) {
    if (escaped) {
      cur += ch;
      escaped = false;
    } else if (ch === "\\") {
      cur += ch;
      escaped = true;
    } else if (ch === ",") {
      terms.push(cur);
      cur = "";
    } else cur += ch;
  }
  terms.push(cur);
  return terms;
}

/** A term's field, operator and value: the first of `!=`, `==`, `=` from the left (fields.splitTerm). */
function splitTerm(term: string): [string, string, string] | undefined {
  for (let i = 0; i < term.length; i++)
    for (const op of ["!=", "==", "="]) if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
  return undefined;
}

/** A value's escapes undone (fields.UnescapeValue), with its errors. */
function unescape(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === "\\") {
      const next = v[i + 1];
      if (next === undefined) throw new KubeError("BadRequest", "invalid field selector: invalid escape sequence: \\");
      if (next !== "\\" && next !== "," && next !== "=") throw new KubeError("BadRequest", `invalid field selector: invalid escape sequence: \\${next}`);
      out += next;
      i++;
    } else if (c === "," || c === "=") {
      // Go's %v of a rune: its number
      throw new KubeError("BadRequest", `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else out += c;
  }
  return out;
}

/**
 * The filter a field selector makes for objects of `kind` (undefined: no selector, everything matches); a selector
 * that does not parse, or names a field the kind does not have, is the apiserver's BadRequest.
 */
export function fieldSelectorFilter(kind: Kind, text: string | undefined): ((o: AnyObject) => boolean) | undefined {
  if (text === undefined || text === "" || splitTerms(text).every((t) => t === "")) return undefined;
  const fields = KIND_FIELDS[kind]?.fields ?? METADATA_ONLY;
  const aliases = KIND_FIELDS[kind]?.aliases ?? {};
  // (an empty term, as after a trailing comma, is skipped)
  const terms = splitTerms(text).filter((part) => part !== "").map((part) => {
    const t = splitTerm(part);
    if (!t) throw new KubeError("BadRequest", `invalid selector: '${text}'; can't understand '${part}'`);
    const [field0, op, raw] = t;
    const field = aliases[field0] ?? field0;
    const get = fields[field];
    if (!get) throw new KubeError("BadRequest", refusal(kind, field0));
    return { get, neg: op === "!=", value: unescape(raw) };
  });
  return (o) =>
    terms.every((t) => {
      const v = t.get(o);
      return v === undefined || (v === t.value) !== t.neg;
    });
}

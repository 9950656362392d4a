// Reading manifests the way kubectl does: multi-document YAML or JSON, `kind: List` flattened, each document a
// plain object. Errors are kubectl's client-side texts (`error parsing`, `kind not set`, `unable to recognize`).
import { loadYamlDocuments, YamlSyntaxError } from "./yaml.ts";
import { ClientError } from "../errors.ts";

export interface ManifestDoc {
  obj: Record<string, unknown>;
  /** 1-based index in the source, for messages. */
  index: number;
}

/** Limits that keep a student's paste from hurting the server. */
export const MANIFEST_LIMITS = { maxBytes: 256 * 1024, maxDocuments: 100 };

/**
 * kubectl apply reads its manifest twice: once to know which objects exist before it sends them (their messages
 * differ), then to apply them. The first reading is kept for the second (the same text and source parse to the same
 * documents, and the look-ahead only reads them): one parse handed over, taken by the next parse of that text, kept
 * for no one else.
 */
let handoff: { text: string; source: string; docs: ManifestDoc[] } | undefined;

/** parseManifest, the documents kept for the next parseManifest of the same text and source (which takes them). */
export function parseManifestAhead(text: string, source: string): ManifestDoc[] {
  handoff = undefined;
  const docs = parseManifest(text, source);
  handoff = { text, source, docs };
  return docs;
}

export function parseManifest(text: string, source: string): ManifestDoc[] {
  const kept = handoff;
  handoff = undefined;
  if (kept && kept.text === text && kept.source === source) return kept.docs;
  if (text.length > MANIFEST_LIMITS.maxBytes)
    throw new ClientError(`error parsing ${source}: manifest is ${text.length} bytes; the limit is ${MANIFEST_LIMITS.maxBytes}`);
  const trimmed = text.trimStart();
  const out: ManifestDoc[] = [];
  const push = (v: unknown) => {
    if (v === null || v === undefined) return;
    if (typeof v !== "object" || Array.isArray(v))
      throw new ClientError(`error parsing ${source}: error unmarshaling JSON: json: cannot unmarshal ${Array.isArray(v) ? "array" : typeof v} into Go value of type map[string]interface {}`);
    const o = v as Record<string, unknown>;
    if (o.kind === "List" && Array.isArray(o.items)) {
      for (const item of o.items) push(item);
      return;
    }
    out.push({ obj: o, index: out.length + 1 });
  };
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const v = JSON.parse(trimmed);
      if (Array.isArray(v)) v.forEach(push);
      else push(v);
      return checkCount(out, source);
    } catch (e) {
      if (e instanceof ClientError) throw e;
      // fall through: YAML is a superset of JSON and gives line numbers
    }
  }
  try {
    for (const v of loadYamlDocuments(text)) {
      push(v);
      if (out.length > MANIFEST_LIMITS.maxDocuments) break;
    }
  } catch (e) {
    if (e instanceof YamlSyntaxError) throw new ClientError(`error parsing ${source}: error converting YAML to JSON: yaml: ${e.message}`);
    throw e;
  }
  return checkCount(out, source);
}

function checkCount(out: ManifestDoc[], source: string): ManifestDoc[] {
  if (out.length > MANIFEST_LIMITS.maxDocuments)
    throw new ClientError(`error parsing ${source}: more than ${MANIFEST_LIMITS.maxDocuments} objects in one manifest`);
  return out;
}

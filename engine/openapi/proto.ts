// The OpenAPI v2 document in the protobuf encoding kubectl asks for (`Accept:
// application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's openapi_v2.Document message, of which
// kubectl reads the definitions — each a NamedSchema with its properties, items, additionalProperties, required,
// type, format, description, $ref and vendor extensions (x-kubernetes-group-version-kind, the patch strategy and
// merge key) whose values are carried as YAML text, as gnostic converts them. Field numbers are OpenAPIv2.proto's.
import { DRY_RUN_PARAMETER, definitions, patchPaths, type Schema } from "./index.ts";

type Field = [no: number, value: string | Uint8Array];

const utf8 = new TextEncoder();

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A message of length-delimited fields (strings and embedded messages: wire type 2), in the order given. */
function message(fields: Field[]): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const [no, v] of fields) {
    const bytes = typeof v === "string" ? utf8.encode(v) : v;
    const head = Uint8Array.from([...varint((no << 3) | 2), ...varint(bytes.length)]);
    parts.push(head, bytes);
    size += head.length + bytes.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A vendor extension's value as gnostic's Any carries it: YAML text (field 2). */
function yamlOf(v: unknown): string {
  if (typeof v === "string") return `${v}\n`;
  if (Array.isArray(v))
    return v
      .map((x) =>
        typeof x === "object" && x !== null
          ? Object.entries(x as Record<string, unknown>)
              .map(([k, val], i) => `${i === 0 ? "- " : "  "}${k}: ${JSON.stringify(val)}`)
              .join("\n")
          : `- ${JSON.stringify(x)}`,
      )
      .join("\n") + "\n";
  return `${JSON.stringify(v)}\n`;
}

function schema(s: Schema): Uint8Array {
  const f: Field[] = [];
  if (s.$ref) f.push([1, s.$ref]);
  if (s.format) f.push([2, s.format]);
  if (s.description) f.push([4, s.description]);
  for (const r of s.required ?? []) f.push([19, r]);
  if (s.additionalProperties) f.push([21, message([[1, schema(s.additionalProperties)]])]);
  if (s.type) f.push([22, message([[1, s.type]])]);
  if (s.items) f.push([23, message([[1, schema(s.items)]])]);
  if (s.properties) f.push([25, message(Object.entries(s.properties).map(([name, p]) => [1, message([[1, name], [2, schema(p)]])]))]);
  for (const [k, v] of Object.entries(s)) if (k.startsWith("x-")) f.push([31, extension(k, v)]);
  return message(f);
}

/** A vendor extension: NamedAny { name, value: Any { yaml } }. */
const extension = (name: string, v: unknown): Uint8Array => message([[1, name], [2, message([[2, yamlOf(v)]])]]);

/**
 * Paths { path: NamedPathItem { name, PathItem { patch: Operation } } }: each Operation with its operationId, the
 * dryRun parameter (ParametersItem → Parameter → NonBodyParameter → QueryParameterSubSchema { in, description, name,
 * type }) and its x-kubernetes-action and x-kubernetes-group-version-kind.
 */
function paths(): Uint8Array {
  const dryRun = message([[1, message([[2, message([[3, message([[2, DRY_RUN_PARAMETER.in], [3, DRY_RUN_PARAMETER.description], [4, DRY_RUN_PARAMETER.name], [6, DRY_RUN_PARAMETER.type]])]])]])]]);
  return message(
    patchPaths().map((p) => {
      const operation = message([[5, p.operationId], [8, dryRun], [13, extension("x-kubernetes-action", "patch")], [13, extension("x-kubernetes-group-version-kind", p.gvk)]]);
      return [2, message([[1, p.path], [2, message([[8, operation]])]])];
    }),
  );
}

let cached: Uint8Array<ArrayBuffer> | undefined;

/** openapi_v2.Document { swagger, info { title, version }, paths, definitions }. */
export function openapiProtobuf(): Uint8Array<ArrayBuffer> {
  cached ??= message([
    [1, "2.0"],
    [2, message([[1, "Kubernetes"], [2, "v1.19.4"]])],
    [8, paths()],
    [9, message(Object.entries(definitions).map(([name, s]) => [1, message([[1, name], [2, schema(s)]])]))],
  ]);
  return cached;
}

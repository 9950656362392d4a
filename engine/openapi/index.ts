// The OpenAPI v2 definitions of the kinds kubelab models, as a v1.19 apiserver serves them (descriptions included):
// data generated from the upstream Go API types (scripts/openapi-from-go.py), bundled like any module so the
// browser's terminal has it too. The API facade serves it at /openapi/v2 (JSON and kubectl's protobuf, proto.ts);
// `kubectl explain` (explain.ts) reads it.
import DEFINITIONS from "./v1.19.json" with { type: "json" };
import { RESOURCES } from "../resources.ts";

export interface Schema {
  description?: string;
  type?: string;
  format?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  $ref?: string;
  "x-kubernetes-group-version-kind"?: { group: string; kind: string; version: string }[];
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  [ext: `x-${string}`]: unknown;
}

export const definitions = DEFINITIONS as unknown as Record<string, Schema>;

/** The definition of a `$ref` (`#/definitions/<name>`). */
export function deref(s: Schema): { name: string; schema: Schema } | undefined {
  if (!s.$ref) return undefined;
  const name = s.$ref.slice("#/definitions/".length);
  const schema = definitions[name];
  return schema ? { name, schema } : undefined;
}

/** The definition of a kind (by its x-kubernetes-group-version-kind). */
export function definitionOf(group: string, version: string, kind: string): { name: string; schema: Schema } | undefined {
  for (const [name, schema] of Object.entries(definitions))
    if (schema["x-kubernetes-group-version-kind"]?.some((g) => g.group === group && g.version === version && g.kind === kind)) return { name, schema };
  return undefined;
}

/** The description of `<Type>.<field>` (a definition's short name, e.g. `ServiceSpec.clusterIP`), if there is one. */
export function describeField(type: string, field: string): string | undefined {
  for (const [name, schema] of Object.entries(definitions)) if (name.endsWith(`.${type}`)) return schema.properties?.[field]?.description;
  return undefined;
}

/** A write operation's `dryRun` query parameter, as a v1.19 apiserver describes it. */
export const DRY_RUN_PARAMETER = {
  uniqueItems: true,
  type: "string",
  description:
    "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed",
  name: "dryRun",
  in: "query",
} as const;

export interface PatchPath {
  path: string;
  operationId: string;
  gvk: { group: string; kind: string; version: string };
}

/**
 * The PATCH operation of every kind kubelab serves patch for, with its dryRun parameter and kind: what kubectl's
 * DryRunVerifier looks for before a --dry-run=server write (cli-runtime's supportsDryRun reads no other path).
 */
export function patchPaths(): PatchPath[] {
  return RESOURCES.filter((r) => r.verbs.includes("patch")).map((r) => {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const scope = r.namespaced ? "Namespaced" : "";
    const groupWord = (r.group.split(".")[0] || "core").replace(/^./, (c) => c.toUpperCase());
    return {
      path: `${base}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.plural}/{name}`,
      operationId: `patch${groupWord}${r.version.replace(/^./, (c) => c.toUpperCase())}${scope}${r.kind}`,
      gvk: { group: r.group, kind: r.kind, version: r.version },
    };
  });
}

/** The whole document as /openapi/v2 serves it: the definitions, and the patch operations (for dry runs). */
export function openapiDocument(): Record<string, unknown> {
  const paths = Object.fromEntries(
    patchPaths().map((p) => [p.path, { patch: { operationId: p.operationId, parameters: [DRY_RUN_PARAMETER], "x-kubernetes-action": "patch", "x-kubernetes-group-version-kind": p.gvk } }]),
  );
  return { swagger: "2.0", info: { title: "Kubernetes", version: "v1.19.4" }, paths, definitions };
}

// YAML text to plain JSON-like values, for manifests. The YAML 1.2 core schema (`yes`, `on`, `2001-12-14` stay
// strings; `0x1F`, `0o17`, `1e3` are numbers) plus merge keys (`<<: *base`, which kubectl's go-yaml v2 also
// resolves); a duplicate key resolved as JSON.parse does (the last one wins, as sigs.k8s.io/yaml lets through).
//
// Two parsers. js-yaml reads the common case ~10× faster than the `yaml` package (bench/README.md, session 4), but
// it has no guard against alias expansion and it misreads one rare form (EMPTY_ENTRY below); so it only reads texts
// that cannot hold an alias (no `*` anywhere) nor that form. Everything else goes to the `yaml` package, configured
// as the engine always had it (alias count limit, same values). tests/yaml-load.test.ts holds the two to the same
// values on every course and lab manifest and on generated documents.
import { CORE_SCHEMA, loadAll, Type, types, YAMLException } from "js-yaml";
import { parseAllDocuments } from "yaml";

// js-yaml exports its built-in tags as `types`; @types/js-yaml 4.0.9 does not declare them.
declare module "js-yaml" {
  const types: { merge: Type; float: Type };
}

/**
 * Core floats, plus `-.5` / `+.5e3`: floats to the `yaml` package and to go-yaml, strings to js-yaml's core schema
 * (its pattern has no sign before a leading dot). It replaces the core float type (one type per tag).
 */
const SIGNED_DOT = /^[-+]\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
const float = new Type("tag:yaml.org,2002:float", {
  kind: "scalar",
  resolve: (text: string | null) => types.float.resolve(text) || (text !== null && SIGNED_DOT.test(text)),
  construct: (text: string) => (SIGNED_DOT.test(text) ? Number(text) : types.float.construct(text)),
  predicate: (v: object) => types.float.predicate!(v),
});

const SCHEMA = CORE_SCHEMA.extend({ implicit: [types.merge, float] });

/** How many alias nodes one document may resolve (the `yaml` package's count: an alias of a big node counts more). */
export const MAX_ALIAS_COUNT = 100;

/** Why YAML could not be read: go-yaml's `yaml: line N: …` shape, with the parser's own reason. */
export class YamlSyntaxError extends Error {
  /** 1-based line, when the parser knows it. */
  readonly line: number | undefined;
  readonly reason: string;
  constructor(reason: string, line?: number) {
    super(line ? `line ${line}: ${reason}` : reason);
    this.name = "YamlSyntaxError";
    this.reason = reason;
    this.line = line;
  }
}

/**
 * The documents of `text`, in order (an empty document is `null`); throws YamlSyntaxError. Lazy where it matters:
 * a caller that stops early (too many objects) does not pay for converting the rest of an aliased stream.
 */
export function loadYamlDocuments(text: string): Iterable<unknown> {
  if (text.includes("*") || EMPTY_ENTRY.test(text)) return viaYamlPackage(text);
  try {
    return loadAll(text, null, { schema: SCHEMA, json: true });
  } catch (e) {
    if (e instanceof YAMLException) throw new YamlSyntaxError(e.reason, e.mark ? e.mark.line + 1 : undefined);
    throw unexpected(e);
  }
}

/**
 * A sequence entry left empty (`-` then nothing but spaces or a comment on its line). js-yaml 4.3.2 misreads one
 * that ends a sequence nested in a sequence (`- - \n- b` gives [[null, "b"]], not [[null], "b"]) or refuses a
 * valid text for it.
 */
const EMPTY_ENTRY = /(?:^|[ \t])-[ \t]*(?:#.*)?$/m;

function* viaYamlPackage(text: string): Generator<unknown> {
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, merge: true });
  } catch (e) {
    throw unexpected(e);
  }
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length) {
      const err = d.errors[0];
      throw new YamlSyntaxError(err.message.split("\n")[0].replace(/ at line \d+, column \d+:?.*$/, ""), err.linePos?.[0]?.line);
    }
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      throw unexpected(e);
    }
    refuseCycles(v);
    yield v;
  }
}

/** An anchor used inside its own node (`a: &a [*a]`) makes a cyclic value: refused, as go-yaml refuses it. */
function refuseCycles(v: unknown): void {
  if (v === null || typeof v !== "object") return;
  try {
    JSON.stringify(v);
  } catch (e) {
    if (e instanceof TypeError) throw new YamlSyntaxError("anchor value contains itself");
    throw unexpected(e);
  }
}

/** A parser's own failure (a RangeError from a text nested deeper than the stack, an alias-count error) as a syntax error. */
function unexpected(e: unknown): YamlSyntaxError {
  return new YamlSyntaxError(e instanceof RangeError ? "exceeded max depth" : (e as Error).message);
}

// YAML text to plain JSON-like values, for manifests. js-yaml's core schema (YAML 1.2: `yes`, `on`, `2001-12-14`
// stay strings; `0x1F`, `0o17`, `1e3` are numbers) plus merge keys (`<<: *base`, which kubectl's go-yaml v2 also
// resolves), duplicate keys resolved as JSON.parse does (the last one wins, as sigs.k8s.io/yaml lets through).
// js-yaml was picked over the `yaml` package for parsing because it is ~10× faster on a manifest (bench/README.md,
// session 4); `yaml` still prints `-o yaml` and reads the rare texts js-yaml misreads (EMPTY_ENTRY below).
// tests/yaml-load.test.ts holds the two parsers to the same values.
import { CORE_SCHEMA, loadAll, types, YAMLException, type Type } from "js-yaml";
import { parseAllDocuments } from "yaml";

// js-yaml exports its built-in tags as `types`; @types/js-yaml 4.0.9 does not declare them.
declare module "js-yaml" {
  const types: { merge: Type };
}

const SCHEMA = CORE_SCHEMA.extend({ implicit: [types.merge] });

/** A document, fully expanded, may hold this many collection nodes more than its text spells out. */
export const MAX_ALIAS_EXPANSION = 10_000;

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

/** Every document of `text`, in order (an empty document is `null`); throws YamlSyntaxError. */
export function loadYamlDocuments(text: string): unknown[] {
  if (EMPTY_ENTRY.test(text)) return slowPath(text);
  let docs: unknown[];
  try {
    docs = loadAll(text, null, { schema: SCHEMA, json: true });
  } catch (e) {
    if (e instanceof YAMLException) throw new YamlSyntaxError(e.reason, e.mark ? e.mark.line + 1 : undefined);
    // js-yaml recurses per nesting level: a pathologically deep document overflows the stack.
    if (e instanceof RangeError) throw new YamlSyntaxError("exceeded max depth");
    throw e;
  }
  return docs.map(unaliased);
}

/**
 * A sequence entry left empty (`-` with nothing after it on its line). js-yaml 4.3.2 misreads one at the end of a
 * sequence nested in a sequence (`- - \n- b` gives [[null, "b"]], not [[null], "b"]); or refuses a valid text for it. Such texts, rare
 * in manifests, are read by the `yaml` package instead, which gets them right (tests/yaml-load.test.ts).
 */
const EMPTY_ENTRY = /(?:^|[ \t])-[ \t]*(?:#.*)?$/m;

function slowPath(text: string): unknown[] {
  return parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, merge: true }).map((d) => {
    if (d.errors.length) throw new YamlSyntaxError(d.errors[0].message.split("\n")[0].replace(/ at line \d+, column \d+:?.*$/, ""), d.errors[0].linePos?.[0]?.line);
    try {
      return d.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (e) {
      throw new YamlSyntaxError((e as Error).message);
    }
  });
}

/**
 * js-yaml hands an alias back as the anchored object itself, so a document may share subtrees — and a small text
 * can stand for an exponentially large value (the "billion laughs"). A shared document whose expansion stays
 * within MAX_ALIAS_EXPANSION nodes is copied into a tree (nothing downstream may mutate one node through two paths);
 * a larger one is refused with go-yaml's message.
 */
function unaliased(doc: unknown): unknown {
  if (doc === null || typeof doc !== "object") return doc;
  const sizes = new Map<object, number>();
  let shared = false;
  const expanded = (v: object): number => {
    const known = sizes.get(v);
    if (known !== undefined) {
      shared = true;
      return known;
    }
    sizes.set(v, 1); // a cycle cannot come out of YAML, but never loop on one
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") n += expanded(child);
    }
    sizes.set(v, n);
    return n;
  };
  const total = expanded(doc);
  if (!shared) return doc;
  if (total - sizes.size > MAX_ALIAS_EXPANSION) throw new YamlSyntaxError("document contains excessive aliasing");
  return tree(doc);
}

function tree(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(tree);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: tree(x), enumerable: true, writable: true, configurable: true });
  return out;
}

// Manifests are parsed with js-yaml (engine/apiserver/yaml.ts), chosen for speed over the `yaml` package the engine
// used before, which still prints `-o yaml` and still reads every text that may hold an alias. These tests hold the
// new parser to the old one's values — on every manifest the course and the labs ship, and on generated documents
// full of scalars that YAML resolves differently by schema — pin down where they differ on purpose, and check the
// refusals (alias bombs, self-containing anchors, too-deep texts).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadYamlDocuments as loadIterable, YamlSyntaxError } from "../engine/apiserver/yaml.ts";
import { Cluster } from "../engine/index.ts";
import { DEMOAPP, demoappService } from "../bench/fixtures.ts";

const loadYamlDocuments = (text: string): unknown[] => [...loadIterable(text)];

/** The previous parser, configured as the engine had it (plus merge keys, which the new one resolves). */
function reference(text: string): unknown[] {
  return parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, merge: true }).map((d) => {
    if (d.errors.length) throw d.errors[0];
    return d.toJS({ maxAliasCount: -1 });
  });
}

/** -0 and 0 differ between the two (js-yaml reads `-0` as 0); once stored as JSON they are the same number. */
function same(v: unknown): unknown {
  if (Object.is(v, -0)) return 0;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(same);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, same(x)]));
}

const ROOT = join(import.meta.dirname, "..");
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

describe("js-yaml gives the values the yaml package gave", () => {
  const files = [...yamlFiles(join(ROOT, "labs")), ...yamlFiles(join(ROOT, "tests", "fixtures"))];
  it("has the course's and the labs' manifests to compare", () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const f of files) {
    it(f.slice(ROOT.length + 1), () => {
      const text = readFileSync(f, "utf8");
      expect(loadYamlDocuments(text)).toEqual(reference(text));
    });
  }
  it("the bench's manifests", () => {
    for (const text of [DEMOAPP, demoappService(), demoappService("c1-2")]) expect(loadYamlDocuments(text)).toEqual(reference(text));
  });

  // Plain scalars whose type depends on the schema (YAML 1.1 vs 1.2 core), quoting, comments, block scalars.
  const SCALARS = [
    "yes", "no", "on", "off", "y", "Yes", "TRUE", "true", "False", "null", "Null", "~", "", "0755", "0o17", "0x1F",
    "0xff", "1e3", "1E-2", "-1.5", ".5", "+12", "12", "007", "1_000", "1:30", ".inf", "-.Inf", ".nan", "2001-12-14",
    "2001-12-14T21:59:43.10-05:00", "'quoted'", '"dq \\t esc"', "'it''s'", "a b", "http://x:80/y", "10.96.0.1",
    "app=demoapp", "-dash", "x # comment", "[1, 2]", "{a: 1, b: [x, y]}", "|\n    line1\n    line2", ">-\n    folded\n    text",
    "9007199254740993", "-0", "0.0", "1.", "=", "<<x", "-.5", "+.5e3", "!!str 80", "!!int '7'",
  ];
  const key = fc.oneof(fc.constantFrom("name", "app", "port", "rev", "a b", "'1'", '"0x10"', "on", "yes", "~x"), fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/));
  type Node = { kind: "scalar"; v: string } | { kind: "map"; entries: [string, Node][] } | { kind: "seq"; items: Node[] };
  const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.constantFrom(...SCALARS).map((v): Node => ({ kind: "scalar", v })),
      fc.array(fc.tuple(key, tie("node")), { minLength: 1, maxLength: 4 }).map((entries): Node => ({ kind: "map", entries })),
      fc.array(tie("node"), { minLength: 1, maxLength: 4 }).map((items): Node => ({ kind: "seq", items })),
    ),
  })).node;
  // Block style: a scalar after `key: ` or `- `; a collection after `key:` on the following lines, indented, or
  // after `- ` starting on the same line (`- name: x`, `- - a`), as manifests write them.
  const render = (n: Node, indent: string): string => {
    if (n.kind === "scalar") return n.v.includes("\n") ? n.v.replace(/\n {4}/g, `\n${indent}  `) : n.v;
    const lines =
      n.kind === "map"
        ? n.entries.map(([k, v]) => (v.kind === "scalar" ? `${indent}${k}: ${render(v, indent)}` : `${indent}${k}:\n${render(v, indent + "  ")}`))
        : n.items.map((v) => (v.kind === "scalar" ? `${indent}- ${render(v, indent)}` : `${indent}- ${render(v, indent + "  ").slice(indent.length + 2)}`));
    return lines.join("\n");
  };
  it("generated documents (multi-document, every schema-dependent scalar)", () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 3 }), (docs) => {
        const text = docs.map((d) => (d.kind === "scalar" ? `v: ${d.v}` : render(d, ""))).join("\n---\n") + "\n";
        expect(same(loadYamlDocuments(text))).toEqual(same(reference(text)));
      }),
      { numRuns: Number(process.env.YAML_RUNS ?? 400) },
    );
  });
});

describe("where the parsers differ, on purpose", () => {
  it("merge keys resolve, as kubectl's go-yaml resolves them", () => {
    const [doc] = loadYamlDocuments("base: &b {app: demoapp, tier: web}\nlabels:\n  <<: *b\n  tier: db\n");
    expect(doc).toEqual({ base: { app: "demoapp", tier: "web" }, labels: { app: "demoapp", tier: "db" } });
  });
  it("0b binary and signed hex integers are numbers (as go-yaml reads them; strings to the yaml package)", () => {
    expect(loadYamlDocuments("port: 0b1010000\nneg: -0x1F\n")).toEqual([{ port: 80, neg: -31 }]);
  });
  it("keys that resolve to numbers or booleans are their JSON text, as sigs.k8s.io/yaml makes them", () => {
    expect(loadYamlDocuments("0x10: a\ntrue: b\n1.5: c\n")).toEqual([{ "16": "a", true: "b", "1.5": "c" }]);
  });
  it("an explicit !!float on an integer is the number (the yaml package left the text, with a warning)", () => {
    expect(loadYamlDocuments("a: !!float 1\nb: -.5\n")).toEqual([{ a: 1, b: -0.5 }]);
  });
  it("a duplicate key: the last one wins", () => {
    expect(loadYamlDocuments("a: 1\na: 2\n")).toEqual([{ a: 2 }]);
  });
  it("a text that may hold an alias is read as before, aliases and merges resolved", () => {
    const text = "base: &b {app: demoapp, tier: web}\nlabels:\n  <<: *b\n  tier: db\nports: &p [80]\nagain: *p\nwild: '*.example.com'\n";
    expect(loadYamlDocuments(text)).toEqual(reference(text));
    expect(loadYamlDocuments(text)[0]).toMatchObject({ labels: { app: "demoapp", tier: "db" }, again: [80], wild: "*.example.com" });
  });
});

describe("refusals", () => {
  it("a syntax error names its line and the parser's reason", () => {
    const e = (() => {
      try {
        loadYamlDocuments("apiVersion: v1\nkind: Pod\n metadata: x\n");
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(YamlSyntaxError);
    expect((e as YamlSyntaxError).line).toBe(3);
    expect((e as YamlSyntaxError).message).toBe("line 3: bad indentation of a mapping entry");
  });
  it("alias bombs are refused: nested collections, a long scalar aliased many times", () => {
    const bomb = (width: number, levels: number) => {
      const lines = [`l0: &l0 [${Array(width).fill("x").join(", ")}]`];
      for (let i = 1; i <= levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
      return lines.join("\n") + "\n";
    };
    expect(() => loadYamlDocuments(bomb(10, 5))).toThrow(YamlSyntaxError);
    const scalars = `a: &s "${"A".repeat(100_000)}"\nb: [${Array(4000).fill("*s").join(", ")}]\n`;
    expect(() => loadYamlDocuments(scalars)).toThrow(YamlSyntaxError);
    // a few aliases of a small node are what manifests use them for
    expect(loadYamlDocuments(bomb(3, 2))).toHaveLength(1);
  });
  it("an anchor that contains itself is refused, not a cyclic value", () => {
    for (const text of ["x: &a [*a]\n", "a: &a {b: *a}\n"]) expect(() => loadYamlDocuments(text)).toThrow(new YamlSyntaxError("anchor value contains itself"));
  });
  it("a long stream of aliased documents is refused at the object limit", () => {
    const doc = "---\na: &a [[],[],[],[],[],[],[],[],[],[]]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nkind: ConfigMap\napiVersion: v1\n";
    const c = Cluster.create({ seed: 7 });
    const r = c.exec("kubectl apply -f -", { stdin: doc.repeat(1500) });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: error parsing STDIN: more than 100 objects in one manifest\n");
  });
  it("a document nested past the stack is a syntax error, not a crash", () => {
    const deep = "[".repeat(200_000) + "]".repeat(200_000);
    expect(() => loadYamlDocuments(deep)).toThrow(YamlSyntaxError);
  });
  it("through kubectl apply: the message a student sees, and the cluster untouched", () => {
    const c = Cluster.create({ seed: 7 });
    const before = JSON.stringify(c.toJSON());
    const r = c.exec("kubectl apply -f -", { stdin: "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n spec: {}\n" });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: bad indentation of a mapping entry\n");
    expect(JSON.stringify(c.toJSON())).toBe(before);
  });
});

// The engine's hot-path shortcuts (sorted-key fast paths, the hand-written JSON copy, memoised derivations) must be
// indistinguishable from the plain definitions they replace: same text, same values, and no state shared between
// clusters through a memo.
import { describe, expect, it } from "vitest";
import { canonicalEqual, canonicalJSON, jsonEqual, sortKeysDeep } from "../engine/hash.ts";
import { structuredCloneJson } from "../engine/apiserver/merge.ts";
import { Cluster } from "../engine/index.ts";
import type { Pod } from "../engine/index.ts";
import { labelMatcher } from "../engine/cluster.ts";
import { listObjects, listPodRecords, materializePod, podRecordReady } from "../engine/store.ts";
import { isPodReady, runCheck } from "../engine/grading/checks.ts";
import { expandTemplate } from "../engine/grading/template.ts";
import { replayAttempt } from "../engine/grading/index.ts";
import { listLabs } from "../labs/catalog.ts";

// The reference definitions (what the fast paths must equal).
function refCanonicalJSON(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(refCanonicalJSON).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${refCanonicalJSON(o[k])}`)
    .join(",")}}`;
}

function refSortKeysDeep<T>(v: T): T {
  if (Array.isArray(v)) return v.map(refSortKeysDeep) as T;
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = refSortKeysDeep(o[k]);
  return out as T;
}

/** A small deterministic generator of JSON-ish values, sorted or not, with the odd cases JSON treats specially. */
function values(): unknown[] {
  let s = 7;
  const rnd = (n: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s % n;
  };
  const keys = ["a", "b", "z", "A", "10", "9", "é", "_", "", "ports", "protocol", "name"];
  const gen = (depth: number): unknown => {
    switch (rnd(depth > 3 ? 5 : 8)) {
      case 0:
        return rnd(1000) - 500;
      case 1:
        return ["x", "", "a\"b", "\u2028", "\ud800"][rnd(5)];
      case 2:
        return [true, false, null][rnd(3)];
      case 3:
        return [NaN, -0, Infinity, 1.5, undefined][rnd(5)];
      case 4:
        return "s" + rnd(10);
      case 5:
      case 6: {
        const o: Record<string, unknown> = {};
        const n = rnd(5);
        const ks = [...keys].sort(() => 0).slice(rnd(4), rnd(4) + n);
        if (rnd(2)) ks.sort();
        for (const k of ks) o[k] = gen(depth + 1);
        return o;
      }
      default: {
        const n = rnd(4);
        return Array.from({ length: n }, () => gen(depth + 1));
      }
    }
  };
  const out: unknown[] = [];
  for (let i = 0; i < 400; i++) out.push(gen(0));
  // Shapes the fast paths must hand to the general code.
  // eslint-disable-next-line no-sparse-arrays
  out.push([1, , 2], [undefined], { b: undefined, a: 1 }, { a: () => 1 }, [() => 1], new Date(0), { d: new Date(0) }, Object.create(null));
  out.push({ a: { b: [{ c: 1, d: [1, 2, { e: null }] }] } }, { "10": 1, "9": 2, a: 3 }, [[{ b: 1, a: 2 }]]);
  // Key lists on both sides of the in-place sort's limit (16), in reverse order, with the odd keys in.
  for (const n of [15, 16, 17, 40]) {
    const ks = Array.from({ length: n }, (_, i) => [...keys, "\ud800", "\u00e9a", "Z"][i % 15] + (i >= 15 ? String(i) : "")).reverse();
    out.push(Object.fromEntries(ks.map((k, i) => [k, i % 3 ? i : { [k]: [k], a: undefined }])));
  }
  return out;
}

describe("canonicalJSON and sortKeysDeep fast paths", () => {
  it("give exactly what the plain definitions give", () => {
    for (const v of values()) {
      expect(canonicalJSON(v)).toBe(refCanonicalJSON(v));
      const a = sortKeysDeep(v);
      const b = refSortKeysDeep(v);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(a).toStrictEqual(b);
    }
  });

  it("sortKeysDeep returns a copy even when keys are already sorted", () => {
    const v = { a: { b: [{ c: 1 }] } };
    const c = sortKeysDeep(v);
    expect(c).toEqual(v);
    expect(c).not.toBe(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a.b[0]).not.toBe(v.a.b[0]);
  });
});

describe("structuredCloneJson", () => {
  it("is the JSON round trip, for plain data and for everything the round trip changes", () => {
    const cases = [...values(), { a: new Map([[1, 2]]) }, { n: [NaN, -0, Infinity] }, { f: () => 1, g: Symbol("x") }, JSON.parse('{"__proto__":{"x":1},"y":2}'), { deep: { toJSON: () => "T" } }];
    for (const v of cases) {
      const ref = v === undefined ? undefined : JSON.parse(JSON.stringify(v) ?? "null");
      const got = structuredCloneJson(v);
      expect(JSON.stringify(got)).toBe(JSON.stringify(ref));
      expect(got).toStrictEqual(ref);
    }
  });

  it("copies: nothing of the result is shared with the input", () => {
    const v = { a: [{ b: { c: 1 } }], d: { e: [1, 2] } };
    const c = structuredCloneJson(v);
    c.a[0].b.c = 2;
    c.d.e.push(3);
    expect(v).toEqual({ a: [{ b: { c: 1 } }], d: { e: [1, 2] } });
  });

  it("throws what the round trip throws", () => {
    const circ: Record<string, unknown> = {};
    circ.self = circ;
    expect(() => structuredCloneJson(circ)).toThrow(TypeError);
    expect(() => structuredCloneJson({ n: 1n })).toThrow(TypeError);
  });
});

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

function appliedCluster(): Cluster {
  const c = Cluster.create({ seed: 5 });
  c.writeFile(
    "web.yaml",
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: demoapp
        image: ikubernetes/demoapp:v1.0
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`,
  );
  expect(c.exec("kubectl apply -f web.yaml").exitCode).toBe(0);
  c.advance(30);
  return c;
}

describe("memoised derivations in the stored form are never shared mutable state", () => {
  it("two clusters restored from the same text stay independent", () => {
    const text = appliedCluster().toJSONText();
    // The memoised paths are in use: the spec is stored as its last-applied text, the annotation as a value.
    expect(text).toContain('"=applied"');
    expect(text).toContain('"=json"');
    const a = Cluster.fromJSON(text);
    const b = Cluster.fromJSON(text);
    // Change a's live objects in place, deep in what was rebuilt from the memoised values.
    const d = a.state.deployments["default/web"];
    d.spec.template.spec.containers[0].image = "changed";
    d.spec.selector.matchLabels!.extra = "x";
    (d.spec as unknown as Record<string, unknown>).strategy = { type: "Recreate" };
    a.state.services["default/web"].metadata.annotations![LAST_APPLIED] = "{}";
    a.state.deployments["default/web"].metadata.annotations![LAST_APPLIED] += " ";
    // And a's stored form, the value callers may keep or change.
    const j = a.toJSON() as { deployments: Record<string, { metadata: { annotations: Record<string, unknown> } }> };
    const stored = a.toJSON() as { services: Record<string, { metadata: { annotations: Record<string, { "=json"?: { spec: { ports: unknown[] } } }> } }> };
    void j;
    stored.services["default/web"]?.metadata.annotations[LAST_APPLIED]?.["=json"]?.spec.ports.push({ port: 1 });
    expect(b.toJSONText()).toBe(text);
    expect(Cluster.fromJSON(text).toJSONText()).toBe(text);
    expect(a.toJSONText()).not.toBe(text);
  });

  it("a stored form taken before a change is not changed by it", () => {
    const c = appliedCluster();
    const before = c.toJSON() as { services: Record<string, { metadata: { annotations: Record<string, { "=json": { spec: { ports: unknown[] } } }> } }> };
    const text = JSON.stringify(before);
    before.services["default/web"].metadata.annotations[LAST_APPLIED]["=json"].spec.ports.push({ port: 2 });
    expect(c.toJSONText()).toBe(text);
    const r = Cluster.fromJSON(text);
    expect(r.exec("kubectl scale deployment web --replicas=3").exitCode).toBe(0);
    expect(r.exec("kubectl label deployment web tier=front").exitCode).toBe(0);
    expect(Cluster.fromJSON(text).toJSONText()).toBe(text);
    expect(r.toJSONText()).not.toBe(text);
  });
});

describe("pod records read without materialising", () => {
  it("listPodRecords and podRecordReady agree with the materialised Pods in every lab state", () => {
    let pods = 0;
    let ready = 0;
    for (const lab of listLabs()) {
      for (const cmds of [lab.solution, lab.solution.slice(0, Math.ceil(lab.solution.length / 2)), []]) {
        const c = replayAttempt(lab, 1001, cmds);
        const st = c.state;
        for (const sel of [undefined, "", "app=demoapp", "app!=demoapp", "!app", "app in (demoapp,client)"])
          for (const namespace of [undefined, "default", "kube-system"]) {
            const match = labelMatcher(sel);
            const recs = listPodRecords(st, namespace, match);
            const objs = listObjects(st, "Pod", namespace, match) as Pod[];
            expect(recs.map((p) => `${p.ns}/${p.name}`)).toEqual(objs.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
          }
        for (const p of Object.values(st.pods)) {
          pods++;
          const m = materializePod(st, p);
          expect(podRecordReady(p)).toBe(isPodReady(m));
          if (podRecordReady(p)) ready++;
        }
      }
    }
    expect(pods).toBeGreaterThan(20);
    expect(ready).toBeGreaterThan(5);
    expect(ready).toBeLessThan(pods);
  });

  it("a pod that is ready but not scheduled is not Ready", () => {
    const c = appliedCluster();
    const p = Object.values(c.state.pods).find((x) => x.ns === "default")!;
    expect(podRecordReady(p)).toBe(true);
    const q = { ...p, node: undefined };
    expect(podRecordReady(q)).toBe(isPodReady(materializePod(c.state, q)));
  });
});

describe("jsonEqual", () => {
  it("is JSON.stringify(a) === JSON.stringify(b)", () => {
    const pairs = equalityPairs();
    for (const [a, b] of pairs) expect(jsonEqual(a, b), `${String(JSON.stringify(a))} vs ${String(JSON.stringify(b))}`).toBe(JSON.stringify(a) === JSON.stringify(b));
    expect(() => jsonEqual({ n: 1n }, { n: 1n })).toThrow(TypeError);
  });
});

describe("canonicalEqual", () => {
  it("is canonicalJSON(a) === canonicalJSON(b)", () => {
    const pairs = equalityPairs();
    // eslint-disable-next-line no-sparse-arrays
    pairs.push([[, 1], [null, 1]], [[,], []], [[1, ,], [1]], [{ a: [, 2] }, { a: [, 2] }], [{ a: () => 1 }, { a: null }], [{ a: Symbol("s") }, { a: undefined }], [[undefined], [null]], [() => 1, null]);
    for (const [a, b] of pairs) expect(canonicalEqual(a, b), `${refCanonicalJSON(a)} vs ${refCanonicalJSON(b)}`).toBe(refCanonicalJSON(a) === refCanonicalJSON(b));
    expect(() => canonicalEqual({ n: 1n }, { n: 1n })).toThrow(TypeError);
  });
});

function equalityPairs(): [unknown, unknown][] {
  const vs = values();
  const pairs: [unknown, unknown][] = [];
  for (let i = 0; i < vs.length; i++) {
    pairs.push([vs[i], vs[(i + 1) % vs.length]], [vs[i], vs[i]]);
    const text = JSON.stringify(vs[i]);
    if (text !== undefined) pairs.push([vs[i], JSON.parse(text)], [vs[i], refSortKeysDeep(JSON.parse(text))]);
  }
  const d = new Date(0);
  pairs.push(
    [NaN, null], [[Infinity], [null]], [{ a: -0 }, { a: 0 }], [{ a: undefined, b: 1 }, { b: 1 }], [[undefined], [null]], [[() => 1], [null]],
    [{ f: () => 1 }, {}], [undefined, () => 1], [undefined, null], [Symbol("s"), undefined], ["1", 1], [null, {}], [[], {}], ["null", NaN],
    [d, d.toISOString()], [{ d }, { d: d.toISOString() }], [{ d }, { d: {} }], [{ toJSON: () => 1 }, 1], [{ toJSON: () => 1 }, { toJSON: () => 2 }],
    [new Map([[1, 2]]), {}], [Object.create(null), {}], [{ a: 1, b: 2 }, { b: 2, a: 1 }], [{ "10": 1, "9": 2 }, { "9": 2, "10": 1 }],
    [[1, 2], [1, 2, 3]], [{ a: [1, { b: [2] }] }, { a: [1, { b: [3] }] }], [{ a: 1 }, { a: 1, b: undefined, c: () => 0 }],
  );
  return pairs;
}

describe("request checks read pod records, with the materialised Pods' answers", () => {
  it("backendsMatching names the off-selector backends with their labels; nodeWith/nodeWithout pick the same nodes", () => {
    const c = appliedCluster();
    // A stray pod the Service also selects, with labels of its own, and one web pod relabelled.
    c.writeFile(
      "stray.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: stray\n  labels:\n    app: web\n    tier: x\nspec:\n  containers:\n  - name: demoapp\n    image: ikubernetes/demoapp:v1.0\n",
    );
    expect(c.exec("kubectl apply -f stray.yaml").exitCode).toBe(0);
    c.advance(30);
    const pods = c.list("Pod", { namespace: "default" }) as Pod[];
    expect(pods.length).toBe(3);
    const r = runCheck({ cluster: c }, { type: "request", from: { node: "node01" }, url: "{{svc:web.clusterIP}}", count: 40, expect: "success", backendsMatching: "tier=x" });
    expect(r.passed).toBe(false);
    // What the materialised Pods say: every web pod is off-selector, named with its labels.
    for (const p of pods.filter((x) => x.metadata.labels?.tier !== "x"))
      expect(r.explanation).toContain(`${p.metadata.name} (${Object.entries(p.metadata.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(",")})`);
    expect(r.explanation).not.toContain("stray (");
    const ready = runCheck({ cluster: c }, { type: "request", from: { node: "node01" }, url: "{{svc:web.clusterIP}}", count: 20, expect: "success", onlyReadyBackends: true });
    expect(ready.passed, ready.explanation).toBe(true);
    // nodeWith / nodeWithout, from materialised Pods.
    const hosting = new Set(pods.filter((p) => p.metadata.labels?.tier === "x" && isPodReady(p)).map((p) => p.spec.nodeName));
    const workers = c.hosts().filter((h) => !h.roles.includes("master"));
    expect(expandTemplate(c, "{{nodeWith:tier=x}}")).toBe(workers.find((h) => hosting.has(h.name))!.ip);
    expect(expandTemplate(c, "{{nodeWithout:tier=x}}")).toBe(workers.find((h) => !hosting.has(h.name))!.ip);
  });
});

describe("Cluster.count", () => {
  it("is list(kind).length for every kind, in every lab state after its solution", () => {
    const kinds = ["Namespace", "Node", "Pod", "Service", "Endpoints", "Deployment", "ReplicaSet"] as const;
    let pods = 0;
    for (const lab of listLabs()) {
      const c = replayAttempt(lab, 5, lab.solution);
      for (const k of kinds) expect(c.count(k), `${lab.slug} ${k}`).toBe(c.list(k).length);
      pods += c.count("Pod");
    }
    expect(pods).toBeGreaterThan(10);
  });
});

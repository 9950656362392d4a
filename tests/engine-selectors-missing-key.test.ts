// `notin` and `!=` select the objects that do not have the key at all (labels.Requirement.Matches: NotIn and
// NotEquals are true when the label is absent), through the engine: its typed list and kubectl -l — single-value and
// multi-value sets (the engine compiles the two differently), on pods and services, and a Deployment whose selector
// uses matchExpressions NotIn.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

function pod(name: string, labels: Record<string, string>): string {
  const l = Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`);
  return ["apiVersion: v1", "kind: Pod", "metadata:", `  name: ${name}`, ...(l.length ? ["  labels:", ...l] : []), "spec:", "  containers:", "  - name: app", "    image: ikubernetes/demoapp:v1.0", ""].join("\n");
}

function cluster(): Cluster {
  const c = Cluster.create({ seed: 11 });
  const r = c.apply(
    [pod("web", { app: "demo", tier: "web" }), pod("db", { app: "demo", tier: "db" }), pod("cache", { app: "demo", tier: "cache" }), pod("bare", { app: "demo" }), pod("nolabels", {})].join("---\n"),
  );
  expect(r.map((x) => x.action)).toEqual(["created", "created", "created", "created", "created"]);
  return c;
}

const names = (c: Cluster, selector: string) => c.list("Pod", { namespace: "default", selector }).map((p) => p.metadata.name).sort();

describe("notin / != on objects without the key", () => {
  it.each([
    ["tier notin (web,db)", ["bare", "cache", "nolabels"]],
    ["tier notin (web,db,cache)", ["bare", "nolabels"]],
    ["tier notin (web)", ["bare", "cache", "db", "nolabels"]],
    ["tier!=web", ["bare", "cache", "db", "nolabels"]],
    ["tier!=nothing", ["bare", "cache", "db", "nolabels", "web"]],
    ["app=demo,tier notin (web,db)", ["bare", "cache"]],
    ["app!=demo", ["nolabels"]],
    ["zone notin (a,b)", ["bare", "cache", "db", "nolabels", "web"]],
    ["zone!=a", ["bare", "cache", "db", "nolabels", "web"]],
  ] as const)("list -l '%s' includes the pods that lack the key", (selector, want) => {
    expect(names(cluster(), selector)).toEqual(want);
  });

  it("kubectl get -l with a multi-value notin lists the pods without the key", () => {
    const c = cluster();
    const out = c.exec("kubectl get pods -l 'tier notin (web,db)' -o name");
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe("pod/bare\npod/cache\npod/nolabels\n");
    expect(c.exec("kubectl get pods -l 'tier!=web,app' -o name").stdout).toBe("pod/bare\npod/cache\npod/db\n");
  });

  it("services without the key are selected by notin too", () => {
    const c = Cluster.create({ seed: 11 });
    const svc = (n: string, labels: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${n}\n${labels}spec:\n  ports:\n  - port: 80\n`;
    c.apply([svc("a", "  labels:\n    tier: web\n"), svc("b", "  labels:\n    tier: db\n"), svc("c", "")].join("---\n"));
    const got = c.list("Service", { namespace: "default", selector: "tier notin (web,db)" }).map((s) => s.metadata.name).sort();
    expect(got).toEqual(["c", "kubernetes"]);
  });

  it("a ReplicaSet selector with matchExpressions NotIn (several values) adopts nothing it should not, and counts pods without the key", () => {
    const c = Cluster.create({ seed: 11 });
    const rs = c.apply(
      [
        "apiVersion: apps/v1",
        "kind: ReplicaSet",
        "metadata:",
        "  name: rs",
        "spec:",
        "  replicas: 2",
        "  selector:",
        "    matchLabels:",
        "      app: demo",
        "    matchExpressions:",
        "    - key: tier",
        "      operator: NotIn",
        "      values: [web, db]",
        "  template:",
        "    metadata:",
        "      labels:",
        "        app: demo",
        "    spec:",
        "      containers:",
        "      - name: app",
        "        image: ikubernetes/demoapp:v1.0",
        "",
      ].join("\n"),
    );
    expect(rs[0].error).toBeUndefined();
    c.advance(30);
    // the template's pods carry no tier label: NotIn matches them, so exactly 2 exist (not a growing number)
    const mine = c.list("Pod", { namespace: "default", selector: "app=demo,tier notin (web,db)" });
    expect(mine).toHaveLength(2);
    c.advance(30);
    expect(c.list("Pod", { namespace: "default", selector: "app=demo" })).toHaveLength(2);
  });
});

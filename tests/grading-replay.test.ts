// Replay of typed API mutations (engine/grading runCommands with `op` entries): the same Cluster calls on the same
// seed give the same stored state byte for byte, random choices included; a stored descriptor survives JSON and
// bad ones are refused; solution scripts (no ops) replay as before.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { parseReplayOp, parseScript, runCommands, runReplayOp } from "../engine/grading/index.ts";
import type { CommandEntry, ReplayOp } from "../engine/grading/index.ts";

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  clusterIP: 10.97.72.1
  selector:
    app: demoapp
  ports:
  - port: 80
    targetPort: 80
`;

const node01 = { kind: "node", node: "node01" } as const;

/** A session mixing terminal lines and every typed mutation, as a list of entries (ops stored as JSON text). */
function session(clusterIP: string): CommandEntry[] {
  const ops: [string, ReplayOp][] = [
    ["apply", { op: "apply", yaml: SVC }],
    ["advance", { op: "advance", seconds: 15 }],
    ["label", { op: "label", kind: "Pod", names: [], selector: "app=demoapp", namespace: "default", set: [["tier", "web"], ["b", "2"], ["a", "1"]], remove: [], overwrite: false }],
    ["requests", { op: "requests", request: { from: node01, host: clusterIP, path: "/", method: "GET" }, count: 7 }],
    ["scale", { op: "scale", kind: "Deployment", name: "demoapp", namespace: "default", replicas: 4 }],
    ["advance", { op: "advance", seconds: 20 }],
    ["delete", { op: "delete", kind: "Service", name: "demoapp-svc", namespace: "default" }],
  ];
  return [
    { line: "kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2" },
    { line: "sleep 10" },
    ...ops.map(([name, op]) => ({ line: `(${name})`, op: parseReplayOp(JSON.parse(JSON.stringify(op)))! })),
    { line: `curl -s ${clusterIP}`, host: "node02" },
  ];
}

/** The same session made by direct Cluster calls, the way the API's mutations make them. */
function live(seed: number, clusterIP: string): Cluster {
  const c = Cluster.create({ seed });
  c.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2");
  c.advance(10);
  c.apply(SVC, {});
  c.advance(15);
  for (const p of c.list("Pod", { namespace: "default", selector: "app=demoapp" })) c.label("Pod", p.metadata.name, "default", { set: { tier: "web", b: "2", a: "1" }, remove: [], overwrite: false });
  for (let i = 0; i < 7; i++) c.request({ from: node01, host: clusterIP, path: "/", method: "GET" });
  c.scale("Deployment", "demoapp", "default", 4);
  c.advance(20);
  c.delete("Service", "demoapp-svc", "default");
  c.exec(`curl -s ${clusterIP}`, { host: "node02" });
  return c;
}

const IP = "10.97.72.1";

describe("replaying typed mutations", () => {
  it("reproduces the live cluster byte for byte, RNG included", () => {
    const seed = 31;
    const ip = IP;
    const want = live(seed, ip);
    // The label op names the pods the selector picked live.
    const pods = Cluster.create({ seed });
    pods.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2");
    const names = pods.list("Pod", { selector: "app=demoapp" }).map((p) => p.metadata.name);
    expect(names.length).toBe(2);
    const entries = session(ip).map((e) => (e.op?.op === "label" ? { ...e, op: { ...e.op, names } } : e));
    const got = Cluster.create({ seed });
    const out = runCommands(got, entries);
    expect(out.map((o) => o.exitCode)).toEqual(out.map((o) => (o.entry.host === "node02" ? o.exitCode : 0)));
    expect(out.find((o) => o.entry.op?.op === "requests")?.stdout).toBe("7/7 answered\n");
    expect(JSON.stringify(got.toJSON())).toBe(JSON.stringify(want.toJSON()));
    // Labels really landed, and the pods made by the scale-up exist.
    expect(got.list("Pod", { selector: "tier=web" }).map((p) => p.metadata.name).sort()).toEqual([...names].sort());
    expect(got.list("Pod", { selector: "app=demoapp" }).length).toBe(4);
  });

  it("leaving the requests out changes later random choices (the pods the scale-up names)", () => {
    const seed = 31;
    const ip = IP;
    const pods = Cluster.create({ seed });
    pods.exec("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=2");
    const names = pods.list("Pod", { selector: "app=demoapp" }).map((p) => p.metadata.name);
    const full = session(ip).map((e) => (e.op?.op === "label" ? { ...e, op: { ...e.op, names } } : e));
    const a = Cluster.create({ seed });
    runCommands(a, full);
    const b = Cluster.create({ seed });
    runCommands(b, full.filter((e) => e.op?.op !== "requests"));
    const podNames = (c: Cluster) => c.list("Pod", { selector: "app=demoapp" }).map((p) => p.metadata.name).sort();
    expect(podNames(a)).not.toEqual(podNames(b));
  });

  it("a failing operation is reported like a failed command and replay goes on", () => {
    const c = Cluster.create({ seed: 3 });
    const out = runCommands(c, [
      { line: "(delete)", op: { op: "delete", kind: "Service", name: "nope", namespace: "default" } },
      { line: "(advance)", op: { op: "advance", seconds: 5 } },
    ]);
    expect(out[0].exitCode).toBe(1);
    expect(out[0].stderr).toMatch(/nope/);
    expect(out[1].exitCode).toBe(0);
    expect(c.nowSeconds()).toBe(Cluster.create({ seed: 3 }).nowSeconds() + 5);
  });

  it("apply with a namespace applies there, as applyManifest's namespace does", () => {
    const c = Cluster.create({ seed: 4 });
    c.exec("kubectl create namespace dev");
    const r = runReplayOp(c, { op: "apply", yaml: SVC, namespace: "dev" });
    expect(r).toMatchObject({ exitCode: 0, stdout: "service/demoapp-svc created\n" });
    expect(c.get("Service", "demoapp-svc", "dev").metadata.namespace).toBe("dev");
  });
});

describe("parseReplayOp", () => {
  const good: ReplayOp[] = [
    { op: "apply", yaml: SVC },
    { op: "apply", yaml: SVC, namespace: "dev" },
    { op: "label", kind: "Pod", names: ["a", "b"], namespace: "default", selector: "app=x", set: [["k", "v"], ["a", "b"]], remove: ["old"], overwrite: true },
    { op: "label", kind: "Pod", names: ["a"], set: [["k", "v"]], remove: [], overwrite: true, manager: "kubectl-label" },
    { op: "create", json: "{}", namespace: "default", manager: "OpenAPI-Generator" },
    { op: "replace", json: "{}", manager: "kubectl-annotate" },
    { op: "scale", kind: "Deployment", name: "web", namespace: "default", replicas: 0 },
    { op: "delete", kind: "Node", name: "node02" },
    { op: "requests", request: { from: { kind: "pod", pod: "client", namespace: "default" }, host: "demoapp-svc", port: 8080, path: "/hostname", method: "POST", body: "x" }, count: 3 },
    { op: "requests", request: { from: { kind: "external", ip: "192.168.10.1" }, host: "10.0.0.1" }, count: 1 },
    { op: "advance", seconds: 30 },
  ];
  it.each(good.map((o) => [o.op, o] as const))("%s survives a JSON round trip unchanged", (_n, op) => {
    expect(parseReplayOp(JSON.parse(JSON.stringify(op)))).toEqual(op);
  });

  const bad: [string, unknown][] = [
    ["null", null],
    ["an array", [{ op: "apply", yaml: "" }]],
    ["an unknown op", { op: "exec", line: "ls" }],
    ["apply without yaml", { op: "apply" }],
    ["label with a numeric label value", { op: "label", kind: "Pod", names: ["a"], set: [["k", 1]], remove: [], overwrite: false }],
    ["label with set as an object", { op: "label", kind: "Pod", names: ["a"], set: { k: "v" }, remove: [], overwrite: false }],
    ["label without overwrite", { op: "label", kind: "Pod", names: ["a"], set: [], remove: [] }],
    ["scale to a negative count", { op: "scale", kind: "Deployment", name: "w", replicas: -1 }],
    ["delete with a numeric namespace", { op: "delete", kind: "Pod", name: "p", namespace: 3 }],
    ["requests from nowhere", { op: "requests", request: { from: { kind: "moon" }, host: "x" }, count: 1 }],
    ["requests with a fractional count", { op: "requests", request: { from: { kind: "node", node: "n" }, host: "x" }, count: 1.5 }],
    ["advance backwards", { op: "advance", seconds: -5 }],
    ["a replace with a numeric field manager", { op: "replace", json: "{}", manager: 7 }],
  ];
  it.each(bad)("refuses %s", (_n, v) => {
    expect(parseReplayOp(v)).toBeUndefined();
  });

  it("solution scripts carry no ops and replay as before", () => {
    const entries = parseScript("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0\nwait 10\n");
    expect(entries.every((e) => e.op === undefined)).toBe(true);
    const c = Cluster.create({ seed: 2 });
    runCommands(c, entries);
    expect(c.list("Pod", { selector: "app=demoapp" }).length).toBe(1);
  });
});

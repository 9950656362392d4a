// The endpoints controller, more rules by name (engine/controllers/endpoints.ts; upstream endpoints_controller.go):
// WHEN it recomputes a Service (its shortcut must never skip one whose Endpoints would change) and WHEN it writes
// (only on a change, keeping what others put on the object), plus the shapes the first file does not reach: ports
// resolved by name among several, UDP names, headless Services without ports, port groups created out of order,
// Services made without annotations (kubectl expose). Each case names the situation a student can produce.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Endpoints, Pod } from "../engine/index.ts";

interface DeployOpts {
  replicas?: number;
  labels?: Record<string, string>;
  ports?: { name: string; containerPort: number; protocol?: string }[];
  nodeSelector?: Record<string, string>;
}

function deploy(c: Cluster, name: string, o: DeployOpts = {}): void {
  const labels = { pod: name, ...(o.labels ?? { app: "web" }) };
  const container: Record<string, unknown> = { name: "app", image: "ikubernetes/demoapp:v1.0" };
  if (o.ports) container.ports = o.ports;
  const spec: Record<string, unknown> = { containers: [container] };
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  const r = c.apply([
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name },
      spec: { replicas: o.replicas ?? 1, selector: { matchLabels: { pod: name } }, template: { metadata: { labels }, spec } },
    },
  ]);
  expect(r[0].error).toBeUndefined();
}

function bare(c: Cluster, name: string, labels: Record<string, string>, node = "node01"): void {
  const r = c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { nodeName: node, containers: [{ name: "app", image: "ikubernetes/demoapp:v1.0" }] } }]);
  expect(r[0].error).toBeUndefined();
}

function service(c: Cluster, name: string, spec: Record<string, unknown>, meta: Record<string, unknown> = {}): void {
  const r = c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name, ...meta }, spec }]);
  expect(r[0].error).toBeUndefined();
}

function run(c: Cluster, line: string): string {
  const r = c.exec(line);
  expect(r.stderr).toBe("");
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

const ep = (c: Cluster, name: string) => c.get("Endpoints", name, "default") as Endpoints;
const podNames = (c: Cluster, sel: string) => (c.list("Pod", { namespace: "default", selector: sel }) as Pod[]).map((p) => p.metadata.name);
/** Every listed pod's name, ready or not, in the order the Endpoints list them. */
const listed = (e: Endpoints) => (e.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.targetRef!.name);
const WEB = { selector: { app: "web" }, ports: [{ port: 80 }] };

describe("the endpoints controller recomputes every Service whose Endpoints would change", () => {
  it("a Service edited in place has its new Endpoints as soon as the apply returns, before any time passes", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { labels: { app: "web" } });
    deploy(c, "b", { labels: { app: "api" } });
    service(c, "svc", WEB);
    expect(listed(ep(c, "svc"))).toEqual(podNames(c, "app=web"));
    service(c, "svc", { selector: { app: "api" }, ports: [{ port: 80 }] });
    expect(listed(ep(c, "svc"))).toEqual(podNames(c, "app=api"));
  });

  it("two pods that start in one step, one selected and one not, still put the selected one in the Endpoints", () => {
    // Both Deployments wait for a node labelled disk=ssd; labelling node01 starts both pods in the same reconcile.
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { labels: { app: "web" }, nodeSelector: { disk: "ssd" } });
    deploy(c, "b", { labels: { app: "other" }, nodeSelector: { disk: "ssd" } });
    service(c, "web", WEB);
    expect(ep(c, "web").subsets).toBeUndefined();
    run(c, "kubectl label node node01 disk=ssd");
    expect(listed(ep(c, "web"))).toEqual(podNames(c, "app=web"));
    expect(podNames(c, "app=web")).toHaveLength(1);
  });

  // Two Services list the same bare pods; then one pod leaves both, and nothing else changes in that step: only
  // "which Services list this pod" can send the controller to them.
  it.each([
    ["relabelled out of the selector", "kubectl label pod p1 app=debug --overwrite"],
    ["deleted at once (--force --grace-period=0)", "kubectl delete pod p1 --force --grace-period=0"],
  ])("a bare pod %s leaves the Endpoints of every Service that listed it", (_case, line) => {
    const c = Cluster.create({ seed: 8 });
    bare(c, "p1", { app: "web" });
    bare(c, "p2", { app: "web" });
    service(c, "one", WEB);
    service(c, "two", WEB);
    expect([listed(ep(c, "one")).sort(), listed(ep(c, "two")).sort()]).toEqual([["p1", "p2"], ["p1", "p2"]]);
    c.exec(line);
    expect([listed(ep(c, "one")), listed(ep(c, "two"))]).toEqual([["p2"], ["p2"]]);
  });

  it("a terminating pod a publishNotReadyAddresses Service keeps listing leaves it when it is finally gone", () => {
    const c = Cluster.create({ seed: 8 });
    bare(c, "p1", { app: "web" });
    bare(c, "p2", { app: "web" });
    service(c, "web", { ...WEB, publishNotReadyAddresses: true });
    run(c, "kubectl delete pod p1 --wait=false");
    expect(listed(ep(c, "web")).sort()).toEqual(["p1", "p2"]);
    c.advance(31);
    expect(podNames(c, "app=web")).toEqual(["p2"]);
    expect(listed(ep(c, "web"))).toEqual(["p2"]);
  });
});

describe("the endpoints controller writes only on a change and keeps what others put on the object", () => {
  it.each([
    ["selecting pods", WEB],
    ["selecting nothing", { selector: { app: "nobody" }, ports: [{ port: 80 }] }],
  ])("annotating a Service %s changes nothing its Endpoints show, so they are not rewritten", (_case, spec) => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a");
    service(c, "web", spec);
    const before = ep(c, "web");
    run(c, "kubectl annotate service web note=hello");
    expect(ep(c, "web")).toEqual(before);
  });

  it("an annotation put on the Endpoints survives the controller's next write", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a");
    service(c, "web", WEB);
    run(c, "kubectl annotate endpoints web note=hello");
    run(c, "kubectl scale deployment a --replicas=2");
    const e = ep(c, "web");
    expect(listed(e)).toHaveLength(2);
    expect(e.metadata.annotations!.note).toBe("hello");
  });

  it("is read back as a v1 Endpoints", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a");
    service(c, "web", WEB);
    const e = JSON.parse(run(c, "kubectl get endpoints web -o json"));
    expect([e.apiVersion, e.kind]).toEqual(["v1", "Endpoints"]);
  });
});

describe("what the Endpoints list", () => {
  it.each([
    // a named targetPort is looked up by name among the container's ports, in the Service port's protocol
    ["the second of two named ports", [{ name: "http", containerPort: 80 }, { name: "metrics", containerPort: 9090 }], { port: 9090, targetPort: "metrics" }, 9090],
    ["a UDP port by name", [{ name: "dns", containerPort: 53, protocol: "UDP" }], { port: 53, protocol: "UDP", targetPort: "dns" }, 53],
  ])("%s", (_case, ports, svcPort, want) => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { ports });
    service(c, "web", { selector: { app: "web" }, ports: [svcPort] });
    expect(ep(c, "web").subsets!.map((s) => s.ports!.map((p) => p.port))).toEqual([[want]]);
  });

  it("a headless Service's Endpoints carry service.kubernetes.io/headless, a ClusterIP Service's do not", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a");
    service(c, "hl", { clusterIP: "None", selector: { app: "web" }, ports: [{ port: 80 }] });
    service(c, "web", WEB);
    expect(ep(c, "hl").metadata.labels).toEqual({ "service.kubernetes.io/headless": "" });
    expect(ep(c, "web").metadata.labels).toBeUndefined();
  });

  it("a headless Service without ports lists its pods in a subset without ports", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { replicas: 2 });
    service(c, "hl", { clusterIP: "None", selector: { app: "web" } });
    const subsets = ep(c, "hl").subsets!;
    expect(subsets).toHaveLength(1);
    expect(Object.keys(subsets[0])).toEqual(["addresses"]);
    expect(listed(ep(c, "hl")).sort()).toEqual(podNames(c, "app=web").sort());
  });

  it("port groups are ordered by their ports, not by the pods' order (the pods on port 8080 sort first by name)", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { ports: [{ name: "web", containerPort: 8080 }] });
    deploy(c, "b", { ports: [{ name: "web", containerPort: 80 }] });
    service(c, "web", { selector: { app: "web" }, ports: [{ port: 80, targetPort: "web" }] });
    const e = ep(c, "web");
    expect(e.subsets!.map((s) => s.ports![0].port)).toEqual([80, 8080]);
    expect(e.subsets!.map((s) => s.addresses!.map((a) => a.targetRef!.name))).toEqual([podNames(c, "pod=b"), podNames(c, "pod=a")]);
  });

  it("a Service made by kubectl expose (no annotations at all) gets its Endpoints", () => {
    const c = Cluster.create({ seed: 8 });
    deploy(c, "a", { replicas: 2 });
    run(c, "kubectl expose deployment a --name=web --port=80 --selector=app=web");
    expect(c.get("Service", "web", "default").metadata.annotations).toBeUndefined();
    expect(listed(ep(c, "web")).sort()).toEqual(podNames(c, "app=web").sort());
  });
});

// The endpoints controller's rules by name (engine/controllers/endpoints.ts; upstream endpoints_controller.go and
// RepackSubsets): which pods are listed and where, how subsets are grouped and ordered, the address's shape, which
// Services get no Endpoints, labels, and writing only on change.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Endpoints, Pod } from "../engine/index.ts";

function pods(c: Cluster, name: string, n: number, opts: { labels?: string; ports?: string; readiness?: boolean } = {}): void {
  const r = c.apply(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${n}
  selector:
    matchLabels:
      pod: ${name}
  template:
    metadata:
      labels:
        pod: ${name}
${opts.labels ?? "        app: web\n"}    spec:
      containers:
      - name: app
        image: ikubernetes/demoapp:v1.0
${opts.ports ?? ""}${opts.readiness ? "        readinessProbe:\n          httpGet:\n            path: /readyz\n            port: 80\n          initialDelaySeconds: 600\n" : ""}`);
  expect(r[0].error).toBeUndefined();
  c.advance(30);
}

function service(c: Cluster, name: string, body: string): void {
  const r = c.apply(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${body}`);
  expect(r[0].error).toBeUndefined();
  c.advance(1);
}

const ep = (c: Cluster, name: string) => c.get("Endpoints", name, "default") as Endpoints;
const has = (c: Cluster, name: string) => c.list("Endpoints", { namespace: "default" }).some((e) => e.metadata.name === name);
const podList = (c: Cluster, sel: string) => c.list("Pod", { namespace: "default", selector: sel }) as Pod[];
const ipsOf = (c: Cluster, sel: string) => podList(c, sel).map((p) => p.status.podIP!).sort();
const byIP = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("endpoints controller rules", () => {
  it("groups pods by their resolved ports into one subset each, ordered, addresses sorted by IP, each with the pod's reference", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 2, { ports: "        ports:\n        - name: web\n          containerPort: 80\n" });
    pods(c, "b", 2, { ports: "        ports:\n        - name: web\n          containerPort: 8080\n" });
    service(c, "web", "spec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: web\n    appProtocol: http\n");
    const e = ep(c, "web");
    expect(e.subsets).toHaveLength(2);
    expect(e.subsets!.map((s) => s.ports)).toEqual([
      [{ name: "http", port: 80, protocol: "TCP", appProtocol: "http" }],
      [{ name: "http", port: 8080, protocol: "TCP", appProtocol: "http" }],
    ]);
    expect(e.subsets![0].addresses!.map((a) => a.ip)).toEqual(ipsOf(c, "pod=a").sort(byIP));
    expect(e.subsets![1].addresses!.map((a) => a.ip)).toEqual(ipsOf(c, "pod=b").sort(byIP));
    const p = podList(c, "pod=a").find((x) => x.status.podIP === e.subsets![0].addresses![0].ip)!;
    expect(e.subsets![0].addresses![0]).toEqual({
      ip: p.status.podIP,
      nodeName: p.spec.nodeName,
      targetRef: { kind: "Pod", namespace: "default", name: p.metadata.name, uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion },
    });
    expect(e.subsets![0].notReadyAddresses).toBeUndefined();
  });

  it("a named targetPort matches a container port of the same protocol only; a Service without ports lists addresses without ports", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 2, { ports: "        ports:\n        - name: dns\n          containerPort: 53\n" });
    service(c, "udp", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 53\n    protocol: UDP\n    targetPort: dns\n");
    expect(ep(c, "udp").subsets).toBeUndefined();
    service(c, "tcp", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 53\n    targetPort: dns\n");
    expect(ep(c, "tcp").subsets).toEqual([{ addresses: expect.any(Array), ports: [{ port: 53, protocol: "TCP" }] }]);
    expect(ep(c, "tcp").subsets![0].addresses).toHaveLength(2);
  });

  it("the tolerate-unready-endpoints annotation lists unready pods as ready, like publishNotReadyAddresses; without either they are notReadyAddresses", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 2, { readiness: true });
    service(c, "plain", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    service(c, "tolerant", 'metadata:\n  annotations:\n    service.alpha.kubernetes.io/tolerate-unready-endpoints: "true"\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n'.replace("metadata:\n", ""));
    expect(ep(c, "plain").subsets![0].addresses).toBeUndefined();
    expect(ep(c, "plain").subsets![0].notReadyAddresses!.map((a) => a.ip)).toEqual(ipsOf(c, "pod=a").sort(byIP));
    expect(ep(c, "tolerant").subsets![0].addresses!.map((a) => a.ip)).toEqual(ipsOf(c, "pod=a").sort(byIP));
    expect(ep(c, "tolerant").subsets![0].notReadyAddresses).toBeUndefined();
  });

  it("no Endpoints for a Service without a selector, with an empty one, or of type ExternalName", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 1);
    service(c, "none", "spec:\n  ports:\n  - port: 80\n");
    service(c, "empty", "spec:\n  selector: {}\n  ports:\n  - port: 80\n");
    service(c, "ext", "spec:\n  type: ExternalName\n  externalName: db.example.com\n  selector:\n    app: web\n");
    expect([has(c, "none"), has(c, "empty"), has(c, "ext")]).toEqual([false, false, false]);
  });

  it("follows the Service's labels, dropping the field when none are left", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 1);
    service(c, "web", "  labels:\n    team: a\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    expect(ep(c, "web").metadata.labels).toEqual({ team: "a" });
    service(c, "web", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    expect(ep(c, "web").metadata.labels).toBeUndefined();
  });

  it("writes only on change: an unrelated pod change leaves it alone; a scale rewrites it, stamping the trigger time", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 1);
    pods(c, "other", 1, { labels: "        app: other\n" });
    service(c, "web", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    const before = ep(c, "web");
    c.label("Pod", podList(c, "pod=other")[0].metadata.name, "default", { set: { touched: "yes" } });
    c.advance(5);
    expect(ep(c, "web").metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    c.scale("Deployment", "a", "default", 2);
    c.advance(30);
    const after = ep(c, "web");
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(after.subsets![0].addresses).toHaveLength(2);
    const trigger = after.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"];
    expect(trigger > before.metadata.annotations!["endpoints.kubernetes.io/last-change-trigger-time"]).toBe(true);
  });

  it("Endpoints written by hand for a Service with a selector are put back by the controller", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 2);
    service(c, "web", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    const want = ep(c, "web").subsets;
    c.apply("apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: web\nsubsets:\n- addresses:\n  - ip: 192.168.2.8\n  ports:\n  - port: 3306\n");
    c.advance(1);
    expect(ep(c, "web").subsets).toEqual(want);
  });

  it("a pod being deleted leaves the Endpoints at once", () => {
    const c = Cluster.create({ seed: 8 });
    pods(c, "a", 2);
    service(c, "web", "spec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n");
    const victim = podList(c, "pod=a")[0];
    c.delete("Pod", victim.metadata.name, "default");
    c.advance(1);
    const listed = (ep(c, "web").subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.targetRef!.name);
    expect(listed).not.toContain(victim.metadata.name);
  });
});

// Endpoints-controller rules the other endpoints files reach only by luck, or not at all (engine/controllers/endpoints.ts;
// found as surviving mutants, tests/README.md):
// - the order of addresses: upstream RepackSubsets sorts them by the IP's text (LessEndpointAddress, bytes.Compare),
//   whatever order the pods were created or named in, so 10.244.1.10 comes before 10.244.1.9;
// - a pod that goes away while nothing else changes leaves every Service that listed it. The controller recomputes
//   only the Services a change can reach; a removed pod is no longer in the pod table, so only "which Services list
//   it" leads there. The cluster is first used until no pod has changed since the controller's last pass (a fresh
//   cluster's kube-system pods carry resourceVersions above the cluster's own for a while, which makes every pass
//   look as if a pod had changed and hides this path);
// - the same for a pod only the EndpointSlices list (its ports do not resolve, so its Endpoints never had it);
// - a slice stripped of its labels by hand is nobody's, and the controller leaves it alone.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { EndpointSlice, Endpoints, Pod } from "../engine/index.ts";

function bare(c: Cluster, name: string, labels: Record<string, string> = { app: "web" }, ports?: { name: string; containerPort: number }[]): void {
  const container = { name: "app", image: "ikubernetes/demoapp:v1.0", ...(ports ? { ports } : {}) };
  const r = c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name, labels }, spec: { nodeName: "node01", containers: [container] } }]);
  expect(r[0].error).toBeUndefined();
}

function service(c: Cluster, name: string, spec: Record<string, unknown>): void {
  const r = c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name }, spec }]);
  expect(r[0].error).toBeUndefined();
}

function run(c: Cluster, line: string, stderr = ""): void {
  const r = c.exec(line);
  expect(r.stderr).toBe(stderr);
  expect(r.exitCode).toBe(0);
}

const IMMEDIATE =
  "warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";

const WEB = { selector: { app: "web" }, ports: [{ port: 80 }] };
const ep = (c: Cluster, name: string) => c.get("Endpoints", name, "default") as Endpoints;
const pods = (c: Cluster) => c.list("Pod", { namespace: "default" }) as Pod[];
const addressIPs = (e: Endpoints) => (e.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
const addressNames = (e: Endpoints) => (e.subsets ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.targetRef!.name);
/** Go's bytes.Compare on the text, as upstream sorts: not numeric ("10.244.1.10" < "10.244.1.9"). */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe("Endpoints list their addresses sorted by the IP's text (upstream RepackSubsets)", () => {
  // Pods on one node get consecutive IPs in creation order; the names decide the order the controller meets them in.
  it.each([
    ["named in the order of their IPs", ["p1", "p2", "p3"]],
    ["named against the order of their IPs", ["p3", "p2", "p1"]],
    ["nine of them, so .10 sorts before .2-.9", ["p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1"]],
  ])("pods %s", (_case, names) => {
    const c = Cluster.create({ seed: 8 });
    for (const n of names) bare(c, n);
    service(c, "web", WEB);
    const ips = pods(c).map((p) => p.status.podIP!);
    expect(new Set(ips).size).toBe(names.length);
    expect(addressIPs(ep(c, "web"))).toEqual([...ips].sort(byText));
  });

  it("the nine-pod case really crosses from one digit to two (the premise of the text order)", () => {
    const c = Cluster.create({ seed: 8 });
    for (const n of ["p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1"]) bare(c, n);
    service(c, "web", WEB);
    const last = addressIPs(ep(c, "web")).map((ip) => ip.slice(ip.lastIndexOf(".") + 1));
    expect(last.some((o) => o.length === 1) && last.some((o) => o.length === 2)).toBe(true);
    expect(last[0].length).toBe(2);
  });
});

/** Write (annotate the namespace) until the cluster's resourceVersion has passed every pod's. */
function untilNoPodIsNewer(c: Cluster): void {
  const newest = Math.max(...(c.list("Pod") as Pod[]).map((p) => Number(p.metadata.resourceVersion)));
  for (let i = 0; i < 500; i++) {
    run(c, `kubectl annotate namespace default tick=${i} --overwrite`);
    if (Number(c.get("Namespace", "default").metadata.resourceVersion) > newest) return;
  }
  throw new Error("the cluster's resourceVersion never passed its pods'");
}

describe("a pod that goes away while nothing else changes leaves every Service that listed it", () => {
  it.each([
    ["deleted at once (--force --grace-period=0)", (c: Cluster) => run(c, "kubectl delete pod p1 --force --grace-period=0", IMMEDIATE)],
    ["removed at the end of its grace period, listed meanwhile by a publishNotReadyAddresses Service", (c: Cluster) => {
      run(c, "kubectl delete pod p1 --wait=false");
      expect(addressNames(ep(c, "all")).sort()).toEqual(["p1", "p2"]);
      c.advance(31);
    }],
  ])("a bare pod %s", (_case, remove) => {
    const c = Cluster.create({ seed: 8 });
    bare(c, "p1");
    bare(c, "p2");
    service(c, "one", WEB);
    service(c, "two", WEB);
    service(c, "all", { ...WEB, publishNotReadyAddresses: true });
    untilNoPodIsNewer(c);
    expect([addressNames(ep(c, "one")), addressNames(ep(c, "two")), addressNames(ep(c, "all"))].map((l) => l.sort())).toEqual([
      ["p1", "p2"],
      ["p1", "p2"],
      ["p1", "p2"],
    ]);
    remove(c);
    expect(pods(c).map((p) => p.metadata.name)).toEqual(["p2"]);
    expect([addressNames(ep(c, "one")), addressNames(ep(c, "two")), addressNames(ep(c, "all"))]).toEqual([["p2"], ["p2"], ["p2"]]);
  });
});

describe("a pod only a Service's EndpointSlices list (its ports do not resolve) leaves them when it stops matching", () => {
  // The Endpoints leave out a pod that resolves none of the Service's ports; the EndpointSlice controller keeps it,
  // in a slice without ports (getEndpointPorts is empty for it). Relabelling that pod changes nothing in the
  // Endpoints, so only "which Services' slices list this pod" sends the controller to the Service.
  const sliced = (c: Cluster, svc: string) =>
    (c.list("EndpointSlice", { namespace: "default", selector: `kubernetes.io/service-name=${svc}` }) as EndpointSlice[])
      .flatMap((s) => (s.endpoints ?? []).map((e) => e.targetRef!.name))
      .sort();

  it("relabelled out of the selector, it leaves the slice; the Endpoints never listed it", () => {
    const c = Cluster.create({ seed: 8 });
    bare(c, "named", { app: "web" }, [{ name: "http", containerPort: 8080 }]);
    bare(c, "unnamed", { app: "web" });
    service(c, "web", { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }] });
    expect(addressNames(ep(c, "web"))).toEqual(["named"]);
    expect(sliced(c, "web")).toEqual(["named", "unnamed"]);
    run(c, "kubectl label pod unnamed app=debug --overwrite");
    expect(addressNames(ep(c, "web"))).toEqual(["named"]);
    expect(sliced(c, "web")).toEqual(["named"]);
  });
});

describe("a slice stripped of its labels by hand is nobody's: the controller leaves it alone", () => {
  // Without `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by` no controller manages the slice
  // (upstream lists slices by those labels); pods changing afterwards must not trip over a slice without labels.
  it("its endpoints stay as they were while the Service's pods change", () => {
    const c = Cluster.create({ seed: 8 });
    bare(c, "p1");
    service(c, "web", WEB);
    const [slice] = c.list("EndpointSlice", { namespace: "default", selector: "kubernetes.io/service-name=web" }) as EndpointSlice[];
    run(c, `kubectl label endpointslice ${slice.metadata.name} kubernetes.io/service-name- endpointslice.kubernetes.io/managed-by-`);
    const stripped = c.get("EndpointSlice", slice.metadata.name, "default") as EndpointSlice;
    expect(stripped.metadata.labels ?? {}).toEqual({});
    bare(c, "p2");
    run(c, "kubectl label pod p1 app=debug --overwrite");
    expect(addressNames(ep(c, "web"))).toEqual(["p2"]);
    expect(c.get("EndpointSlice", slice.metadata.name, "default")).toEqual(stripped);
  });
});

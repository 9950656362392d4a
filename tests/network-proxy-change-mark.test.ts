// kube-proxy's records and the apps' state change the stored text without a new resourceVersion, so
// engine/network/proxy.ts notes each such write for the change mark (engine/change-mark.ts) — and only a write that
// changes something: the API serialises and saves the state again whenever the mark moves, so a request that left
// every record as it was must leave the mark too. Each rule both ways, through the cluster's public request:
//   - IPVS round robin: the cursor that moves is a write; one that stays (a single endpoint) is none;
//   - sessionAffinity ClientIP: a new record, a recent match touched later, a record past its timeout made again, a
//     match moved to another endpoint in the same second are writes; a match touched again in the same second is none;
//   - an app's state: a request that changes it is a write; one that leaves it empty keeps no record and writes
//     nothing; an empty record a stored text carried (an older engine kept them) is dropped, which is a write.
// (The suite's own check, tests/setup/self-checks.ts, catches the under-noting half on every public write; the
// "and only then" half is what these rows add.) engine-change-mark covers the same paths inside its lab replays.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { HttpRequest } from "../engine/types.ts";

/** Runs `step` and says whether the mark moved and whether the stored text did. */
function observe(c: Cluster, step: () => unknown): { mark: boolean; text: boolean } {
  const m = c.changeMark();
  const t = c.toJSONText();
  step();
  return { mark: c.changeMark() !== m, text: c.toJSONText() !== t };
}

const MOVED = { mark: true, text: true };
const STILL = { mark: false, text: false };

/** demoapp behind a Service: a Deployment's replicas, or `bare` pods (nothing replaces one that leaves). */
function demoapp(opts: { replicas: number; proxyMode?: "ipvs" | "iptables"; affinity?: boolean; bare?: boolean }): { c: Cluster; ip: string } {
  const c = Cluster.create({ seed: 11, topology: { proxyMode: opts.proxyMode ?? "ipvs" } });
  const pods = opts.bare
    ? Array.from(
        { length: opts.replicas },
        (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: demo-${i}, labels: {app: demo}}
spec:
  containers:
  - {name: demoapp, image: ikubernetes/demoapp:v1.0}
`,
      ).join("---\n")
    : `apiVersion: apps/v1
kind: Deployment
metadata: {name: demo}
spec:
  replicas: ${opts.replicas}
  selector: {matchLabels: {app: demo}}
  template:
    metadata: {labels: {app: demo}}
    spec:
      containers:
      - {name: demoapp, image: ikubernetes/demoapp:v1.0}
`;
  c.writeFile(
    "d.yaml",
    `${pods}---
apiVersion: v1
kind: Service
metadata: {name: demo}
spec:
  selector: {app: demo}
  ports: [{port: 80}]
${opts.affinity ? "  sessionAffinity: ClientIP\n" : ""}`,
  );
  expect(c.exec("kubectl apply -f d.yaml").exitCode).toBe(0);
  c.advance(30);
  const ip = (c.get("Service", "demo", "default") as { spec: { clusterIP: string } }).spec.clusterIP;
  return { c, ip };
}

const fromMaster = (ip: string, path = "/"): HttpRequest => ({ from: { kind: "node", node: "master01" }, host: ip, path });

describe("IPVS round robin", () => {
  it("a cursor that moves is a write; over a single endpoint, after the first request, it stays and nothing is written", () => {
    const { c, ip } = demoapp({ replicas: 1 });
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(MOVED); // the cursor's first record
    for (let i = 0; i < 3; i++) expect(observe(c, () => expect(c.request(fromMaster(ip)).status).toBe(200)), `request ${i + 2}`).toEqual(STILL);
  });

  it("over two endpoints every request moves the cursor", () => {
    const { c, ip } = demoapp({ replicas: 2 });
    const served = new Set<string>();
    for (let i = 0; i < 4; i++)
      expect(
        observe(c, () => served.add(c.request(fromMaster(ip)).servedBy!.name!)),
        `request ${i + 1}`,
      ).toEqual(MOVED);
    expect(served.size).toBe(2);
  });
});

describe("sessionAffinity ClientIP", () => {
  it("a new record is a write; the match touched again in the same second is none; a second later it is one", () => {
    const { c, ip } = demoapp({ replicas: 2, proxyMode: "iptables", affinity: true });
    let first = "";
    // (iptables mode: the random pick moves the rng, which the mark reads — so the new record is shown in the text)
    expect(observe(c, () => (first = c.request(fromMaster(ip)).servedBy!.name!))).toEqual(MOVED);
    for (let i = 0; i < 3; i++) expect(observe(c, () => expect(c.request(fromMaster(ip)).servedBy!.name).toBe(first))).toEqual(STILL);
    c.advance(1);
    expect(observe(c, () => expect(c.request(fromMaster(ip)).servedBy!.name).toBe(first))).toEqual(MOVED);
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(STILL);
  });

  it("a new record is a write also where the pick moves nothing else (IPVS over one endpoint, its cursor already set)", () => {
    const { c, ip } = demoapp({ replicas: 1 });
    c.request(fromMaster(ip)); // the cursor's record
    const svc = c.get("Service", "demo", "default") as unknown as Record<string, unknown> & { spec: Record<string, unknown> };
    c.replace({ ...svc, spec: { ...svc.spec, sessionAffinity: "ClientIP" } });
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(MOVED);
    expect(Object.keys(c.state.affinity)).toHaveLength(1);
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(STILL);
  });

  it("a record past its timeout, made again for the same endpoint, is a write (IPVS over one endpoint: nothing else moves)", () => {
    const { c, ip } = demoapp({ replicas: 1 });
    c.request(fromMaster(ip)); // the cursor's record
    const svc = c.get("Service", "demo", "default") as unknown as Record<string, unknown> & { spec: Record<string, unknown> };
    c.replace({ ...svc, spec: { ...svc.spec, sessionAffinity: "ClientIP", sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } } } });
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(MOVED);
    const [before] = Object.values(c.state.affinity);
    c.advance(10); // exactly the timeout: the record no longer matches
    const rr = { ...c.state.rr };
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(MOVED);
    expect(c.state.rr).toEqual(rr);
    expect(Object.values(c.state.affinity)).toEqual([{ ep: before.ep, at: before.at + 10 }]);
  });

  it("a match whose endpoint left moves to another in the same second: a write (also where the pick moves nothing else)", () => {
    // two bare pods under IPVS: once one leaves, the cursor over the one left stays where it is
    const { c, ip } = demoapp({ replicas: 2, bare: true });
    const svc = c.get("Service", "demo", "default") as unknown as Record<string, unknown> & { spec: Record<string, unknown> };
    c.replace({ ...svc, spec: { ...svc.spec, sessionAffinity: "ClientIP" } });
    const first = c.request(fromMaster(ip)).servedBy!.name!;
    const now = c.state.now;
    // the endpoint leaves the Service (its pod no longer matches) without the clock moving
    expect(c.exec(`kubectl label pod ${first} app=other --overwrite`).exitCode).toBe(0);
    expect(c.state.now).toBe(now);
    const [record] = Object.values(c.state.affinity);
    expect(record.at).toBe(now);
    let second = "";
    const rr = { ...c.state.rr };
    expect(observe(c, () => (second = c.request(fromMaster(ip)).servedBy!.name!))).toEqual(MOVED);
    expect(second).not.toBe(first);
    expect(c.state.rr).toEqual(rr);
    expect(Object.values(c.state.affinity)).toEqual([{ ep: expect.not.stringContaining(record.ep), at: now }]);
  });
});

describe("an app's state", () => {
  it("a request that changes it is a write; one that leaves it as it was is none, and no empty record is kept", () => {
    const { c, ip } = demoapp({ replicas: 1 });
    c.request(fromMaster(ip)); // the cursor's record
    const pod = Object.values(c.state.pods).find((p) => p.ns === "default")!;
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(STILL);
    expect(pod.app).toBeUndefined();
    expect(observe(c, () => c.request({ ...fromMaster(ip, "/readyz"), method: "POST", body: "readyz=FAIL" }))).toEqual(MOVED);
    expect(pod.app).toEqual({ readyz: "FAIL" });
    // the same flag posted again: nothing changes
    expect(observe(c, () => c.request({ ...fromMaster(ip, "/readyz"), method: "POST", body: "readyz=FAIL" }))).toEqual(STILL);
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(STILL);
  });

  it("an empty record a stored text carried is dropped by the next request to the pod: a write", () => {
    const { c: made, ip } = demoapp({ replicas: 1 });
    made.request(fromMaster(ip));
    Object.values(made.state.pods).find((p) => p.ns === "default")!.app = {};
    const text = made.toJSONText();
    expect(text).toContain(`"app":{}`);
    const c = Cluster.fromJSON(text);
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(MOVED);
    expect(c.toJSONText()).not.toContain(`"app":{}`);
    expect(observe(c, () => c.request(fromMaster(ip)))).toEqual(STILL);
  });
});

// The cluster picture's view model (web/models/clusterPicture.ts) over real answers of the API's `picture` read
// (its selection, PICTURE_FIELDS, is the one the page sends): pods in their nodes, one link per endpoint address,
// not-ready links kept apart, an ExternalName Service pointing off-cluster, the last request's path through the
// boxes; and the live model following its feed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signal } from "@preact/signals";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { ClusterPictureModel, PICTURE_FIELDS, pictureView, type PictureData, type PictureFeed } from "../web/models/clusterPicture.ts";

let t: TestApp;
let tok = "";
let id = "";

async function gql(q: string, v: Record<string, unknown> = {}) {
  const r = await t.gql(tok, q, v);
  expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
  return r.data;
}
const run = (c: string, h?: string) => gql(`mutation($id: ID!, $c: String!, $h: String) { exec(input: { clusterId: $id, command: $c, host: $h }) { ... on ExecPayload { stdout exitCode } } }`, { id, c, h: h ?? null });
const picture = async (): Promise<PictureData> => (await gql(`query($id: ID!) { cluster(id: $id) { picture ${PICTURE_FIELDS} } }`, { id })).cluster.picture;

beforeAll(async () => {
  t = await createTestApp();
  tok = await t.token({ sub: "alice", role: "student", course: "c1" });
  id = (await gql(`mutation { createCluster(input: { name: "p", seed: 42 }) { ... on CreateClusterPayload { cluster { id } } } }`)).createCluster.cluster.id;
});
afterAll(() => t?.close());

describe("pictureView", () => {
  it("puts every pod in its node's box and links each endpoint address to its pod", async () => {
    await run("kubectl create deployment demoapp --image=ikubernetes/demoapp:v1.0 --replicas=3");
    await run("kubectl expose deployment demoapp --port=80 --target-port=80 --type=NodePort");
    await run("sleep 10");
    const data = await picture();
    const v = pictureView(data);
    expect(v.nodes.map((n) => n.name)).toEqual(["master01", "node01", "node02"]);
    for (const p of data.pods) {
      const box = v.nodes.find((n) => n.name === p.node)!.pods.find((b) => b.label === p.name)!;
      expect(box.ip).toBe(p.ip);
      expect(box.labels).toContain(`app=${p.labels.app}`);
      const node = v.nodes.find((n) => n.name === p.node)!;
      expect(box.x).toBeGreaterThanOrEqual(node.x);
      expect(box.y + box.h).toBeLessThanOrEqual(node.y + node.h);
    }
    const links = v.links.filter((l) => l.service === "default/demoapp");
    expect(links.map((l) => l.target).sort()).toEqual(data.pods.map((p) => `default/${p.name}`).sort());
    expect(links.every((l) => l.ready)).toBe(true);
    const svc = v.services.find((s) => s.key === "default/demoapp")!;
    const nodePort = data.services.find((s) => s.name === "demoapp")!.ports[0].nodePort;
    expect(svc.lines).toContain(`80/TCP NodePort ${nodePort}`);
    // the kubernetes Service's endpoint is the master's address: linked to the master node, not off-cluster
    const api = v.links.find((l) => l.service === "default/kubernetes")!;
    expect(api.target).toBe("master01");
    expect(v.summary).toBe("3 pods (3 ready), 2 Services, 4 endpoint links");
    expect(v.request).toBeNull();
  });

  it("keeps a not-ready address as a not-ready link", async () => {
    // these pods have no readiness probe: one address is moved by hand (a probe failing for real is in
    // tests/api-picture.test.ts and the browser test)
    const d2: PictureData = JSON.parse(JSON.stringify(await picture()));
    const ep = d2.endpoints.find((e) => e.name === "demoapp")!;
    const moved = ep.addresses.shift()!;
    ep.notReadyAddresses.push(moved);
    d2.pods.find((p) => p.name === moved.pod)!.ready = false;
    const v = pictureView(d2);
    const link = v.links.find((l) => l.target === `default/${moved.pod}`)!;
    expect(link.ready).toBe(false);
    expect(v.links.filter((l) => l.service === "default/demoapp" && l.ready)).toHaveLength(2);
    expect(v.summary).toBe("3 pods (2 ready), 2 Services, 4 endpoint links (1 not ready)");
  });

  it("draws an ExternalName Service as an arrow to a name outside the cluster", async () => {
    await run("kubectl create service externalname search --external-name=www.example.com");
    const v = pictureView(await picture());
    const arrow = v.links.find((l) => l.service === "default/search")!;
    expect(arrow.external).toBe(true);
    const off = v.off.find((o) => o.key === arrow.target)!;
    expect(off.label).toBe("www.example.com");
    const svc = v.services.find((s) => s.key === "default/search")!;
    expect(off.y + off.h).toBeLessThan(Math.min(...v.services.map((s) => s.y))); // outside the cluster: above it
    expect(arrow.d).toBe(`M${svc.x + svc.w / 2},${svc.y} L${off.x + off.w / 2},${off.y + off.h}`);
    expect(v.services.find((s) => s.key === "default/search")!.lines).toEqual(["→ www.example.com"]);
  });

  it("draws the last request through the node, the Service's DNAT rule and the pod, with the client IP the pod saw", async () => {
    const data0 = await picture();
    const ip = data0.services.find((s) => s.name === "demoapp")!.clusterIP;
    const out = (await run(`curl -s ${ip}`, "node01")).exec.stdout as string;
    const v = pictureView(await picture());
    const r = v.request!;
    expect(r.command).toBe(`curl -s ${ip}`);
    expect(r.client).toBe("node/node01");
    expect(r.node).toBe("node01");
    expect(r.service).toBe("default/demoapp");
    expect(r.dnat).toMatch(/^KUBE-SEP-\w+: DNAT to 10\.244\.\d+\.\d+:80$/);
    expect(r.clientIP).toBe(/ClientIP: ([\d.]+)/.exec(out)![1]);
    const server = /ServerName: ([\w-]+)/.exec(out)![1];
    expect(r.backend).toContain(`pod ${server} (`);
    const onPath = v.nodes.flatMap((n) => n.pods).filter((p) => p.onPath);
    expect(onPath.map((p) => p.label)).toEqual([server]);
    expect(v.nodes.find((n) => n.name === "node01")!.onPath).toBe(true);
    expect(v.services.find((s) => s.key === "default/demoapp")!.onPath).toBe(true);
    expect(r.d!.split(/[ML]/).filter(Boolean)).toHaveLength(3); // node01 → Service → pod
    expect(r.hops.some((h) => h.includes("DNAT to"))).toBe(true);
  });

  it("puts pods no node took in a column of their own, and addresses nobody owns off-cluster", () => {
    const v = pictureView({
      version: 1,
      now: "",
      nodes: [{ name: "node01", internalIP: "192.168.10.11", ready: true, roles: [] }],
      pods: [{ name: "big", namespace: "dev", ip: null, node: null, ready: false, phase: "Pending", labels: {} }],
      services: [
        { name: "db", namespace: "default", type: "ClusterIP", clusterIP: "10.96.1.1", externalIPs: ["192.168.10.200"], externalName: null, ports: [{ name: null, port: 3306, targetPort: "3306", nodePort: null, protocol: "TCP" }] },
        { name: "empty", namespace: "default", type: "ClusterIP", clusterIP: "10.96.1.2", externalIPs: [], externalName: null, ports: [{ name: "http", port: 80, targetPort: "8080", nodePort: null, protocol: "TCP" }] },
      ],
      endpoints: [{ name: "db", namespace: "default", addresses: [{ ip: "172.29.9.9", pod: null, nodeName: null }], notReadyAddresses: [] }],
      lastRequest: null,
    });
    expect(v.nodes.map((n) => n.name)).toEqual(["node01", "(not scheduled)"]);
    expect(v.nodes[1].pods[0]).toMatchObject({ label: "dev/big", ip: "no IP yet", ready: false });
    expect(v.off.map((o) => o.label)).toEqual(["172.29.9.9"]);
    expect(v.services[0].lines).toEqual(["ClusterIP 10.96.1.1", "3306/TCP", "external IPs 192.168.10.200"]);
    expect(v.services[1].lines).toEqual(["ClusterIP 10.96.1.2", "80→8080/TCP", "no endpoints"]);
    expect(v.links.filter((l) => l.service === "default/empty")).toEqual([]);
  });
});

describe("ClusterPictureModel", () => {
  it("shows each picture its feed gives, and says when the cluster is gone", async () => {
    const data = await picture();
    let push: (p: PictureData | null) => void = () => {};
    let stopped = 0;
    const feed: PictureFeed = { state: signal("live"), error: signal(null), start: (on) => ((push = on), () => void stopped++) };
    const m = new ClusterPictureModel(feed);
    expect(m.view.value).toBeNull();
    push(data);
    expect(m.view.value!.version).toBe(data.version);
    push({ ...data, version: data.version + 1, pods: data.pods.slice(1) });
    expect(m.view.value!.nodes.flatMap((n) => n.pods)).toHaveLength(data.pods.length - 1);
    push(null);
    expect(m.gone.value).toBe(true);
    m[Symbol.dispose]();
    expect(stopped).toBe(1);
  });
});

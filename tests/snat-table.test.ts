// Source address the backend sees, and which endpoints a packet may reach: every source × externalTrafficPolicy ×
// way in (ClusterIP, nodePort, LoadBalancer ingress, externalIP) × endpoint placement, checked against v1.19's
// kube-proxy iptables rules and flannel's ip-masq rules (the rules are listed in engine/network/snat.ts). Each row
// is worked out by hand from those rules.
//
// The cluster: master01 192.168.2.1 (pod subnet 10.244.0.0/24: flannel.1 .0, cni0 .1), node01 192.168.2.2
// (10.244.5.0/24), node02 192.168.2.3 (10.244.4.0/24). Endpoint pods: web-n1 on node01, web-n2 on node02. Clients:
// the hosts master01 and node02, pods client-n1 (node01) and client-n2 (node02), and the outside client
// 192.168.2.100. nodePorts, externalIPs and the LoadBalancer ingress are reached on node02.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { RequestSource } from "../engine/types.ts";

type Way = "clusterip" | "nodeport" | "nodeport-lo" | "lb" | "externalip";
type Placement = "n2" | "n1" | "both";
type Src = "master01" | "node02" | "client-n1" | "client-n2" | "outside" | "web-n2";
/** What the backend sees per backend node (a symbolic address), or "drop" when kube-proxy drops the packet. */
type Expect = { n1?: string; n2?: string } | "drop";

const IP: Record<string, string> = {
  master01: "192.168.2.1",
  node01: "192.168.2.2",
  node02: "192.168.2.3",
  "cni0@node02": "10.244.4.1",
  "flannel@node02": "10.244.4.0",
  "cni0@node01": "10.244.5.1",
  "flannel@node01": "10.244.5.0",
  "flannel@master01": "10.244.0.0",
  outside: "192.168.2.100",
};

// [way, policy, source, placement, expectation]; a pod's own IP is written `pod:<name>`.
const ROWS: [Way, "Cluster" | "Local", Src, Placement, Expect][] = [
  // ClusterIP: `! -s clusterCIDR -j KUBE-MARK-MASQ`; the policy plays no part.
  ["clusterip", "Cluster", "master01", "both", { n1: "flannel@master01", n2: "flannel@master01" }],
  ["clusterip", "Cluster", "node02", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["clusterip", "Cluster", "client-n2", "both", { n1: "pod:client-n2", n2: "pod:client-n2" }],
  ["clusterip", "Cluster", "client-n1", "both", { n1: "pod:client-n1", n2: "pod:client-n1" }],
  ["clusterip", "Local", "master01", "both", { n1: "flannel@master01", n2: "flannel@master01" }],
  ["clusterip", "Local", "client-n1", "n2", { n2: "pod:client-n1" }],
  // KUBE-SEP `-s <endpoint> -j KUBE-MARK-MASQ`: a pod reaching itself through its Service.
  ["clusterip", "Cluster", "web-n2", "n2", { n2: "cni0@node02" }],
  // nodePort, policy Cluster: always masqueraded, every endpoint.
  ["nodeport", "Cluster", "master01", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["nodeport", "Cluster", "node02", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["nodeport", "Cluster", "client-n2", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["nodeport", "Cluster", "client-n1", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["nodeport", "Cluster", "outside", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["nodeport", "Cluster", "outside", "n1", { n1: "flannel@node02" }],
  // nodePort, policy Local (KUBE-XLB).
  ["nodeport", "Local", "master01", "n2", { n2: "master01" }], // another host: kept, flannel's `! -s net -d <own subnet> RETURN`
  ["nodeport", "Local", "master01", "both", { n2: "master01" }],
  ["nodeport", "Local", "master01", "n1", "drop"],
  ["nodeport", "Local", "outside", "both", { n2: "outside" }],
  ["nodeport", "Local", "outside", "n1", "drop"],
  ["nodeport", "Local", "node02", "both", { n1: "flannel@node02", n2: "cni0@node02" }], // --src-type LOCAL
  ["nodeport", "Local", "node02", "n1", { n1: "flannel@node02" }],
  ["nodeport-lo", "Local", "node02", "n1", { n1: "flannel@node02" }], // -s 127.0.0.0/8
  ["nodeport", "Local", "client-n2", "both", { n1: "pod:client-n2", n2: "pod:client-n2" }], // -s clusterCIDR -> KUBE-SVC
  ["nodeport", "Local", "client-n1", "both", { n2: "node01" }], // flannel-masqueraded on node01 first
  ["nodeport", "Local", "client-n1", "n1", "drop"],
  // LoadBalancer ingress: in-cluster sources are caught on their own node; the outside client reaches node02.
  ["lb", "Cluster", "node02", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["lb", "Cluster", "client-n1", "both", { n1: "cni0@node01", n2: "flannel@node01" }],
  ["lb", "Local", "master01", "both", { n1: "flannel@master01", n2: "flannel@master01" }],
  ["lb", "Local", "client-n1", "both", { n1: "pod:client-n1", n2: "pod:client-n1" }],
  ["lb", "Local", "outside", "n2", { n2: "outside" }],
  // externalIPs (bound on node02): v1.19 masquerades them whatever the policy and uses every endpoint.
  ["externalip", "Cluster", "outside", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["externalip", "Local", "outside", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
  ["externalip", "Local", "master01", "n1", { n1: "flannel@node02" }],
  ["externalip", "Local", "client-n2", "both", { n1: "flannel@node02", n2: "cni0@node02" }],
];

const POD = (name: string, node: string, labels: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: { nodeName: node, containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] },
});

function setup(): Cluster {
  const c = Cluster.create({ seed: 11, topology: { loadBalancerPool: ["192.168.2.240-192.168.2.250"] } });
  c.apply([
    POD("web-n1", "node01", { app: "web", at: "n1" }),
    POD("web-n2", "node02", { app: "web", at: "n2" }),
    POD("client-n1", "node01", { role: "client" }),
    POD("client-n2", "node02", { role: "client" }),
  ]);
  c.addHostIP("node02", "192.168.2.50/21");
  c.advance(30);
  return c;
}

function source(src: Src): RequestSource {
  if (src === "master01" || src === "node02") return { kind: "node", node: src };
  if (src === "outside") return { kind: "external" };
  return { kind: "pod", pod: src };
}

describe("SNAT and endpoint choice, as v1.19 kube-proxy + flannel", () => {
  const c = setup();
  const podIP = (name: string) => (c.get("Pod", name, "default") as { status: { podIP?: string } }).status.podIP!;
  let n = 0;
  it.each(ROWS)("%s, policy %s, from %s, endpoints on %s", (way, policy, src, placement, expected) => {
    const name = `s${n++}`;
    const type = way === "clusterip" && policy === "Cluster" && src !== "outside" ? "ClusterIP" : way === "lb" ? "LoadBalancer" : "NodePort";
    const spec: Record<string, unknown> = {
      type,
      selector: placement === "both" ? { app: "web" } : { at: placement },
      ports: [{ port: 80 + n, targetPort: 80 }],
    };
    if (type !== "ClusterIP") spec.externalTrafficPolicy = policy;
    if (way === "externalip") spec.externalIPs = ["192.168.2.50"];
    const res = c.apply([{ apiVersion: "v1", kind: "Service", metadata: { name }, spec }]);
    expect(res[0].error).toBeUndefined();
    c.advance(1);
    const svc = c.get("Service", name, "default") as { spec: { clusterIP: string; ports: { port: number; nodePort?: number }[] }; status: { loadBalancer: { ingress?: { ip: string }[] } } };
    const p = svc.spec.ports[0];
    const [host, port] =
      way === "clusterip" ? [svc.spec.clusterIP, p.port]
      : way === "nodeport" ? [IP.node02, p.nodePort!]
      : way === "nodeport-lo" ? ["127.0.0.1", p.nodePort!]
      : way === "lb" ? [svc.status.loadBalancer.ingress![0].ip, p.port]
      : ["192.168.2.50", p.port];
    const seenBy = new Map<string, Set<string>>();
    for (let i = 0; i < 24; i++) {
      const r = c.request({ from: source(src), host, port });
      if (expected === "drop") {
        expect(r.ok).toBe(false);
        expect(r.error?.code).toBe("timeout");
        expect(r.trace.some((h) => h.rule === "KUBE-MARK-DROP")).toBe(true);
        return;
      }
      expect(r.ok, r.error?.message).toBe(true);
      const node = r.servedBy!.node === "node01" ? "n1" : "n2";
      if (!seenBy.has(node)) seenBy.set(node, new Set());
      seenBy.get(node)!.add(r.clientIP!);
    }
    const want = new Map(Object.entries(expected).map(([k, v]) => [k, v.startsWith("pod:") ? podIP(v.slice(4)) : IP[v]]));
    expect([...seenBy.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [node, ips] of seenBy) expect([...ips]).toEqual([want.get(node)]);
  });
});

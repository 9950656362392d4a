// kube-proxy's SNAT decisions as a table (engine/network/proxy.ts; /work/shared/conformance/semantics.md §2):
// source × externalTrafficPolicy × Service type × where the only endpoint runs → delivered or not, whether the
// packet is marked for masquerade (KUBE-MARK-MASQ), and the client IP the pod sees.
//
// The course's cluster: master01 192.168.2.1, node01 192.168.2.2 (cni0 10.244.5.1, flannel.1 10.244.5.0),
// node02 192.168.2.3 (cni0 10.244.4.1, flannel.1 10.244.4.0). One demoapp pod; "entry" is the node whose address
// the request is sent to (its nodePort), chosen on the pod's node or on the other worker.
//
// What the pod sees, by name:
//   client         the external client's own address (192.168.2.100): source IP kept
//   entry cni0     the entry node's bridge address: masqueraded, endpoint on the entry node
//   entry flannel  the entry node's flannel.1 address: masqueraded, endpoint on another node
//   source node    the sending node's own address
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { Pod, Service } from "../engine/index.ts";

const DEMOAPP = readFileSync(new URL("../labs/clusterip-services/files/demoapp-deploy.yaml", import.meta.url), "utf8");
const NODE_IP: Record<string, string> = { master01: "192.168.2.1", node01: "192.168.2.2", node02: "192.168.2.3" };
const CNI0: Record<string, string> = { node01: "10.244.5.1", node02: "10.244.4.1" };
const FLANNEL: Record<string, string> = { node01: "10.244.5.0", node02: "10.244.4.0" };
const CLIENT = "192.168.2.100";

type Source = "external client" | "another node (master01)" | "the entry node itself";
type Seen = "client" | "entry cni0" | "entry flannel" | "source node" | "dropped";
interface Row {
  type: "NodePort" | "LoadBalancer" | "ClusterIP";
  policy: "Cluster" | "Local";
  endpoint: "on the entry node" | "on another node";
  source: Source;
  masquerade: boolean;
  seen: Seen;
}

const r = (type: Row["type"], policy: Row["policy"], endpoint: Row["endpoint"], source: Source, masquerade: boolean, seen: Seen): Row => ({ type, policy, endpoint, source, masquerade, seen });

const ROWS: Row[] = [];
for (const type of ["NodePort", "LoadBalancer"] as const) {
  ROWS.push(
    // Cluster policy: everything arriving at a nodePort is masqueraded and may go to any endpoint.
    r(type, "Cluster", "on the entry node", "external client", true, "entry cni0"),
    r(type, "Cluster", "on the entry node", "another node (master01)", true, "entry cni0"),
    r(type, "Cluster", "on the entry node", "the entry node itself", true, "entry cni0"),
    r(type, "Cluster", "on another node", "external client", true, "entry flannel"),
    r(type, "Cluster", "on another node", "another node (master01)", true, "entry flannel"),
    r(type, "Cluster", "on another node", "the entry node itself", true, "entry flannel"),
    // Local policy: no SNAT, local endpoints only, dropped without one...
    r(type, "Local", "on the entry node", "external client", false, "client"),
    // A node's own traffic arriving from ANOTHER host keeps its node IP under Local policy: kube-proxy does not mark it
    // (only the entry node's own traffic is), and flannel's masquerade leaves non-pod sources alone (issue 17).
    r(type, "Local", "on the entry node", "another node (master01)", false, "source node"),
    r(type, "Local", "on another node", "external client", false, "dropped"),
    r(type, "Local", "on another node", "another node (master01)", false, "dropped"),
    // ...except the node's own traffic (src-type LOCAL): masqueraded and sent to every endpoint.
    r(type, "Local", "on the entry node", "the entry node itself", true, "entry cni0"),
    r(type, "Local", "on another node", "the entry node itself", true, "entry flannel"),
  );
}
// ClusterIP from a node: `! -s <clusterCIDR> -j KUBE-MARK-MASQ` (v1.19 proxier.go, clusterCIDR set) marks the
// node's own traffic too, masqueraded to the address of the interface it leaves by (the sender is the entry node).
ROWS.push(
  r("ClusterIP", "Cluster", "on the entry node", "the entry node itself", true, "entry cni0"),
  r("ClusterIP", "Cluster", "on another node", "the entry node itself", true, "entry flannel"),
);

function cluster(row: Row) {
  const c = Cluster.create({ seed: 42 });
  c.apply(DEMOAPP);
  c.advance(100);
  c.scale("Deployment", "demoapp", "default", 1);
  c.advance(60);
  const spec = row.type === "ClusterIP" ? ["  type: ClusterIP"] : [`  type: ${row.type}`, `  externalTrafficPolicy: ${row.policy}`];
  const ports = row.type === "ClusterIP" ? ["  - port: 80"] : ["  - port: 80", "    nodePort: 31000"];
  const applied = c.apply(["apiVersion: v1", "kind: Service", "metadata:", "  name: s", "spec:", ...spec, "  selector:", "    app: demoapp", "  ports:", ...ports, ""].join("\n"));
  expect(applied[0].error).toBeUndefined();
  const running = (c.list("Pod", { namespace: "default", selector: "app=demoapp" }) as Pod[]).filter((p) => p.status.phase === "Running");
  expect(running).toHaveLength(1);
  const podNode = running[0].spec.nodeName!;
  const otherWorker = podNode === "node01" ? "node02" : "node01";
  const entry = row.endpoint === "on the entry node" ? podNode : otherWorker;
  return { c, entry };
}

const name = (x: Row) => `${x.type} ${x.policy}, endpoint ${x.endpoint}, from ${x.source} → ${x.seen === "dropped" ? "dropped" : `${x.masquerade ? "SNAT" : "no SNAT"}, pod sees ${x.seen}`}`;

describe("kube-proxy SNAT decisions", () => {
  it.each(ROWS.map((x) => [name(x), x] as const))("%s", (_n, row) => {
    const { c, entry } = cluster(row);
    const from = row.source === "external client" ? ({ kind: "external", ip: CLIENT } as const) : ({ kind: "node", node: row.source === "the entry node itself" ? entry : "master01" } as const);
    const dest = row.type === "ClusterIP" ? { host: (c.get("Service", "s", "default") as Service).spec.clusterIP!, port: 80 } : { host: NODE_IP[entry], port: 31000 };
    const res = c.request({ from, ...dest });
    const marked = res.trace.some((h) => h.rule === "KUBE-MARK-MASQ");
    if (row.seen === "dropped") {
      expect(res.ok).toBe(false);
      expect(res.error?.code).toBe("timeout");
      expect(res.trace.some((h) => h.rule === "KUBE-MARK-DROP")).toBe(true);
      expect(marked).toBe(false);
      return;
    }
    expect(res.ok, JSON.stringify(res.trace)).toBe(true);
    expect(marked).toBe(row.masquerade);
    const expected: Record<Exclude<Seen, "dropped">, string | undefined> = {
      client: CLIENT,
      "entry cni0": CNI0[entry],
      "entry flannel": FLANNEL[entry],
      "source node": NODE_IP[from.kind === "node" ? from.node : ""],
    };
    expect(res.clientIP).toBe(expected[row.seen]);
    // the app says the same in its answer
    expect(res.body).toContain(`ClientIP: ${expected[row.seen]},`);
  });
});

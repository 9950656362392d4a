// The cluster's fixed surroundings: nodes and their networks, external hosts, address ranges. The default is the
// course's v1.19 cluster (master01 / node01 / node02 on 192.168.2.0/21, flannel, kube-proxy in iptables mode).
import type { ExternalHostInput, NodeSpecInput, TopologyInput } from "./types.ts";
import { parseCidr } from "./ipnet.ts";

export interface Topology {
  nodes: NodeSpecInput[];
  serviceCIDR: string;
  nodePortRange: [number, number];
  clusterDomain: string;
  externalHosts: ExternalHostInput[];
  loadBalancerPool: string[];
  nodePrefixLength: number;
  proxyMode: "iptables" | "ipvs";
  startTime: string;
  externalClientIP: string;
}

export const DEFAULT_NODES: NodeSpecInput[] = [
  { name: "master01", ip: "192.168.2.1", podCIDR: "10.244.0.0/24", roles: ["master"] },
  { name: "node01", ip: "192.168.2.2", podCIDR: "10.244.5.0/24" },
  { name: "node02", ip: "192.168.2.3", podCIDR: "10.244.4.0/24" },
];

/** The course's external MySQL servers (hand-written Endpoints section). */
export const DEFAULT_EXTERNAL_HOSTS: ExternalHostInput[] = [
  { name: "mysql01", ip: "192.168.2.8", image: "mysql:5.7", ports: [3306], password: "123" },
  { name: "mysql02", ip: "192.168.2.9", image: "mysql:5.7", ports: [3306], password: "123" },
];

export class TopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TopologyError";
  }
}

export function normalizeTopology(input: TopologyInput = {}): Topology {
  const nodes = (input.nodes ?? DEFAULT_NODES).map((n) => ({ ...n }));
  if (nodes.length === 0) throw new TopologyError("topology: at least one node is required");
  const names = new Set<string>();
  for (const n of nodes) {
    if (names.has(n.name)) throw new TopologyError(`topology: duplicate node name ${n.name}`);
    names.add(n.name);
    if (!parseCidr(n.podCIDR)) throw new TopologyError(`topology: node ${n.name}: invalid podCIDR ${n.podCIDR}`);
  }
  const t: Topology = {
    nodes,
    serviceCIDR: input.serviceCIDR ?? "10.96.0.0/12",
    nodePortRange: input.nodePortRange ?? [30000, 32767],
    clusterDomain: input.clusterDomain ?? "cluster.local",
    externalHosts: (input.externalHosts ?? DEFAULT_EXTERNAL_HOSTS).map((h) => ({ ...h, ports: [...h.ports] })),
    loadBalancerPool: [...(input.loadBalancerPool ?? [])],
    nodePrefixLength: input.nodePrefixLength ?? 21,
    proxyMode: input.proxyMode ?? "iptables",
    startTime: input.startTime ?? "2021-12-05T16:00:00Z",
    externalClientIP: input.externalClientIP ?? "192.168.2.100",
  };
  if (!parseCidr(t.serviceCIDR)) throw new TopologyError(`topology: invalid serviceCIDR ${t.serviceCIDR}`);
  return t;
}

export function isMaster(n: NodeSpecInput): boolean {
  return (n.roles ?? []).includes("master");
}

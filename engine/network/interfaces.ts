// The addresses each node holds: eth0 (InternalIP plus any `ip addr add`), cni0 (.1 of its podCIDR), flannel.1
// (.0 of its podCIDR), lo. kube-proxy's SNAT picks cni0 or flannel.1 as flannel does.
import type { ClusterState } from "../state.ts";
import { broadcast, cidrAddr, parseCidr } from "../ipnet.ts";

export interface IfAddr {
  ip: string;
  prefix: number;
  brd?: string;
  secondary: boolean;
}
export interface Interface {
  index: number;
  dev: "lo" | "eth0" | "cni0" | "flannel.1";
  mtu: number;
  addrs: IfAddr[];
}

export function nodeInterfaces(st: ClusterState, node: string): Interface[] {
  const n = st.topo.nodes.find((x) => x.name === node);
  if (!n) return [];
  const pfx = st.topo.nodePrefixLength;
  const eth0: IfAddr[] = [{ ip: n.ip, prefix: pfx, brd: broadcast(parseCidr(`${n.ip}/${pfx}`)!), secondary: false }];
  for (const extra of [...(n.extraIPs ?? []), ...(st.hostAddrs[node] ?? [])]) {
    const [cidr] = extra.split(" ");
    const [ip, p] = cidr.split("/");
    eth0.push({ ip, prefix: Number(p ?? 32), secondary: true });
  }
  const pod = parseCidr(n.podCIDR)!;
  return [
    { index: 1, dev: "lo", mtu: 65536, addrs: [{ ip: "127.0.0.1", prefix: 8, secondary: false }] },
    { index: 2, dev: "eth0", mtu: 1500, addrs: eth0 },
    { index: 4, dev: "flannel.1", mtu: 1450, addrs: [{ ip: cidrAddr(pod, 0), prefix: 32, secondary: false }] },
    { index: 5, dev: "cni0", mtu: 1450, addrs: [{ ip: cidrAddr(pod, 1), prefix: 24, brd: broadcast(pod), secondary: false }] },
  ];
}

/** Which node holds an address on eth0 (InternalIP or a secondary address). */
export function nodeOwningIP(st: ClusterState, ip: string): string | undefined {
  for (const n of st.topo.nodes) {
    if (n.ip === ip) return n.name;
    for (const extra of [...(n.extraIPs ?? []), ...(st.hostAddrs[n.name] ?? [])]) if (extra.split("/")[0] === ip) return n.name;
  }
  return undefined;
}

const podNetIPs = new WeakMap<object, Map<string, [string, string]>>();
function podNet(st: ClusterState, node: string): [string, string] {
  let m = podNetIPs.get(st.topo);
  if (!m) podNetIPs.set(st.topo, (m = new Map()));
  let v = m.get(node);
  if (!v) {
    const n = st.topo.nodes.find((x) => x.name === node)!;
    const c = parseCidr(n.podCIDR)!;
    m.set(node, (v = [cidrAddr(c, 0), cidrAddr(c, 1)]));
  }
  return v;
}
export function flannelIP(st: ClusterState, node: string): string {
  return podNet(st, node)[0];
}

export function bridgeIP(st: ClusterState, node: string): string {
  return podNet(st, node)[1];
}

export function nodeIP(st: ClusterState, node: string): string {
  return st.topo.nodes.find((x) => x.name === node)!.ip;
}

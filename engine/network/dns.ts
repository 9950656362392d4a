// Name resolution. Pods use cluster DNS (CoreDNS at 10.96.0.10, search `<ns>.svc.<domain> svc.<domain> <domain>`,
// ndots 5): Services resolve to their ClusterIP, headless Services to their ready pod IPs, ExternalName
// Services to a CNAME. Nodes and outside clients resolve node and external host names (their /etc/hosts).
import type { ClusterState, PodRec } from "../state.ts";
import type { DnsResult, ReverseDnsResult } from "../types.ts";
import { key, tableValues } from "../state.ts";
import { isIPv4 } from "../ipnet.ts";

export const CLUSTER_DNS_IP = "10.96.0.10";

function hostsFile(st: ClusterState, name: string): string | undefined {
  const n = name.replace(/\.$/, "");
  if (n === "localhost") return "127.0.0.1";
  const node = st.topo.nodes.find((x) => x.name === n);
  if (node) return node.ip;
  const ext = st.topo.externalHosts.find((h) => h.name === n);
  return ext?.ip;
}

/** What cluster DNS answers for one fully-qualified name, or undefined (NXDOMAIN). */
function clusterRecord(st: ClusterState, fqdn: string, hops = 0): { cname?: string; addresses: string[] } | undefined {
  const domain = st.topo.clusterDomain;
  const suffix = `.svc.${domain}`;
  const n = fqdn.replace(/\.$/, "");
  if (n.endsWith(suffix)) {
    const parts = n.slice(0, -suffix.length).split(".");
    if (parts.length !== 2) return undefined;
    const [svcName, ns] = parts;
    const svc = st.services[key(ns, svcName)];
    if (!svc) return undefined;
    if (svc.spec.type === "ExternalName") {
      // CoreDNS answers the CNAME and, for a target in its own zone (another Service's name), that Service's
      // addresses too; a target outside the zone is left to the resolver (the hosts the simulated world knows).
      // kubelab follows one hop: a target that is itself an ExternalName answers with the CNAME alone.
      const target = (svc.spec.externalName ?? "").replace(/\.$/, "");
      const followed = hops === 0 ? clusterRecord(st, target, 1) : undefined;
      return { cname: target, addresses: followed && !followed.cname ? followed.addresses : [] };
    }
    if (svc.spec.clusterIP === "None") {
      const ep = st.endpoints[key(ns, svcName)];
      const ips = new Set<string>();
      for (const s of ep?.subsets ?? []) for (const a of s.addresses ?? []) ips.add(a.ip);
      return ips.size ? { addresses: [...ips].sort() } : undefined;
    }
    return svc.spec.clusterIP ? { addresses: [svc.spec.clusterIP] } : undefined;
  }
  const ip = hostsFile(st, n);
  return ip ? { addresses: [ip] } : undefined;
}

/**
 * Whether cluster DNS answers: pods send their queries to 10.96.0.10 (kubelet's --cluster-dns), which kube-proxy
 * forwards to the kube-dns Service's ready endpoints, the coredns pods. No Service there, or no ready coredns
 * (`kubectl scale deploy coredns -n kube-system --replicas=0`), and every query times out.
 */
export function clusterDnsServing(st: ClusterState): boolean {
  const svc = st.services[key("kube-system", "kube-dns")];
  if (!svc || svc.spec.clusterIP !== CLUSTER_DNS_IP) return false;
  const ep = st.endpoints[key("kube-system", "kube-dns")];
  return (ep?.subsets ?? []).some((s) => (s.addresses ?? []).length > 0 && (s.ports ?? []).some((p) => p.port === 53 && p.protocol === "UDP"));
}

/** The nodes' resolver (their /etc/resolv.conf: the lab network's gateway), which knows the nodes and outside hosts. */
export const NODE_RESOLVER_IP = "192.168.0.1";

/** Is `server` cluster DNS: the kube-dns Service's address, or a coredns pod's own? */
function isClusterDns(st: ClusterState, server: string): boolean {
  if (server === (st.services[key("kube-system", "kube-dns")]?.spec.clusterIP ?? CLUSTER_DNS_IP)) return true;
  const ep = st.endpoints[key("kube-system", "kube-dns")];
  return (ep?.subsets ?? []).some((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].some((a) => a.ip === server));
}

/**
 * Which resolver a query reaches: the one named (`nslookup NAME SERVER`, `dig @SERVER`), else the host's own — a
 * pod's is cluster DNS, a node's the lab network's resolver. A node reaches cluster DNS too when it names it (kube-proxy
 * forwards 10.96.0.10 on every node), but without a pod's search domains.
 */
function resolverFor(st: ClusterState, opts: { fromPod?: PodRec; server?: string }): { kind: "cluster" | "hosts" | "none"; server: string } {
  const server = opts.server ?? (opts.fromPod ? CLUSTER_DNS_IP : NODE_RESOLVER_IP);
  if (isClusterDns(st, server)) return { kind: "cluster", server };
  return { kind: server === NODE_RESOLVER_IP ? "hosts" : "none", server };
}

export function lookup(st: ClusterState, name: string, opts: { fromPod?: PodRec; server?: string } = {}): DnsResult {
  if (isIPv4(name)) return { name, found: true, addresses: [name], server: "" };
  const resolver = resolverFor(st, opts);
  if (resolver.kind === "none") return { name, found: false, addresses: [], server: resolver.server, timeout: true };
  if (resolver.kind === "hosts") {
    const ip = hostsFile(st, name);
    return { name, found: !!ip, addresses: ip ? [ip] : [], server: "/etc/hosts" };
  }
  if (!clusterDnsServing(st)) return { name, found: false, addresses: [], server: CLUSTER_DNS_IP, timeout: true };
  const domain = st.topo.clusterDomain;
  const search = opts.fromPod ? [`${opts.fromPod.ns}.svc.${domain}`, `svc.${domain}`, domain] : [];
  const dots = name.split(".").length - 1;
  const candidates = name.endsWith(".") ? [name] : dots >= 5 ? [name, ...search.map((s) => `${name}.${s}`)] : [...search.map((s) => `${name}.${s}`), name];
  for (const c of candidates) {
    const r = clusterRecord(st, c);
    if (r) return { name: c.replace(/\.$/, ""), found: r.addresses.length > 0 || !!r.cname, cname: r.cname, addresses: r.addresses, server: CLUSTER_DNS_IP };
  }
  return { name, found: false, addresses: [], server: CLUSTER_DNS_IP };
}

/** The names the lab's upstream resolver gives an address: a node's or an outside host's (their /etc/hosts). */
function hostsNames(st: ClusterState, ip: string): string[] {
  return [...st.topo.nodes.filter((n) => n.ip === ip).map((n) => n.name), ...st.topo.externalHosts.filter((h) => h.ip === ip).map((h) => h.name)];
}

/**
 * A reverse (PTR) lookup, as `nslookup <address>` asks it. From a pod, CoreDNS's kubernetes plugin answers for the
 * cluster's addresses (`kubernetes cluster.local in-addr.arpa ip6.arpa` in kubeadm's Corefile): a Service's ClusterIP
 * is `<service>.<namespace>.svc.<domain>`; else an endpoint address of any Service is `<hostname or the address with
 * dashes>.<service>.<namespace>.svc.<domain>`, one name per Service; anything else falls through to the upstream
 * resolver, which knows the nodes and outside hosts. From a node only the upstream answers.
 */
export function reverseLookup(st: ClusterState, ip: string, opts: { fromPod?: PodRec; server?: string } = {}): ReverseDnsResult {
  const arpa = `${ip.split(".").reverse().join(".")}.in-addr.arpa`;
  const resolver = resolverFor(st, opts);
  if (resolver.kind === "none") return { arpa, names: [], server: resolver.server, timeout: true };
  if (resolver.kind === "hosts") return { arpa, names: hostsNames(st, ip), server: "" };
  if (!clusterDnsServing(st)) return { arpa, names: [], server: CLUSTER_DNS_IP, timeout: true };
  const domain = st.topo.clusterDomain;
  const byClusterIP = tableValues(st.services).find((s) => s.spec.clusterIP === ip || (s.spec.clusterIPs ?? []).includes(ip));
  if (byClusterIP) return { arpa, names: [`${byClusterIP.metadata.name}.${byClusterIP.metadata.namespace}.svc.${domain}`], server: CLUSTER_DNS_IP };
  const names: string[] = [];
  for (const ep of tableValues(st.endpoints))
    for (const sub of ep.subsets ?? [])
      for (const a of sub.addresses ?? [])
        if (a.ip === ip) names.push(`${a.hostname ?? ip.replaceAll(".", "-")}.${ep.metadata.name}.${ep.metadata.namespace}.svc.${domain}`);
  return { arpa, names: names.length ? [...new Set(names)] : hostsNames(st, ip), server: CLUSTER_DNS_IP };
}

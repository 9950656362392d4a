// ClusterIP and NodePort allocation as the apiserver's registries do it: a random free value from the range
// (randomScanStrategy), user-chosen values checked against the range and the values in use.
import type { ClusterState } from "../state.ts";
import { tableEntries, tableValues } from "../state.ts";
import type { FieldError } from "../errors.ts";
import { goQuote, internalError } from "../errors.ts";
import { cidrAddr, cidrContains, ipToInt, parseCidr } from "../ipnet.ts";
import { nextInt } from "../rng.ts";

/**
 * Addresses the control plane holds: the `kubernetes` Service (first IP) and cluster DNS (.10), which only the
 * kube-dns Service of kube-system may take.
 */
export function reservedClusterIPs(st: ClusterState, forKey?: string): Set<string> {
  const c = parseCidr(st.topo.serviceCIDR)!;
  return new Set(forKey === "kube-system/kube-dns" ? [cidrAddr(c, 1)] : [cidrAddr(c, 1), cidrAddr(c, 10)]);
}

export function usedClusterIPs(st: ClusterState, exceptKey?: string): Set<string> {
  const used = reservedClusterIPs(st, exceptKey);
  for (const [k, s] of tableEntries(st.services)) {
    if (k === exceptKey) continue;
    if (s.spec.clusterIP && s.spec.clusterIP !== "None") used.add(s.spec.clusterIP);
  }
  return used;
}

/**
 * ipallocator.Allocate of a clusterIP given by hand. Validation has already refused what is not an IP, but it takes
 * IPv6 as well: a v1.19 single-stack IPv4 cluster has one IPv4 range, so an IPv6 address is "not in the valid range".
 */
export function checkClusterIP(st: ClusterState, ip: string, exceptKey?: string): FieldError | undefined {
  const c = parseCidr(st.topo.serviceCIDR)!;
  const n = ipToInt(ip);
  if (!cidrContains(c, ip) || n === c.base || n === c.base + c.size - 1)
    return {
      field: "spec.clusterIP",
      type: "Invalid value",
      value: goQuote(ip),
      detail: `provided IP is not in the valid range. The range of valid IPs is ${st.topo.serviceCIDR}`,
    };
  if (usedClusterIPs(st, exceptKey).has(ip))
    return { field: "spec.clusterIP", type: "Invalid value", value: goQuote(ip), detail: "provided IP is already allocated" };
  return undefined;
}

export function allocateClusterIP(st: ClusterState): string {
  const c = parseCidr(st.topo.serviceCIDR)!;
  const used = usedClusterIPs(st);
  const free = c.size - 2;
  // Random probe, then a linear scan from the probe (as randomScanStrategy does).
  const start = 1 + nextInt(st.rng, free);
  for (let i = 0; i < free; i++) {
    const off = 1 + ((start - 1 + i) % free);
    const ip = cidrAddr(c, off);
    if (!used.has(ip)) return ip;
  }
  // the registry's answer when the allocator is full (rest.go initClusterIP; ipallocator ErrFull)
  throw internalError("failed to allocate a serviceIP: range is full");
}

/**
 * Every nodePort held, the updated Service's own included: on update the registry allocates new ports while the old
 * ones are still held (rest.go updateNodePorts: ReleaseDeferred, released only once the update is stored), so a port
 * the update adds never gets one the Service is giving up (a full range answers `range is full`).
 */
export function usedNodePorts(st: ClusterState): Set<number> {
  const used = new Set<number>();
  for (const s of tableValues(st.services)) {
    for (const p of s.spec.ports ?? []) if (p.nodePort) used.add(p.nodePort);
    if (s.spec.healthCheckNodePort) used.add(s.spec.healthCheckNodePort);
  }
  return used;
}

export function checkNodePort(st: ClusterState, port: number, field: string, used: Set<number>): FieldError | undefined {
  const [lo, hi] = st.topo.nodePortRange;
  if (port < lo || port > hi)
    return { field, type: "Invalid value", value: String(port), detail: `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}` };
  if (used.has(port)) return { field, type: "Invalid value", value: String(port), detail: "provided port is already allocated" };
  return undefined;
}

export function allocateNodePort(st: ClusterState, used: Set<number>): number {
  const [lo, hi] = st.topo.nodePortRange;
  const size = hi - lo + 1;
  const start = nextInt(st.rng, size);
  for (let i = 0; i < size; i++) {
    const p = lo + ((start + i) % size);
    if (!used.has(p)) return p;
  }
  // the registry's answer when the allocator is full (rest.go initNodePorts; portallocator ErrFull)
  throw internalError("failed to allocate a nodePort: range is full");
}

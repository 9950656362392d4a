// The load-balancer controller. With no IP pool (the course's bare-metal cluster) a LoadBalancer Service keeps an
// empty status, so kubectl shows <pending>. With a lab-defined pool it behaves like MetalLB: the first free pool
// address, or spec.loadBalancerIP when it is in the pool and free.
import type { Service } from "../objects.ts";
import type { ClusterState } from "../state.ts";
import { tableValues } from "../state.ts";
import { nextRV, recordEvent } from "../store.ts";
import { intToIp, ipToInt, parseCidr } from "../ipnet.ts";

export function poolAddresses(pool: string[]): string[] {
  const out: string[] = [];
  for (const item of pool) {
    if (item.includes("-")) {
      const [a, b] = item.split("-").map((x) => ipToInt(x.trim()));
      if (a === undefined || b === undefined) continue;
      for (let n = a; n <= b && out.length < 65536; n++) out.push(intToIp(n));
    } else if (item.includes("/")) {
      const c = parseCidr(item);
      if (c) for (let i = 0; i < c.size && out.length < 65536; i++) out.push(intToIp(c.base + i));
    } else if (ipToInt(item) !== undefined) out.push(item);
  }
  return out;
}

export function syncLoadBalancers(st: ClusterState): void {
  const pool = poolAddresses(st.topo.loadBalancerPool);
  const inUse = new Set<string>();
  for (const s of tableValues(st.services))
    if (s.spec.type === "LoadBalancer") for (const i of s.status.loadBalancer.ingress ?? []) if (i.ip) inUse.add(i.ip);
  for (const s of tableValues(st.services)) {
    const ingress = s.status.loadBalancer.ingress ?? [];
    if (s.spec.type !== "LoadBalancer") {
      if (ingress.length) setIngress(st, s, undefined);
      continue;
    }
    if (!pool.length) continue;
    const want = s.spec.loadBalancerIP;
    if (ingress.length && (!want || ingress[0].ip === want)) continue;
    const ref = { kind: "Service", name: s.metadata.name, namespace: s.metadata.namespace, uid: s.metadata.uid };
    let ip: string | undefined;
    if (want) {
      if (pool.includes(want) && !inUse.has(want)) ip = want;
      else {
        recordEvent(st, ref, "Warning", "AllocationFailed", `Failed to allocate IP for "${s.metadata.namespace}/${s.metadata.name}": "${want}" is not allowed in config`, "metallb-controller");
        continue;
      }
    } else ip = pool.find((a) => !inUse.has(a));
    if (!ip) {
      recordEvent(st, ref, "Warning", "AllocationFailed", `Failed to allocate IP for "${s.metadata.namespace}/${s.metadata.name}": no available IPs`, "metallb-controller");
      continue;
    }
    inUse.add(ip);
    setIngress(st, s, ip);
    recordEvent(st, ref, "Normal", "IPAllocated", `Assigned IP "${ip}"`, "metallb-controller");
  }
}

function setIngress(st: ClusterState, s: Service, ip: string | undefined): void {
  s.status = { loadBalancer: ip ? { ingress: [{ ip }] } : {} };
  s.metadata.resourceVersion = nextRV(st);
}

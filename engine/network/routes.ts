// Lookup tables kube-proxy would hold as iptables rules: ClusterIP -> Service, nodePort -> Service, pod IP ->
// pod. Rebuilt lazily whenever the cluster's resourceVersion moves, so routing a request is a few map lookups.
// The cache is not part of the state (a WeakMap on the state object), so it never reaches toJSON.
import type { Service } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { tableValues } from "../state.ts";

export interface RouteTables {
  rv: number;
  byClusterIP: Map<string, Service>;
  byNodePort: Map<string, Service>; // "<port>/<proto>"
  external: Service[]; // Services with externalIPs or a LoadBalancer ingress
  podByIP: Map<string, PodRec>;
}

const cache = new WeakMap<ClusterState, RouteTables>();

export function routeTables(st: ClusterState): RouteTables {
  const hit = cache.get(st);
  if (hit && hit.rv === st.rv) return hit;
  const t: RouteTables = { rv: st.rv, byClusterIP: new Map(), byNodePort: new Map(), external: [], podByIP: new Map() };
  for (const svc of tableValues(st.services)) {
    if (svc.spec.clusterIP && svc.spec.clusterIP !== "None") t.byClusterIP.set(svc.spec.clusterIP, svc);
    if (svc.spec.type === "NodePort" || svc.spec.type === "LoadBalancer")
      for (const p of svc.spec.ports ?? []) if (p.nodePort) t.byNodePort.set(`${p.nodePort}/${p.protocol}`, svc);
    if ((svc.spec.externalIPs ?? []).length || (svc.status.loadBalancer.ingress ?? []).length) t.external.push(svc);
  }
  // A pod has an address once its sandbox exists (the kubelet gives it one as it starts the pod, never before).
  for (const p of tableValues(st.pods)) if (p.ip) t.podByIP.set(p.ip, p);
  cache.set(st, t);
  return t;
}

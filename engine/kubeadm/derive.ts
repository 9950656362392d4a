// kube-system as kubeadm left it, derived rather than stored: the objects are built once per topology by running
// the engine's own controllers on a scratch cluster (the master first, as `kubeadm init` does, the workers joining
// a few minutes later), so they are exactly what the controllers of a student's cluster would keep them as. Every
// student cluster of a topology shares them; the stored form of a cluster leaves out each one still equal to it.
import type { Topology } from "../topology.ts";
import type { ClusterState, PodRec } from "../state.ts";
import { initialState } from "../init.ts";
import { isMaster } from "../topology.ts";
import { parseRfc3339, rfc3339 } from "../clock.ts";
import { store } from "../apiserver/apply.ts";
import { reconcile } from "../controllers/reconcile.ts";
import { nextRV } from "../store.ts";
import { key } from "../state.ts";
import { hex64 } from "../hash.ts";
import { structuredCloneJson } from "../apiserver/merge.ts";
import { cidrContains, parseCidr } from "../ipnet.ts";
import { KUBE_SYSTEM, DNS_SERVICE_IP, corednsDeployment, flannelDaemonSet, kubeDnsService, kubeProxyDaemonSet, leaderElectionEndpoints, staticPods } from "./manifests.ts";

export const SYSTEM_TABLES = ["pods", "deployments", "replicasets", "daemonsets", "services", "endpoints", "endpointslices"] as const;
export type SystemTable = (typeof SYSTEM_TABLES)[number];
export type SystemSet = { [T in SystemTable]: Record<string, unknown> };

const SCRATCH_SEED = 1194;
const DAY = 86400;

const byTopology = new WeakMap<Topology, SystemSet>();
const byText = new Map<string, SystemSet>();

/** The kube-system objects of a fresh cluster of this topology (shared: copy before changing). */
export function systemSet(topo: Topology): SystemSet {
  let set = byTopology.get(topo);
  if (set) return set;
  const text = JSON.stringify(topo);
  set = byText.get(text);
  if (!set) {
    set = build(topo);
    if (byText.size > 16) byText.clear();
    byText.set(text, set);
  }
  byTopology.set(topo, set);
  return set;
}

const maxRVs = new WeakMap<SystemSet, number>();

/** The highest resourceVersion among a system set's objects (what the bootstrap's counter had reached). */
export function systemMaxRV(set: SystemSet): number {
  let max = maxRVs.get(set);
  if (max !== undefined) return max;
  max = 0;
  for (const t of SYSTEM_TABLES)
    for (const v of Object.values(set[t])) {
      const rv = t === "pods" ? (v as PodRec).rv : Number((v as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? 0);
      if (rv > max) max = rv;
    }
  maxRVs.set(set, max);
  return max;
}

function build(topo: Topology): SystemSet {
  const st = initialState(SCRATCH_SEED, structuredCloneJson(topo));
  const created = parseRfc3339(topo.startTime) - 10 * DAY;
  const masterSpec = topo.nodes.find(isMaster) ?? topo.nodes[0];
  const allNodes = st.nodes;
  // `kubeadm init`: the master alone, its static pods, the add-ons.
  st.nodes = { [masterSpec.name]: allNodes[masterSpec.name] };
  st.now = created;
  for (const sp of staticPods(topo, masterSpec)) {
    const rec: PodRec = {
      name: sp.name,
      ns: KUBE_SYSTEM,
      uid: "",
      rv: Number(nextRV(st)),
      ct: st.now,
      labels: sp.labels,
      annotations: { ...sp.annotations, ...mirrorAnnotations(sp.name, rfc3339(st.now)) },
      owner: { kind: "Node", name: masterSpec.name, uid: "" },
      spec: sp.spec as unknown as PodRec["spec"],
      node: masterSpec.name,
      phase: "Pending",
      ready: false,
      readyAt: st.now,
      c: [{ state: "waiting", reason: "ContainerCreating", ready: false, restarts: 0, startedAt: st.now }],
    };
    st.pods[key(KUBE_SYSTEM, sp.name)] = rec;
  }
  const add = (o: Record<string, unknown>) => {
    const meta = o.metadata as { name: string };
    store(st, o.kind as string, o, meta.name, KUBE_SYSTEM, undefined);
  };
  for (const c of ["kube-controller-manager", "kube-scheduler"]) add(leaderElectionEndpoints(c, masterSpec.name, rfc3339(st.now)));
  add(corednsDeployment());
  // kubeadm gives cluster DNS the service range's tenth address and refuses a range too small to hold it; a topology
  // with such a range (tests of the allocator's ends) gets no kube-dns Service, so names do not resolve there.
  const range = parseCidr(topo.serviceCIDR);
  if (range && cidrContains(range, DNS_SERVICE_IP)) add(kubeDnsService());
  add(kubeProxyDaemonSet());
  reconcile(st);
  add(flannelDaemonSet());
  reconcile(st);
  // `kubeadm join` on every worker (within the same minute, as the nodes' own creation times say).
  st.nodes = allNodes;
  reconcile(st);
  return renumber(extract(st));
}

/** The kubelet's annotations on a mirror pod (config.hash is the static manifest's hash). */
function mirrorAnnotations(name: string, seen: string): Record<string, string> {
  const hash = hex64(`static/${name}`).slice(0, 32);
  return { "kubernetes.io/config.hash": hash, "kubernetes.io/config.mirror": hash, "kubernetes.io/config.seen": seen };
}

function extract(st: ClusterState): SystemSet {
  const out = {} as SystemSet;
  for (const t of SYSTEM_TABLES) {
    const table = st[t] as Record<string, unknown>;
    out[t] = {};
    for (const k of Object.keys(table).sort()) if (k.startsWith(`${KUBE_SYSTEM}/`)) out[t][k] = table[k];
  }
  return out;
}

/**
 * Uids of their own (a hash of kind and name, not the scratch cluster's random draws, which a student cluster with
 * the same seed would draw again), every reference rewritten alike.
 */
function renumber(set: SystemSet): SystemSet {
  const uids = new Map<string, string>();
  const name = (kind: string, n: string) => {
    const h = hex64(`kube-system/${kind}/${n}`);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
  for (const t of SYSTEM_TABLES)
    for (const [k, v] of Object.entries(set[t])) {
      const o = v as { uid?: string; metadata?: { uid: string } };
      const uid = t === "pods" ? o.uid : o.metadata?.uid;
      if (uid) uids.set(uid, name(t, k));
    }
  let text = JSON.stringify(set);
  for (const [from, to] of uids) text = text.split(from).join(to);
  const out = JSON.parse(text) as SystemSet;
  for (const [k, p] of Object.entries(out.pods) as [string, PodRec][]) if (!p.uid) p.uid = name("pods", k);
  return out;
}

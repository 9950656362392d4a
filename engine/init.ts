// A new cluster's first state: the nodes of the topology (labels, taints, addresses as `kubectl get no` shows
// them, created ten days before the clock starts), the four system namespaces, and the `kubernetes` Service.
import type { Endpoints, Namespace, Node, ObjectMeta, Service } from "./objects.ts";
import type { ClusterState } from "./state.ts";
import type { TopologyInput } from "./types.ts";
import { normalizeTopology, isMaster } from "./topology.ts";
import { seedRng, uid } from "./rng.ts";
import { apiserverSlice } from "./controllers/endpointslice.ts";
import { parseRfc3339, rfc3339 } from "./clock.ts";
import { newMeta, nextRV } from "./store.ts";
import { cidrAddr, parseCidr } from "./ipnet.ts";
import { hex64 } from "./hash.ts";
import { memoize } from "./memo.ts";
import { deepFreeze } from "./shared.ts";

const DAY = 86400;

export function initialState(seed: number, topology?: TopologyInput): ClusterState {
  const topo = normalizeTopology(topology);
  const start = parseRfc3339(topo.startTime);
  const st: ClusterState = {
    v: 1,
    seed,
    rng: seedRng(seed),
    now: start - 10 * DAY,
    rv: 0,
    topo,
    namespaces: {},
    nodes: {},
    pods: {},
    deployments: {},
    replicasets: {},
    daemonsets: {},
    services: {},
    endpoints: {},
    endpointslices: {},
    events: [],
    files: {},
    hostAddrs: {},
    ipam: {},
    affinity: {},
    rr: {},
    epRV: 0,
    gone: [],
  };
  for (const name of ["default", "kube-node-lease", "kube-public", "kube-system"]) {
    const ns: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: newMeta(st, name, undefined), spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
    st.namespaces[name] = ns;
  }
  for (const n of topo.nodes) st.nodes[n.name] = nodeObject(n, newMeta(st, n.name, undefined));
  const master = topo.nodes.find(isMaster) ?? topo.nodes[0];
  const kubernetes: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { ...newMeta(st, "kubernetes", "default"), labels: { component: "apiserver", provider: "kubernetes" } },
    spec: {
      type: "ClusterIP",
      clusterIP: cidrAddr(parseCidr(topo.serviceCIDR)!, 1),
      ports: [{ name: "https", protocol: "TCP", port: 443, targetPort: 6443 }],
      sessionAffinity: "None",
    },
    status: { loadBalancer: {} },
  };
  st.services["default/kubernetes"] = kubernetes;
  const ep: Endpoints = {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { ...newMeta(st, "kubernetes", "default"), labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: master.ip }], ports: [{ name: "https", port: 6443, protocol: "TCP" }] }],
  };
  st.endpoints["default/kubernetes"] = ep;
  // and its EndpointSlice (the uid from a stream of its own: the cluster's random sequence stays as it was)
  const sliceUid = uid(seedRng(parseInt(hex64(`endpointslice/${seed}/kubernetes`).slice(0, 8), 16)));
  const sliceMeta = { uid: sliceUid, resourceVersion: nextRV(st), creationTimestamp: rfc3339(st.now) };
  st.endpointslices["default/kubernetes"] = apiserverSlice("kubernetes", sliceMeta, master.ip, 6443);
  st.now = start;
  return st;
}

/** The Node object kubelet registers for a topology node (a pure function of the node and its metadata). */
export function nodeObject(n: ClusterState["topo"]["nodes"][number], meta: ObjectMeta): Node {
  const master = isMaster(n);
  const labels: Record<string, string> = {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": n.name,
    "kubernetes.io/os": "linux",
    ...(master ? { "node-role.kubernetes.io/master": "" } : {}),
    ...(n.labels ?? {}),
  };
  const taints = n.taints ?? (master ? [{ key: "node-role.kubernetes.io/master", effect: "NoSchedule" }] : []);
  const t = meta.creationTimestamp;
  meta = { ...meta, labels };
  meta.annotations = {
    ...(meta.annotations ?? {}),
    "flannel.alpha.coreos.com/backend-data": `{"VtepMAC":"${hex64(n.name).slice(0, 12).replace(/(..)(?!$)/g, "$1:")}"}`,
    "flannel.alpha.coreos.com/backend-type": "vxlan",
    "flannel.alpha.coreos.com/kube-subnet-manager": "true",
    "flannel.alpha.coreos.com/public-ip": n.ip,
    "kubeadm.alpha.kubernetes.io/cri-socket": "/var/run/dockershim.sock",
    "node.alpha.kubernetes.io/ttl": "0",
    "volumes.kubernetes.io/controller-managed-attach-detach": "true",
  };
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: meta,
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], ...(taints.length ? { taints } : {}) },
    status: nodeStatus(`${n.name}\n${n.ip}\n${t}`),
  };
  return node;
}

/**
 * What kubelet reports of a node (name, address, registration time joined by newlines): nothing in a cluster writes
 * a node's status, so every node of every cluster with the same three shares one deep-frozen object.
 */
const nodeStatus = memoize((k: string): Node["status"] => {
  const [name, ip, t] = k.split("\n");
  const cond = (type: string, status: string, reason: string, message: string) => ({ type, status, reason, message, lastHeartbeatTime: t, lastTransitionTime: t });
  return deepFreeze({
    addresses: [
      { type: "InternalIP", address: ip },
      { type: "Hostname", address: name },
    ],
    conditions: [
      cond("NetworkUnavailable", "False", "FlannelIsUp", "Flannel is running on this node"),
      cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    nodeInfo: {
      kubeletVersion: "v1.19.4",
      kubeProxyVersion: "v1.19.4",
      osImage: "CentOS Linux 7 (Core)",
      kernelVersion: "3.10.0-1160.el7.x86_64",
      containerRuntimeVersion: "docker://19.3.13",
      operatingSystem: "linux",
      architecture: "amd64",
      machineID: hex64(`machine/${name}`).slice(0, 32),
      systemUUID: hex64(`uuid/${name}`).slice(0, 32).toUpperCase(),
      bootID: hex64(`boot/${name}`).slice(0, 32),
    },
    capacity: { cpu: "2", "ephemeral-storage": "51175Mi", "hugepages-2Mi": "0", memory: "3861300Ki", pods: "110" },
    allocatable: { cpu: "2", "ephemeral-storage": "48294789041", "hugepages-2Mi": "0", memory: "3758900Ki", pods: "110" },
  });
}, 1_000);

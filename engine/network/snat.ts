// Which endpoints a Service packet may reach and whether it is masqueraded, as v1.19 kube-proxy (iptables mode,
// clusterCIDR set as kubeadm + flannel do) and flannel's ip-masq rules decide. The rules, by chain:
//   KUBE-SERVICES -d <clusterIP>: `! -s <clusterCIDR> -j KUBE-MARK-MASQ`, then KUBE-SVC (every endpoint).
//   KUBE-SERVICES -d <externalIP>: `-j KUBE-MARK-MASQ` unconditionally, then KUBE-SVC — v1.19 ignores
//     externalTrafficPolicy for externalIPs (it only reached them in v1.22).
//   KUBE-NODEPORTS (dst-type LOCAL) and KUBE-FW (LoadBalancer ingress), policy Cluster: KUBE-MARK-MASQ, KUBE-SVC.
//   The same, policy Local: `-s 127.0.0.0/8 -j KUBE-MARK-MASQ` (nodePorts only; a loopback source is always the node
//     itself, which KUBE-XLB's --src-type LOCAL rule marks anyway), then KUBE-XLB:
//     `-s <clusterCIDR> -j KUBE-SVC` (pods: every endpoint, no SNAT);
//     `--src-type LOCAL -j KUBE-MARK-MASQ` + `-j KUBE-SVC` (the node itself);
//     otherwise this node's endpoints only, source kept; none: `-j KUBE-MARK-DROP` ("has no local endpoints").
//   KUBE-SEP-*: `-s <endpoint IP> -j KUBE-MARK-MASQ` (hairpin: a pod reaching itself).
//   KUBE-POSTROUTING masquerades marked packets to the address of the interface they leave by.
// flannel's POSTROUTING (ip-masq), after kube-proxy's:
//   -s <net> -d <net> RETURN; -s <net> ! -d 224.0.0.0/4 MASQUERADE; ! -s <net> -d <own subnet> RETURN;
//   ! -s <net> -d <net> MASQUERADE.

export type EntryMode = "clusterip" | "nodeport" | "lb" | "externalip";

/** The packet as the entry node's PREROUTING/OUTPUT sees it. */
export interface Arrival {
  /** Source address on arrival. */
  src: string;
  /** `-m addrtype --src-type LOCAL`: it was sent by the entry node itself. */
  local: boolean;
  /** `-s <clusterCIDR>`: it comes from a pod on the entry node. */
  podNet: boolean;
}

export interface ProxyDecision {
  /** Through KUBE-XLB: policy Local on a nodePort or a LoadBalancer ingress. */
  xlb: boolean;
  /** Only this node's endpoints (KUBE-XLB's last rules), or every endpoint of the Service (KUBE-SVC). */
  localOnly: boolean;
  /** Marked by KUBE-MARK-MASQ (before the hairpin rule, which the caller checks against the chosen endpoint). */
  masq: boolean;
  /** The rule that decided, for the trace (none for pod-network traffic to a ClusterIP: no rule marks it). */
  why?: string;
}

export function proxyDecision(mode: EntryMode, onlyLocal: boolean, a: Arrival): ProxyDecision {
  if (mode === "clusterip")
    return a.podNet
      ? { xlb: false, localOnly: false, masq: false }
      : { xlb: false, localOnly: false, masq: true, why: "! -s <clusterCIDR>: off-pod-network traffic to a ClusterIP is SNATed" };
  if (mode === "externalip") return { xlb: false, localOnly: false, masq: true, why: "externalIP traffic is always SNATed (v1.19 ignores externalTrafficPolicy here)" };
  if (!onlyLocal) return { xlb: false, localOnly: false, masq: true, why: `${mode === "lb" ? "LoadBalancer" : "nodePort"} traffic with externalTrafficPolicy Cluster is SNATed` };
  if (a.podNet) return { xlb: true, localOnly: false, masq: false, why: "KUBE-XLB -s <clusterCIDR>: pod traffic goes to the service chain, no SNAT" };
  if (a.local) return { xlb: true, localOnly: false, masq: true, why: "KUBE-XLB --src-type LOCAL: traffic from the node itself is SNATed and may use every endpoint" };
  return { xlb: true, localOnly: true, masq: false, why: "externalTrafficPolicy Local: only this node's endpoints, the client IP is kept" };
}

/** Where the DNATed packet goes from the entry node, for the interface MASQUERADE takes its address from. */
export type Egress = "cni0" | "flannel.1" | "eth0";

/**
 * The source address the backend sees, and which rule rewrote it. `masq`: kube-proxy's mark (or the hairpin rule),
 * MASQUERADE in KUBE-POSTROUTING; otherwise flannel's rules apply to the arrival source: a pod-network source is kept
 * towards the pod network and masqueraded elsewhere. An unmarked source from outside the pod network only ever
 * reaches this node's own endpoints (KUBE-XLB's local ones), delivered here: flannel's `! -s <net> -d <own subnet>
 * RETURN` or no POSTROUTING at all keeps it (its `! -s <net> -d <net> MASQUERADE` never sees such a packet).
 * `endpointHere`: the endpoint is an address of the entry node (a hostNetwork pod there): a packet that came from
 * elsewhere is delivered locally (PREROUTING → INPUT) and never reaches POSTROUTING, where both masquerades are.
 */
export function seenSource(masq: boolean, a: Arrival, egressIP: string, endpointInPodNet: boolean, endpointHere: boolean): { ip: string; by?: "KUBE-POSTROUTING" | "flannel" } {
  if (endpointHere && !a.local) return { ip: a.src };
  if (masq) return { ip: egressIP, by: "KUBE-POSTROUTING" };
  if (a.podNet && !endpointInPodNet) return { ip: egressIP, by: "flannel" };
  return { ip: a.src };
}

// Every way a request enters kube-proxy's and flannel's rules (v1.19, iptables mode; semantics.md §2) and every way
// it fails, as a table: source × destination → the answer (or curl's error), the address the backend saw, and the
// trace hop by hop (where, which rule, what it did). The rules behind each outcome:
//   ClusterIP        only from nodes and pods; a port or protocol the Service lacks is REJECTed (refused)
//   no endpoints     REJECT "<ns>/<svc> has no endpoints" on every way in, whatever the traffic policy (hasEndpoints)
//   policy Local     KUBE-XLB: only this node's endpoints; none here → KUBE-MARK-DROP (timeout)
//   externalIPs      caught only on a node that holds the address (Kubernetes never assigns it): else a timeout
//   LoadBalancer     from outside, the node that announces the ingress IP (Local: one with an endpoint)
//   node addresses   nodePorts on every node, masters too; a hostNetwork pod's port; the master's 6443 is the
//                    kube-apiserver; anything else is reset (refused)
//   pod IPs          routed by flannel between nodes; not routable from outside (timeout)
//   loopback         a pod's 127.0.0.1 is its own; a node's reaches nodePorts (route_localnet)
//   sources          a pod that is not running sends nothing; a pod's packet to another node leaves by eth0 and
//                    flannel masquerades it to its node's address
// Chain names are upstream's (tests/network-chain-names.test.ts), worked out with Python's hashlib.
//
// Cluster: master01 192.168.2.1, node01 192.168.2.2 (pods 10.244.5.0/24), node02 192.168.2.3 (10.244.4.0/24);
// 192.168.2.50 is bound on node02 (`ip addr add`), 192.168.2.60 nowhere; mysql01 192.168.2.8:3306 is outside.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { RequestSource } from "../engine/types.ts";

const demo = (extra: Record<string, unknown> = {}) => ({ name: "demoapp", image: "ikubernetes/demoapp:v1.0", ...extra });
const POD = (name: string, node: string, labels: Record<string, string>, spec: Record<string, unknown> = {}, namespace = "default") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace, labels },
  spec: { nodeName: node, containers: [demo()], ...spec },
});
const SVC = (name: string, spec: Record<string, unknown>) => ({ apiVersion: "v1", kind: "Service", metadata: { name }, spec });

function setup(): Cluster {
  const c = Cluster.create({ seed: 5, topology: { loadBalancerPool: ["192.168.2.240-192.168.2.250"] } });
  c.apply([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev" } }]);
  c.apply([
    POD("web-n1", "node01", { app: "web", at: "n1" }),
    POD("web-n2", "node02", { app: "web", at: "n2" }),
    POD("client", "node01", { role: "client" }),
    POD("dev-client", "node02", { role: "client" }, {}, "dev"),
    POD("hostweb", "node02", { role: "host" }, { hostNetwork: true, containers: [demo({ env: [{ name: "PORT", value: "8080" }] })] }),
    POD("unready", "node01", { app: "unready" }, { containers: [demo({ readinessProbe: { httpGet: { path: "/", port: 81 }, periodSeconds: 1 } })] }),
    { apiVersion: "v1", kind: "Pod", metadata: { name: "pending" }, spec: { nodeSelector: { disk: "none" }, containers: [{ name: "c", image: "nginx" }] } },
  ]);
  c.addHostIP("node02", "192.168.2.50/21");
  c.apply([
    SVC("web", { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: 80 }] }),
    SVC("np", { type: "NodePort", selector: { at: "n1" }, ports: [{ port: 80, nodePort: 30080 }] }),
    SVC("np-local", { type: "NodePort", externalTrafficPolicy: "Local", selector: { at: "n1" }, ports: [{ port: 80, nodePort: 30081 }] }),
    SVC("lb", { type: "LoadBalancer", selector: { at: "n1" }, ports: [{ port: 80, nodePort: 30082 }] }),
    SVC("lb-local", { type: "LoadBalancer", externalTrafficPolicy: "Local", selector: { at: "n1" }, ports: [{ port: 80, nodePort: 30083 }] }),
    SVC("ext", { selector: { at: "n1" }, externalIPs: ["192.168.2.50", "192.168.2.60"], ports: [{ port: 8000, targetPort: 80 }] }),
    SVC("empty", { selector: { app: "none" }, ports: [{ port: 80 }] }),
    SVC("empty-local", { type: "NodePort", externalTrafficPolicy: "Local", selector: { app: "none" }, ports: [{ port: 80, nodePort: 30084 }] }),
    SVC("notready", { selector: { app: "unready" }, ports: [{ port: 80 }] }),
    SVC("noselector", { ports: [{ port: 80 }] }),
    SVC("mysql", { ports: [{ port: 3306 }] }),
    SVC("gone", { ports: [{ port: 80 }] }),
  ]);
  c.apply([
    { apiVersion: "v1", kind: "Endpoints", metadata: { name: "mysql" }, subsets: [{ addresses: [{ ip: "192.168.2.8" }], ports: [{ port: 3306 }] }] },
    { apiVersion: "v1", kind: "Endpoints", metadata: { name: "gone" }, subsets: [{ addresses: [{ ip: "192.168.2.77" }], ports: [{ port: 80 }] }] },
  ]);
  c.advance(30);
  return c;
}

const NODE01: RequestSource = { kind: "node", node: "node01" };
const NODE02: RequestSource = { kind: "node", node: "node02" };
const CLIENT: RequestSource = { kind: "pod", pod: "client" };
const OUTSIDE: RequestSource = { kind: "external" };

interface Row {
  name: string;
  from: RequestSource;
  /** An address, a name, or `{svc}` (a Service's clusterIP), `{lb:svc}` (its ingress IP), `{pod}` (a pod's IP). */
  host: string;
  port?: number;
  protocol?: "UDP";
  /** ok: the HTTP status, the backend and the client address it saw; otherwise curl's error. */
  want: { status: number; by: string; seen: string; svc?: string } | { code: "refused" | "timeout" | "unreachable" | "resolve"; message: string };
  /** "at | rule | detail", with the same placeholders. */
  trace: string[];
}

const APP = (pod: string, ip: string, port: number, seen: string, status = 200) => `pod default/${pod} | app | ikubernetes/demoapp:v1.0 on ${ip}:${port} saw client ${seen}; HTTP ${status}`;
const refused = (dest: string, port: number) => ({ code: "refused" as const, message: `Failed to connect to ${dest} port ${port}: Connection refused` });
const timedOut = (dest: string, port: number) => ({ code: "timeout" as const, message: `Failed to connect to ${dest} port ${port}: Connection timed out` });
const DNS = (name: string, svc: string) => `pod default/client | DNS | ${name}.default.svc.cluster.local -> {${svc}} (10.96.0.10)`;

const ROWS: Row[] = [
  // ---- ClusterIP
  {
    name: "a node to a ClusterIP: marked (! -s clusterCIDR), masqueraded to the bridge of the endpoint's node",
    from: NODE01, host: "{np}",
    want: { status: 200, by: "web-n1", seen: "10.244.5.1", svc: "np" },
    trace: [
      "node01 | KUBE-SERVICES | {np}:80/TCP is the ClusterIP of service default/np",
      "node01 | KUBE-MARK-MASQ | ! -s <clusterCIDR>: off-pod-network traffic to a ClusterIP is SNATed: will be SNATed",
      "node01 | KUBE-SVC-XC6RJY4MVSDCQ2RZ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node01 | KUBE-SEP-6D5S65H2ERLQXAGS | DNAT to {web-n1}:80",
      "node01 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.2 -> 10.244.5.1",
      APP("web-n1", "{web-n1}", 80, "10.244.5.1"),
    ],
  },
  {
    name: "a pod to a Service by name: no SNAT, the pod's own address",
    from: CLIENT, host: "np",
    want: { status: 200, by: "web-n1", seen: "{client}", svc: "np" },
    trace: [
      DNS("np", "np"),
      "node01 | KUBE-SERVICES | {np}:80/TCP is the ClusterIP of service default/np",
      "node01 | KUBE-SVC-XC6RJY4MVSDCQ2RZ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node01 | KUBE-SEP-6D5S65H2ERLQXAGS | DNAT to {web-n1}:80",
      APP("web-n1", "{web-n1}", 80, "{client}"),
    ],
  },
  {
    name: "a pod in another namespace names the Service with its namespace",
    from: { kind: "pod", pod: "dev-client", namespace: "dev" }, host: "np.default",
    want: { status: 200, by: "web-n1", seen: "{dev-client}", svc: "np" },
    trace: [
      "pod dev/dev-client | DNS | np.default.svc.cluster.local -> {np} (10.96.0.10)",
      "node02 | KUBE-SERVICES | {np}:80/TCP is the ClusterIP of service default/np",
      "node02 | KUBE-SVC-XC6RJY4MVSDCQ2RZ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-6D5S65H2ERLQXAGS | DNAT to {web-n1}:80",
      APP("web-n1", "{web-n1}", 80, "{dev-client}"),
    ],
  },
  {
    // iptables mode has rules for the Service's own ports only; the ClusterIP is on no interface
    name: "a port the Service does not have matches no rule and goes nowhere",
    from: CLIENT, host: "web", port: 81,
    want: timedOut("{web}", 81),
    trace: [DNS("web", "web"), "node01 | route | no KUBE-SERVICES rule matches {web}:81/TCP (service default/web has no such port): the packet leaves by the default route and nothing answers"],
  },
  {
    name: "the right port number with another protocol matches no rule either",
    from: NODE01, host: "{web}", protocol: "UDP",
    want: timedOut("{web}", 80),
    trace: ["node01 | route | no KUBE-SERVICES rule matches {web}:80/UDP (service default/web has no such port): the packet leaves by the default route and nothing answers"],
  },
  {
    name: "a ClusterIP from outside the cluster: no route",
    from: OUTSIDE, host: "{web}",
    want: timedOut("{web}", 80),
    trace: ["client 192.168.2.100 | route | nothing answers at {web}"],
  },
  {
    name: "a name no DNS server knows",
    from: CLIENT, host: "nosuch",
    want: { code: "resolve", message: "Could not resolve host: nosuch" },
    trace: ["pod default/client | DNS | nosuch: no address from 10.96.0.10"],
  },
  // ---- no endpoints: REJECT on every way in
  {
    name: "a Service whose selector matches nothing",
    from: CLIENT, host: "empty",
    want: refused("{empty}", 80),
    trace: [DNS("empty", "empty"), "node01 | KUBE-SERVICES | {empty}:80/TCP is the ClusterIP of service default/empty", "node01 | REJECT | default/empty has no endpoints"],
  },
  {
    name: "policy Local without any endpoint is REJECTed, not dropped",
    from: OUTSIDE, host: "192.168.2.2", port: 30084,
    want: refused("192.168.2.2", 30084),
    trace: ["node01 | KUBE-NODEPORTS | 192.168.2.2:30084/TCP is nodePort 30084 of service default/empty-local", "node01 | REJECT | default/empty-local has no endpoints"],
  },
  {
    name: "a Service whose only pod is not ready",
    from: CLIENT, host: "notready",
    want: refused("{notready}", 80),
    trace: [DNS("notready", "notready"), "node01 | KUBE-SERVICES | {notready}:80/TCP is the ClusterIP of service default/notready", "node01 | REJECT | default/notready has no endpoints (1 not ready)"],
  },
  {
    name: "a Service without selector and without hand-written Endpoints",
    from: CLIENT, host: "noselector",
    want: refused("{noselector}", 80),
    trace: [
      DNS("noselector", "noselector"),
      "node01 | KUBE-SERVICES | {noselector}:80/TCP is the ClusterIP of service default/noselector",
      "node01 | REJECT | default/noselector has no endpoints (no selector and no Endpoints written)",
    ],
  },
  // ---- hand-written Endpoints
  {
    name: "hand-written Endpoints to an outside MySQL: the pod's packet leaves by eth0, flannel masquerades it",
    from: CLIENT, host: "mysql", port: 3306,
    want: { status: 0, by: "mysql01", seen: "192.168.2.2", svc: "mysql" },
    trace: [
      DNS("mysql", "mysql"),
      "node01 | KUBE-SERVICES | {mysql}:3306/TCP is the ClusterIP of service default/mysql",
      "node01 | KUBE-SVC-M7XME3WTB36R42AM | 1 ready endpoint [192.168.2.8:3306]; iptables statistic (random, 1/1 each) picked 192.168.2.8:3306",
      "node01 | KUBE-SEP-H7QABDPJEZEPEO4B | DNAT to 192.168.2.8:3306",
      "node01 | flannel ip-masq | source {client} -> 192.168.2.2 (leaving by eth0)",
      "host mysql01 | app | mysql:5.7 on 192.168.2.8:3306 saw client 192.168.2.2",
    ],
  },
  {
    name: "hand-written Endpoints to an address where nothing answers",
    from: NODE01, host: "{gone}",
    want: timedOut("{gone}", 80),
    trace: [
      "node01 | KUBE-SERVICES | {gone}:80/TCP is the ClusterIP of service default/gone",
      "node01 | KUBE-MARK-MASQ | ! -s <clusterCIDR>: off-pod-network traffic to a ClusterIP is SNATed: will be SNATed",
      "node01 | KUBE-SVC-EUCE5DA337ZXJT3W | 1 ready endpoint [192.168.2.77:80]; iptables statistic (random, 1/1 each) picked 192.168.2.77:80",
      "node01 | KUBE-SEP-6HTZZ27ZXRYYOC43 | DNAT to 192.168.2.77:80",
      "node01 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.2 -> 192.168.2.2",
      "network | route | endpoint 192.168.2.77:80 does not answer",
    ],
  },
  {
    name: "default/kubernetes: the endpoint is the master's address, where the kube-apiserver answers (no TLS: 400)",
    from: CLIENT, host: "kubernetes", port: 443,
    want: { status: 400, by: "master01", seen: "192.168.2.2", svc: "kubernetes" },
    trace: [
      "pod default/client | DNS | kubernetes.default.svc.cluster.local -> 10.96.0.1 (10.96.0.10)",
      "node01 | KUBE-SERVICES | 10.96.0.1:443/TCP is the ClusterIP of service default/kubernetes",
      "node01 | KUBE-SVC-NPX46M4PTMTKRN6Y | 1 ready endpoint [192.168.2.1:6443]; iptables statistic (random, 1/1 each) picked 192.168.2.1:6443",
      "node01 | KUBE-SEP-3JA4IFDMDDHRBSDS | DNAT to 192.168.2.1:6443",
      "node01 | flannel ip-masq | source {client} -> 192.168.2.2 (leaving by eth0)",
      "master01 | app | kube-apiserver on 192.168.2.1:6443 (TLS) saw client 192.168.2.2; a request without TLS gets HTTP 400",
    ],
  },
  // ---- nodePorts
  {
    name: "a nodePort is open on the master too (policy Cluster: marked, any endpoint)",
    from: OUTSIDE, host: "192.168.2.1", port: 30080,
    want: { status: 200, by: "web-n1", seen: "10.244.0.0", svc: "np" },
    trace: [
      "master01 | KUBE-NODEPORTS | 192.168.2.1:30080/TCP is nodePort 30080 of service default/np",
      "master01 | KUBE-MARK-MASQ | nodePort traffic with externalTrafficPolicy Cluster is SNATed: will be SNATed",
      "master01 | KUBE-SVC-XC6RJY4MVSDCQ2RZ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "master01 | KUBE-SEP-6D5S65H2ERLQXAGS | DNAT to {web-n1}:80",
      "master01 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.100 -> 10.244.0.0",
      APP("web-n1", "{web-n1}", 80, "10.244.0.0"),
    ],
  },
  {
    name: "a nodePort over the node's loopback (route_localnet): marked, masqueraded from 127.0.0.1",
    from: NODE02, host: "127.0.0.1", port: 30080,
    want: { status: 200, by: "web-n1", seen: "10.244.4.0", svc: "np" },
    trace: [
      "node02 | KUBE-NODEPORTS | 127.0.0.1:30080/TCP is nodePort 30080 of service default/np",
      "node02 | KUBE-MARK-MASQ | nodePort traffic with externalTrafficPolicy Cluster is SNATed: will be SNATed",
      "node02 | KUBE-SVC-XC6RJY4MVSDCQ2RZ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-6D5S65H2ERLQXAGS | DNAT to {web-n1}:80",
      "node02 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 127.0.0.1 -> 10.244.4.0",
      APP("web-n1", "{web-n1}", 80, "10.244.4.0"),
    ],
  },
  {
    name: "a nodePort with UDP where the Service has TCP: nothing listens",
    from: OUTSIDE, host: "192.168.2.2", port: 30080, protocol: "UDP",
    want: refused("192.168.2.2", 30080),
    trace: ["node01 | INPUT | nothing listens on 192.168.2.2:30080"],
  },
  {
    name: "a port of a node no Service has: nothing listens",
    from: OUTSIDE, host: "192.168.2.1", port: 30099,
    want: refused("192.168.2.1", 30099),
    trace: ["master01 | INPUT | nothing listens on 192.168.2.1:30099"],
  },
  {
    name: "policy Local on the node with the endpoint: the client address is kept",
    from: OUTSIDE, host: "192.168.2.2", port: 30081,
    want: { status: 200, by: "web-n1", seen: "192.168.2.100", svc: "np-local" },
    trace: [
      "node01 | KUBE-NODEPORTS | 192.168.2.2:30081/TCP is nodePort 30081 of service default/np-local",
      "node01 | KUBE-XLB-WOMUSRYNBEEVS57T | externalTrafficPolicy Local: only this node's endpoints, the client IP is kept: 1 of 1 ready endpoints are on node01",
      "node01 | KUBE-SVC-WOMUSRYNBEEVS57T | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node01 | KUBE-SEP-VGENB7O3NAHYABSF | DNAT to {web-n1}:80",
      APP("web-n1", "{web-n1}", 80, "192.168.2.100"),
    ],
  },
  {
    name: "policy Local on a node without an endpoint: dropped",
    from: OUTSIDE, host: "192.168.2.3", port: 30081,
    want: timedOut("192.168.2.3", 30081),
    trace: [
      "node02 | KUBE-NODEPORTS | 192.168.2.3:30081/TCP is nodePort 30081 of service default/np-local",
      "node02 | KUBE-XLB-WOMUSRYNBEEVS57T | externalTrafficPolicy Local: only this node's endpoints, the client IP is kept: 0 of 1 ready endpoints are on node02",
      "node02 | KUBE-MARK-DROP | default/np-local has no local endpoints",
    ],
  },
  {
    name: "policy Local from a pod on that node: -s clusterCIDR goes to the service chain, no SNAT",
    from: { kind: "pod", pod: "dev-client", namespace: "dev" }, host: "192.168.2.3", port: 30081,
    want: { status: 200, by: "web-n1", seen: "{dev-client}", svc: "np-local" },
    trace: [
      "node02 | KUBE-NODEPORTS | 192.168.2.3:30081/TCP is nodePort 30081 of service default/np-local",
      "node02 | KUBE-XLB-WOMUSRYNBEEVS57T | KUBE-XLB -s <clusterCIDR>: pod traffic goes to the service chain, no SNAT",
      "node02 | KUBE-SVC-WOMUSRYNBEEVS57T | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-VGENB7O3NAHYABSF | DNAT to {web-n1}:80",
      APP("web-n1", "{web-n1}", 80, "{dev-client}"),
    ],
  },
  {
    name: "policy Local from the node itself: src-type LOCAL is marked and may use every endpoint",
    from: NODE02, host: "192.168.2.3", port: 30081,
    want: { status: 200, by: "web-n1", seen: "10.244.4.0", svc: "np-local" },
    trace: [
      "node02 | KUBE-NODEPORTS | 192.168.2.3:30081/TCP is nodePort 30081 of service default/np-local",
      "node02 | KUBE-XLB-WOMUSRYNBEEVS57T | KUBE-XLB --src-type LOCAL: traffic from the node itself is SNATed and may use every endpoint",
      "node02 | KUBE-MARK-MASQ | KUBE-XLB --src-type LOCAL: traffic from the node itself is SNATed and may use every endpoint: will be SNATed",
      "node02 | KUBE-SVC-WOMUSRYNBEEVS57T | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-VGENB7O3NAHYABSF | DNAT to {web-n1}:80",
      "node02 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.3 -> 10.244.4.0",
      APP("web-n1", "{web-n1}", 80, "10.244.4.0"),
    ],
  },
  // ---- LoadBalancer ingress
  {
    name: "LoadBalancer ingress from outside: delivered to the announcing node, policy Cluster marks it",
    from: OUTSIDE, host: "{lb:lb}",
    want: { status: 200, by: "web-n1", seen: "10.244.4.0", svc: "lb" },
    trace: [
      "node02 | KUBE-SERVICES | {lb:lb}:80/TCP is the LoadBalancer ingress IP of service default/lb (packet delivered to node02)",
      "node02 | KUBE-MARK-MASQ | LoadBalancer traffic with externalTrafficPolicy Cluster is SNATed: will be SNATed",
      "node02 | KUBE-SVC-4TQKMUWZ6NZSKQRJ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-MOF7DMXFUHZ62XTT | DNAT to {web-n1}:80",
      "node02 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.100 -> 10.244.4.0",
      APP("web-n1", "{web-n1}", 80, "10.244.4.0"),
    ],
  },
  {
    name: "LoadBalancer ingress from a node: caught by the sender's own rules (KUBE-FW on every node)",
    from: NODE01, host: "{lb:lb}",
    want: { status: 200, by: "web-n1", seen: "10.244.5.1", svc: "lb" },
    trace: [
      "node01 | KUBE-SERVICES | {lb:lb}:80/TCP is the LoadBalancer ingress IP of service default/lb",
      "node01 | KUBE-MARK-MASQ | LoadBalancer traffic with externalTrafficPolicy Cluster is SNATed: will be SNATed",
      "node01 | KUBE-SVC-4TQKMUWZ6NZSKQRJ | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node01 | KUBE-SEP-MOF7DMXFUHZ62XTT | DNAT to {web-n1}:80",
      "node01 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.2 -> 10.244.5.1",
      APP("web-n1", "{web-n1}", 80, "10.244.5.1"),
    ],
  },
  {
    name: "LoadBalancer policy Local from outside: announced by a node with an endpoint, the client address kept",
    from: OUTSIDE, host: "{lb:lb-local}",
    want: { status: 200, by: "web-n1", seen: "192.168.2.100", svc: "lb-local" },
    trace: [
      "node01 | KUBE-SERVICES | {lb:lb-local}:80/TCP is the LoadBalancer ingress IP of service default/lb-local (packet delivered to node01)",
      "node01 | KUBE-XLB-SVEDSVMHY6OD4D54 | externalTrafficPolicy Local: only this node's endpoints, the client IP is kept: 1 of 1 ready endpoints are on node01",
      "node01 | KUBE-SVC-SVEDSVMHY6OD4D54 | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node01 | KUBE-SEP-H2BGLCERZZC4EFN7 | DNAT to {web-n1}:80",
      APP("web-n1", "{web-n1}", 80, "192.168.2.100"),
    ],
  },
  {
    name: "a LoadBalancer ingress IP on a port the Service lacks: the address answers nothing",
    from: OUTSIDE, host: "{lb:lb}", port: 81,
    want: timedOut("{lb:lb}", 81),
    trace: ["client 192.168.2.100 | route | nothing answers at {lb:lb}"],
  },
  // ---- externalIPs
  {
    name: "an externalIP bound on node02: always marked in v1.19",
    from: OUTSIDE, host: "192.168.2.50", port: 8000,
    want: { status: 200, by: "web-n1", seen: "10.244.4.0", svc: "ext" },
    trace: [
      "node02 | KUBE-SERVICES | 192.168.2.50:8000/TCP is an externalIP of service default/ext (packet delivered to node02)",
      "node02 | KUBE-MARK-MASQ | externalIP traffic is always SNATed (v1.19 ignores externalTrafficPolicy here): will be SNATed",
      "node02 | KUBE-SVC-GGKE363IBL67YHII | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-3XQQUHN66GXJYY3G | DNAT to {web-n1}:80",
      "node02 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.100 -> 10.244.4.0",
      APP("web-n1", "{web-n1}", 80, "10.244.4.0"),
    ],
  },
  {
    name: "an externalIP from the node that holds it: no 'delivered to'",
    from: NODE02, host: "192.168.2.50", port: 8000,
    want: { status: 200, by: "web-n1", seen: "10.244.4.0", svc: "ext" },
    trace: [
      "node02 | KUBE-SERVICES | 192.168.2.50:8000/TCP is an externalIP of service default/ext",
      "node02 | KUBE-MARK-MASQ | externalIP traffic is always SNATed (v1.19 ignores externalTrafficPolicy here): will be SNATed",
      "node02 | KUBE-SVC-GGKE363IBL67YHII | 1 ready endpoint [{web-n1}:80]; iptables statistic (random, 1/1 each) picked {web-n1}:80",
      "node02 | KUBE-SEP-3XQQUHN66GXJYY3G | DNAT to {web-n1}:80",
      "node02 | POSTROUTING KUBE-POSTROUTING MASQUERADE | source 192.168.2.3 -> 10.244.4.0",
      APP("web-n1", "{web-n1}", 80, "10.244.4.0"),
    ],
  },
  {
    name: "an externalIP no node holds: Kubernetes does not assign it, the packet goes nowhere",
    from: OUTSIDE, host: "192.168.2.60", port: 8000,
    want: timedOut("192.168.2.60", 8000),
    trace: ["client 192.168.2.100 | route | no node holds 192.168.2.60; externalIPs are not assigned by Kubernetes (bind it with `ip addr add`)"],
  },
  {
    name: "an externalIP on a port the Service lacks: the node holding it resets",
    from: OUTSIDE, host: "192.168.2.50", port: 8001,
    want: refused("192.168.2.50", 8001),
    trace: ["node02 | INPUT | nothing listens on 192.168.2.50:8001"],
  },
  // ---- node addresses: host network
  {
    name: "a hostNetwork pod's port on its node's address, from outside",
    from: OUTSIDE, host: "192.168.2.3", port: 8080,
    want: { status: 200, by: "hostweb", seen: "192.168.2.100" },
    trace: ["pod default/hostweb | app | ikubernetes/demoapp:v1.0 on 192.168.2.3:8080 saw client 192.168.2.100; HTTP 200"],
  },
  {
    name: "a hostNetwork pod's port from a pod on another node: flannel masquerades it to that node's address",
    from: CLIENT, host: "192.168.2.3", port: 8080,
    want: { status: 200, by: "hostweb", seen: "192.168.2.2" },
    trace: ["pod default/hostweb | app | ikubernetes/demoapp:v1.0 on 192.168.2.3:8080 saw client 192.168.2.2; HTTP 200"],
  },
  {
    name: "a hostNetwork pod's port from a pod on the same node: delivered locally, the pod's address kept",
    from: { kind: "pod", pod: "dev-client", namespace: "dev" }, host: "192.168.2.3", port: 8080,
    want: { status: 200, by: "hostweb", seen: "{dev-client}" },
    trace: ["pod default/hostweb | app | ikubernetes/demoapp:v1.0 on 192.168.2.3:8080 saw client {dev-client}; HTTP 200"],
  },
  {
    name: "a hostNetwork pod's port by node name from another node",
    from: NODE01, host: "node02", port: 8080,
    want: { status: 200, by: "hostweb", seen: "192.168.2.2" },
    trace: ["node01 | DNS | node02 -> 192.168.2.3 (/etc/hosts)", "pod default/hostweb | app | ikubernetes/demoapp:v1.0 on 192.168.2.3:8080 saw client 192.168.2.2; HTTP 200"],
  },
  {
    name: "a hostNetwork pod's own loopback is its node's",
    from: { kind: "pod", pod: "hostweb" }, host: "127.0.0.1", port: 8080,
    want: { status: 200, by: "hostweb", seen: "127.0.0.1" },
    trace: ["pod default/hostweb | app | ikubernetes/demoapp:v1.0 on 192.168.2.3:8080 saw client 127.0.0.1; HTTP 200"],
  },
  {
    name: "the master's 6443 is the kube-apiserver",
    from: NODE01, host: "192.168.2.1", port: 6443,
    want: { status: 400, by: "master01", seen: "192.168.2.2" },
    trace: ["master01 | app | kube-apiserver on 192.168.2.1:6443 (TLS) saw client 192.168.2.2; a request without TLS gets HTTP 400"],
  },
  {
    name: "6443 on a worker: nothing listens",
    from: NODE01, host: "192.168.2.3", port: 6443,
    want: refused("192.168.2.3", 6443),
    trace: ["node02 | INPUT | nothing listens on 192.168.2.3:6443"],
  },
  // ---- pod IPs
  {
    name: "a pod IP from its own node's host: via cni0",
    from: NODE01, host: "{web-n1}",
    want: { status: 200, by: "web-n1", seen: "10.244.5.1" },
    trace: ["node01 | route | {web-n1} is pod default/web-n1 on node01 (via cni0)", APP("web-n1", "{web-n1}", 80, "10.244.5.1")],
  },
  {
    name: "a pod IP from another node's host: via flannel.1",
    from: NODE01, host: "{web-n2}",
    want: { status: 200, by: "web-n2", seen: "10.244.5.0" },
    trace: ["node01 | route | {web-n2} is pod default/web-n2 on node02 (via flannel.1)", APP("web-n2", "{web-n2}", 80, "10.244.5.0")],
  },
  {
    name: "a pod IP from a pod on another node: pod to pod, no SNAT",
    from: CLIENT, host: "{web-n2}",
    want: { status: 200, by: "web-n2", seen: "{client}" },
    trace: ["node01 | route | {web-n2} is pod default/web-n2 on node02 (via flannel.1)", APP("web-n2", "{web-n2}", 80, "{client}")],
  },
  {
    name: "a pod IP from outside: pod networks are not routed there",
    from: OUTSIDE, host: "{web-n1}",
    want: timedOut("{web-n1}", 80),
    trace: ["client 192.168.2.100 | route | {web-n1} is a pod IP; pod networks are not routable from outside the cluster"],
  },
  {
    name: "a pod IP on a port its containers do not listen on",
    from: NODE01, host: "{web-n1}", port: 81,
    want: refused("{web-n1}", 81),
    trace: ["node01 | route | {web-n1} is pod default/web-n1 on node01 (via cni0)", "pod default/web-n1 | connect | nothing listens on {web-n1}:81 in the pod"],
  },
  // ---- loopback and sources
  {
    name: "a pod's 127.0.0.1 is its own container",
    from: CLIENT, host: "127.0.0.1",
    want: { status: 200, by: "client", seen: "127.0.0.1" },
    trace: [APP("client", "{client}", 80, "127.0.0.1")],
  },
  {
    name: "a pod's 127.0.0.1 on a port nothing in it listens on",
    from: CLIENT, host: "127.0.0.1", port: 81,
    want: refused("127.0.0.1", 81),
    trace: ["pod default/client | connect | nothing listens on {client}:81 in the pod"],
  },
  {
    name: "a pod that is not running sends nothing",
    from: { kind: "pod", pod: "pending" }, host: "web",
    want: { code: "unreachable", message: "pod pending is not running" },
    trace: [],
  },
  // ---- outside hosts
  {
    name: "an outside host from a pod: flannel masquerades it to the node's address",
    from: CLIENT, host: "192.168.2.8", port: 3306,
    want: { status: 0, by: "mysql01", seen: "192.168.2.2" },
    trace: ["host mysql01 | app | mysql:5.7 on 192.168.2.8:3306 saw client 192.168.2.2"],
  },
  {
    name: "an outside host from another outside client",
    from: { kind: "external", ip: "192.168.2.101" }, host: "192.168.2.8", port: 3306,
    want: { status: 0, by: "mysql01", seen: "192.168.2.101" },
    trace: ["host mysql01 | app | mysql:5.7 on 192.168.2.8:3306 saw client 192.168.2.101"],
  },
  {
    name: "an outside host on a port it does not listen on",
    from: NODE01, host: "192.168.2.9", port: 80,
    want: refused("192.168.2.9", 80),
    trace: ["host mysql02 | connect | nothing listens on 192.168.2.9:80"],
  },
  {
    name: "an address nobody has",
    from: { kind: "external", ip: "192.168.2.101" }, host: "192.168.2.99",
    want: timedOut("192.168.2.99", 80),
    trace: ["client 192.168.2.101 | route | nothing answers at 192.168.2.99"],
  },
];

describe("kube-proxy and flannel: the way in, the answer and the trace", () => {
  const c = setup();
  const ph = new Map<string, string>();
  for (const p of ["web-n1", "web-n2", "client", "unready"]) ph.set(p, (c.get("Pod", p, "default") as { status: { podIP: string } }).status.podIP);
  ph.set("dev-client", (c.get("Pod", "dev-client", "dev") as { status: { podIP: string } }).status.podIP);
  for (const s of ["web", "np", "lb", "lb-local", "ext", "empty", "notready", "noselector", "mysql", "gone"]) {
    const svc = c.get("Service", s, "default") as { spec: { clusterIP: string }; status: { loadBalancer: { ingress?: { ip: string }[] } } };
    ph.set(s, svc.spec.clusterIP);
    if (svc.status.loadBalancer.ingress) ph.set(`lb:${s}`, svc.status.loadBalancer.ingress[0].ip);
  }
  const sub = (s: string) => s.replace(/\{([^}]+)\}/g, (_m, k: string) => ph.get(k) ?? `{${k}}`);

  it("the set-up: one IP per pod, an ingress IP per LoadBalancer, the pending pod unscheduled", () => {
    expect(ph.get("lb:lb")).toMatch(/^192\.168\.2\.24\d$/);
    expect(ph.get("lb:lb-local")).toMatch(/^192\.168\.2\.24\d$/);
    expect(ph.get("web-n1")).toMatch(/^10\.244\.5\./);
    expect(ph.get("web-n2")).toMatch(/^10\.244\.4\./);
    expect((c.get("Pod", "pending", "default") as { status: { phase: string } }).status.phase).toBe("Pending");
  });

  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_n, row) => {
    const host = sub(row.host);
    const r = c.request({ from: row.from, host, port: row.port, protocol: row.protocol });
    expect(r.trace.map((h) => `${h.at} | ${h.rule} | ${h.detail}`)).toEqual(row.trace.map(sub));
    if ("code" in row.want) {
      expect(r.ok).toBe(false);
      expect(r.error).toEqual({ code: row.want.code, message: sub(row.want.message) });
      expect(r.servedBy).toBeUndefined();
      return;
    }
    expect(r.ok, r.error?.message).toBe(true);
    expect(r.status).toBe(row.want.status);
    expect(r.servedBy?.name).toBe(row.want.by);
    expect(r.clientIP).toBe(sub(row.want.seen));
    expect(r.service?.name).toBe(row.want.svc);
    expect(r.dest.port).toBe(row.port ?? 80);
  });

  it("a request from a node or pod that does not exist is an error, not a network outcome", () => {
    expect(() => c.request({ from: { kind: "node", node: "node09" }, host: "192.168.2.1" })).toThrow(/nodes "node09" not found/);
    expect(() => c.request({ from: { kind: "pod", pod: "nosuch" }, host: "192.168.2.1" })).toThrow(/pods "nosuch" not found/);
    expect(() => c.request({ from: { kind: "pod", pod: "client", namespace: "dev" }, host: "192.168.2.1" })).toThrow(/pods "client" not found/);
  });
});

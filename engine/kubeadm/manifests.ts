// What `kubeadm init` (v1.19.4) and the flannel manifest (v0.13.0) put in kube-system: the control plane's static
// pods on the master, the kube-proxy and kube-flannel-ds DaemonSets, the coredns Deployment behind the kube-dns
// Service (10.96.0.10). Only the fields kubelab models or prints (the add-ons' volumes and mounts: describe prints
// them); probes and resources are left out (the simulated kubelet would run the probes on every clock step of every
// student's cluster).
import type { Topology } from "../topology.ts";

type Obj = Record<string, unknown>;

export const KUBE_SYSTEM = "kube-system";
export const DNS_SERVICE_IP = "10.96.0.10";
const K8S = "v1.19.4";

const criticalAddons = { key: "CriticalAddonsOnly", operator: "Exists" };

export function kubeProxyDaemonSet(): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-proxy", namespace: KUBE_SYSTEM, labels: { "k8s-app": "kube-proxy" } },
    spec: {
      selector: { matchLabels: { "k8s-app": "kube-proxy" } },
      template: {
        metadata: { labels: { "k8s-app": "kube-proxy" } },
        spec: {
          containers: [
            {
              name: "kube-proxy",
              image: `k8s.gcr.io/kube-proxy:${K8S}`,
              imagePullPolicy: "IfNotPresent",
              command: ["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--hostname-override=$(NODE_NAME)"],
              env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "spec.nodeName" } } }],
              securityContext: { privileged: true },
              volumeMounts: [
                { mountPath: "/var/lib/kube-proxy", name: "kube-proxy" },
                { mountPath: "/run/xtables.lock", name: "xtables-lock", readOnly: false },
                { mountPath: "/lib/modules", name: "lib-modules", readOnly: true },
              ],
            },
          ],
          hostNetwork: true,
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-node-critical",
          serviceAccountName: "kube-proxy",
          tolerations: [criticalAddons, { operator: "Exists" }],
          volumes: [
            { name: "kube-proxy", configMap: { name: "kube-proxy" } },
            { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
            { name: "lib-modules", hostPath: { path: "/lib/modules" } },
          ],
        },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
    },
  };
}

export function flannelDaemonSet(): Obj {
  const image = "quay.io/coreos/flannel:v0.13.0";
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "kube-flannel-ds", namespace: KUBE_SYSTEM, labels: { app: "flannel", tier: "node" } },
    spec: {
      selector: { matchLabels: { app: "flannel" } },
      template: {
        metadata: { labels: { app: "flannel", tier: "node" } },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }],
              },
            },
          },
          initContainers: [
            {
              name: "install-cni",
              image,
              imagePullPolicy: "IfNotPresent",
              command: ["cp"],
              args: ["-f", "/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
              volumeMounts: [
                { name: "cni", mountPath: "/etc/cni/net.d" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
              ],
            },
          ],
          containers: [
            {
              name: "kube-flannel",
              image,
              imagePullPolicy: "IfNotPresent",
              command: ["/opt/bin/flanneld"],
              args: ["--ip-masq", "--kube-subnet-mgr"],
              env: [
                { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
                { name: "POD_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
              ],
              securityContext: { privileged: false, capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
              volumeMounts: [
                { name: "run", mountPath: "/run/flannel" },
                { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
              ],
            },
          ],
          hostNetwork: true,
          priorityClassName: "system-node-critical",
          serviceAccountName: "flannel",
          tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
          volumes: [
            { name: "run", hostPath: { path: "/run/flannel" } },
            { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
            { name: "flannel-cfg", configMap: { name: "kube-flannel-cfg" } },
          ],
        },
      },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
    },
  };
}

export function corednsDeployment(): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "coredns", namespace: KUBE_SYSTEM, labels: { "k8s-app": "kube-dns" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { "k8s-app": "kube-dns" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: "25%" } },
      template: {
        metadata: { labels: { "k8s-app": "kube-dns" } },
        spec: {
          containers: [
            {
              name: "coredns",
              image: "k8s.gcr.io/coredns:1.7.0",
              imagePullPolicy: "IfNotPresent",
              args: ["-conf", "/etc/coredns/Corefile"],
              ports: [
                { name: "dns", containerPort: 53, protocol: "UDP" },
                { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
                { name: "metrics", containerPort: 9153, protocol: "TCP" },
              ],
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
            },
          ],
          dnsPolicy: "Default",
          nodeSelector: { "kubernetes.io/os": "linux" },
          priorityClassName: "system-cluster-critical",
          serviceAccountName: "coredns",
          tolerations: [criticalAddons, { key: "node-role.kubernetes.io/master", effect: "NoSchedule" }],
          volumes: [{ name: "config-volume", configMap: { name: "coredns", items: [{ key: "Corefile", path: "Corefile" }] } }],
        },
      },
    },
  };
}

export function kubeDnsService(): Obj {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kube-dns",
      namespace: KUBE_SYSTEM,
      labels: { "k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "KubeDNS" },
      annotations: { "prometheus.io/port": "9153", "prometheus.io/scrape": "true" },
    },
    spec: {
      clusterIP: DNS_SERVICE_IP,
      selector: { "k8s-app": "kube-dns" },
      ports: [
        { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
        { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 },
      ],
    },
  };
}

/** The Endpoints the controller-manager and scheduler hold their leader election on (no addresses). */
export function leaderElectionEndpoints(component: string, master: string, at: string): Obj {
  const record = { holderIdentity: `${master}_${component}`, leaseDurationSeconds: 15, acquireTime: at, renewTime: at, leaderTransitions: 0 };
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: { name: component, namespace: KUBE_SYSTEM, annotations: { "control-plane.alpha.kubernetes.io/leader": JSON.stringify(record) } },
  };
}

export interface StaticPod {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: Obj;
}

/** The four control-plane static pods kubeadm writes to /etc/kubernetes/manifests on the master. */
export function staticPods(topo: Topology, master: { name: string; ip: string; podCIDR: string }): StaticPod[] {
  const ip = master.ip;
  const pod = (component: string, image: string, command: string[], extraAnn: Record<string, string> = {}): StaticPod => ({
    name: `${component}-${master.name}`,
    labels: { component, tier: "control-plane" },
    annotations: {
      ...extraAnn,
      "kubernetes.io/config.source": "file",
    },
    spec: {
      containers: [{ name: component, image, imagePullPolicy: "IfNotPresent", command }],
      hostNetwork: true,
      priorityClassName: "system-node-critical",
      tolerations: [{ operator: "Exists", effect: "NoExecute" }],
      dnsPolicy: "ClusterFirst",
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      enableServiceLinks: true,
    },
  });
  return [
    pod(
      "etcd",
      "k8s.gcr.io/etcd:3.4.13-0",
      [
        "etcd",
        `--advertise-client-urls=https://${ip}:2379`,
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
        "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd",
        `--initial-advertise-peer-urls=https://${ip}:2380`,
        `--initial-cluster=${master.name}=https://${ip}:2380`,
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
        "--listen-metrics-urls=http://127.0.0.1:2381",
        `--listen-peer-urls=https://${ip}:2380`,
        `--name=${master.name}`,
        "--snapshot-count=10000",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
      ],
      { "kubeadm.kubernetes.io/etcd.advertise-client-urls": `https://${ip}:2379` },
    ),
    pod(
      "kube-apiserver",
      `k8s.gcr.io/kube-apiserver:${K8S}`,
      [
        "kube-apiserver",
        `--advertise-address=${ip}`,
        "--allow-privileged=true",
        "--authorization-mode=Node,RBAC",
        "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-admission-plugins=NodeRestriction",
        "--etcd-servers=https://127.0.0.1:2379",
        "--secure-port=6443",
        `--service-cluster-ip-range=${topo.serviceCIDR}`,
        `--service-node-port-range=${topo.nodePortRange[0]}-${topo.nodePortRange[1]}`,
      ],
      { "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint": `${ip}:6443` },
    ),
    pod("kube-controller-manager", `k8s.gcr.io/kube-controller-manager:${K8S}`, [
      "kube-controller-manager",
      "--allocate-node-cidrs=true",
      "--bind-address=127.0.0.1",
      "--cluster-cidr=10.244.0.0/16",
      "--cluster-name=kubernetes",
      "--kubeconfig=/etc/kubernetes/controller-manager.conf",
      "--leader-elect=true",
      `--service-cluster-ip-range=${topo.serviceCIDR}`,
      "--use-service-account-credentials=true",
    ]),
    pod("kube-scheduler", `k8s.gcr.io/kube-scheduler:${K8S}`, [
      "kube-scheduler",
      "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
      "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
      "--bind-address=127.0.0.1",
      "--kubeconfig=/etc/kubernetes/scheduler.conf",
      "--leader-elect=true",
    ]),
  ];
}

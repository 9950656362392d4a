// Golden tests for kubectl's output machinery: Go tabwriter semantics, HumanDuration ages, every `get` table
// layout and every describe page, over hand-built objects shaped like engine/objects.ts.
import { describe, expect, it } from "vitest";
import { GET_TABWRITER, DESCRIBE_TABWRITER, tabwrite, formatTable } from "../engine/printers/tabwriter.ts";
import { humanDuration, rfc1123z } from "../engine/printers/duration.ts";
import { printTable, formatEndpoints, podStatus } from "../engine/printers/table.ts";
import { describeEndpoints, describePod, describeService, describeDeployment, describeNode } from "../engine/printers/describe.ts";
import { toJson, toYaml, listOf } from "../engine/printers/object.ts";
import type { Deployment, Endpoints, KubeEvent, Namespace, Node, Pod, ReplicaSet, Service } from "../engine/index.ts";

const T0 = "2021-12-05T16:00:00Z";
const NOW = Date.UTC(2021, 11, 5, 16, 0, 0) / 1000;
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: "default", uid: "u-" + name, resourceVersion: "1", creationTimestamp: T0, ...extra });

describe("tabwriter (Go text/tabwriter, padchar ' ', flags 0)", () => {
  it("pads each column to its widest cell plus padding, leaving the last cell alone", () => {
    expect(tabwrite("a\tbbb\tc\naaaa\tb\tcccccc\n", { minwidth: 0, padding: 2 })).toBe("a     bbb  c\naaaa  b    cccccc\n");
  });
  it("applies kubectl get's minimum width of 6", () => {
    expect(tabwrite("A\tB\nx\ty\n", GET_TABWRITER)).toBe("A     B\nx     y\n");
  });
  it("ends column blocks at a line without tabs (describe's sections align separately)", () => {
    const text = "Name:\tx\nSubsets:\n  Addresses:\t1\n  NotReadyAddresses:\t2\n\nEvents:\t<none>\n";
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe("Name:  x\nSubsets:\n  Addresses:          1\n  NotReadyAddresses:  2\n\nEvents:  <none>\n");
    // without the blank line, Events belongs to the block above
    expect(tabwrite("  NotReadyAddresses:\t2\nEvents:\t<none>\n", DESCRIBE_TABWRITER)).toBe("  NotReadyAddresses:  2\nEvents:               <none>\n");
  });
  it("aligns a column only over the consecutive lines that have it", () => {
    expect(tabwrite("Port:\thttp\t80/TCP\nTargetPort:\t80/TCP\n", DESCRIBE_TABWRITER)).toBe("Port:        http  80/TCP\nTargetPort:  80/TCP\n");
  });
  it("counts runes, not bytes", () => {
    expect(formatTable([["NAME", "X"], ["é", "y"]])).toBe("NAME   X\né      y\n");
  });
});

describe("ages (apimachinery duration.HumanDuration)", () => {
  it.each([
    [-5, "<invalid>"],
    [-1, "0s"],
    [0, "0s"],
    [100, "100s"],
    [119, "119s"],
    [120, "2m"],
    [323, "5m23s"],
    [470, "7m50s"],
    [600, "10m"],
    [148 * 60, "148m"],
    [3 * 3600, "3h"],
    [3 * 3600 + 5 * 60, "3h5m"],
    [8 * 3600, "8h"],
    [40 * 3600, "40h"],
    [48 * 3600, "2d"],
    [3 * 86400 + 17 * 3600, "3d17h"],
    [10 * 86400, "10d"],
    [800 * 86400, "2y70d"],
    [9 * 365 * 86400, "9y"],
  ])("%i s -> %s", (s, want) => expect(humanDuration(s)).toBe(want));
  it("formats RFC1123Z like Go", () => expect(rfc1123z("2021-12-05T17:05:13Z")).toBe("Sun, 05 Dec 2021 17:05:13 +0000"));
});

function pod(name: string, o: { ip?: string; node?: string; labels?: Record<string, string>; ready?: boolean; restarts?: number; waiting?: string; age?: number } = {}): Pod {
  const running = !o.waiting;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { ...meta(name), creationTimestamp: new Date((NOW - (o.age ?? 0)) * 1000).toISOString().replace(".000", ""), ...(o.labels ? { labels: o.labels } : {}) },
    spec: { containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }], restartPolicy: "Always", nodeName: o.node },
    status: {
      phase: "Running",
      podIP: o.ip,
      podIPs: o.ip ? [{ ip: o.ip }] : undefined,
      hostIP: "192.168.2.2",
      containerStatuses: [
        {
          name: "demoapp",
          image: "ikubernetes/demoapp:v1.0",
          imageID: "docker-pullable://ikubernetes/demoapp@sha256:abc",
          containerID: "docker://123",
          ready: o.ready ?? running,
          started: running,
          restartCount: o.restarts ?? 0,
          state: running ? { running: { startedAt: T0 } } : { waiting: { reason: o.waiting! } },
          lastState: {},
        },
      ],
    },
  };
}

describe("kubectl get tables", () => {
  it("pods: default, wide, --show-labels, -L, -A", () => {
    const pods = [
      pod("demoapp-5f7d8f9847-4t7sk", { ip: "10.244.5.15", node: "node01", labels: { app: "demoapp", "pod-template-hash": "5f7d8f9847" }, age: 3 * 86400 + 17 * 3600 }),
      pod("liveness-tcpsocket-demo", { waiting: "CrashLoopBackOff", restarts: 336, age: 31 * 3600 }),
    ];
    expect(printTable("Pod", pods, NOW)).toBe(
      "NAME                       READY   STATUS             RESTARTS   AGE\n" +
        "demoapp-5f7d8f9847-4t7sk   1/1     Running            0          3d17h\n" +
        "liveness-tcpsocket-demo    0/1     CrashLoopBackOff   336        31h\n",
    );
    expect(printTable("Pod", pods.slice(0, 1), NOW, { wide: true })).toBe(
      "NAME                       READY   STATUS    RESTARTS   AGE     IP            NODE     NOMINATED NODE   READINESS GATES\n" +
        "demoapp-5f7d8f9847-4t7sk   1/1     Running   0          3d17h   10.244.5.15   node01   <none>           <none>\n",
    );
    expect(printTable("Pod", pods, NOW, { showLabels: true })).toBe(
      "NAME                       READY   STATUS             RESTARTS   AGE     LABELS\n" +
        "demoapp-5f7d8f9847-4t7sk   1/1     Running            0          3d17h   app=demoapp,pod-template-hash=5f7d8f9847\n" +
        "liveness-tcpsocket-demo    0/1     CrashLoopBackOff   336        31h     <none>\n",
    );
    expect(printTable("Pod", pods, NOW, { labelColumns: ["app"], withNamespace: true })).toBe(
      "NAMESPACE   NAME                       READY   STATUS             RESTARTS   AGE     APP\n" +
        "default     demoapp-5f7d8f9847-4t7sk   1/1     Running            0          3d17h   demoapp\n" +
        "default     liveness-tcpsocket-demo    0/1     CrashLoopBackOff   336        31h     \n",
    );
    expect(printTable("Pod", [pod("x", { waiting: "ContainerCreating" })], NOW, { wide: true })).toContain("<none>   <none>   <none>           <none>");
  });
  it("pod STATUS follows printPod: Terminating wins, running-but-not-ready stays Running", () => {
    const p = pod("a", { ready: false });
    expect(podStatus(p)).toEqual({ ready: "0/1", status: "Running", restarts: 0 });
    p.metadata.deletionTimestamp = T0;
    expect(podStatus(p).status).toBe("Terminating");
  });

  const svc = (name: string, spec: Partial<Service["spec"]>, ingress?: { ip: string }[]): Service => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(name, { creationTimestamp: "2021-12-05T15:59:01Z" }),
    spec: { type: "ClusterIP", sessionAffinity: "None", ...spec } as Service["spec"],
    status: { loadBalancer: ingress ? { ingress } : {} },
  });
  it("services: <none>, <pending>, externalIPs, nodePorts, ExternalName, wide SELECTOR", () => {
    const list = [
      svc("demoapp-loadbalancer-svc", { type: "LoadBalancer", clusterIP: "10.98.151.232", selector: { app: "demoapp" }, ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 80, nodePort: 31988 }] }),
      svc("demoapp-externalip-svc", { clusterIP: "10.106.240.186", externalIPs: ["192.168.2.6"], ports: [{ protocol: "TCP", port: 80, targetPort: 80 }] }),
      svc("external-www", { type: "ExternalName", externalName: "www.ilinux.io" }),
      svc("lb-ok", { type: "LoadBalancer", clusterIP: "10.96.3.4", ports: [{ protocol: "TCP", port: 80, targetPort: 80, nodePort: 30001 }, { protocol: "UDP", port: 53, targetPort: 53, nodePort: 30002 }] }, [{ ip: "192.168.2.240" }]),
    ];
    expect(printTable("Service", list, NOW, { wide: true })).toBe(
      "NAME                       TYPE           CLUSTER-IP       EXTERNAL-IP     PORT(S)                     AGE   SELECTOR\n" +
        "demoapp-loadbalancer-svc   LoadBalancer   10.98.151.232    <pending>       80:31988/TCP                59s   app=demoapp\n" +
        "demoapp-externalip-svc     ClusterIP      10.106.240.186   192.168.2.6     80/TCP                      59s   <none>\n" +
        "external-www               ExternalName   <none>           www.ilinux.io   <none>                      59s   <none>\n" +
        "lb-ok                      LoadBalancer   10.96.3.4        192.168.2.240   80:30001/TCP,53:30002/UDP   59s   <none>\n",
    );
  });

  const ep = (name: string, subsets: Endpoints["subsets"]): Endpoints => ({ apiVersion: "v1", kind: "Endpoints", metadata: meta(name, { creationTimestamp: "2021-12-05T15:54:37Z" }), subsets });
  it("endpoints: at most three, then + N more; empty cell for only-not-ready; <none> without subsets", () => {
    const list = [
      ep("many", [{ addresses: ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((ip) => ({ ip })), ports: [{ port: 80, protocol: "TCP" }] }]),
      ep("mysql-external", [{ addresses: [{ ip: "192.168.2.8" }, { ip: "192.168.2.9" }], ports: [{ name: "mysql", port: 3306, protocol: "TCP" }] }]),
      ep("notready", [{ notReadyAddresses: [{ ip: "10.0.0.9" }], ports: [{ port: 80, protocol: "TCP" }] }]),
      ep("empty", undefined),
      ep("headless", [{ addresses: [{ ip: "10.0.0.7" }] }]),
    ];
    expect(printTable("Endpoints", list, NOW)).toBe(
      "NAME             ENDPOINTS                                         AGE\n" +
        "many             10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...   5m23s\n" +
        "mysql-external   192.168.2.8:3306,192.168.2.9:3306                 5m23s\n" +
        "notready                                                           5m23s\n" +
        "empty            <none>                                            5m23s\n" +
        "headless         10.0.0.7                                          5m23s\n",
    );
    expect(formatEndpoints(list[1], new Set(["other"]))).toBe("");
  });

  it("deployments, replicasets, nodes, namespaces", () => {
    const tmpl = { metadata: { labels: { app: "demoapp" } }, spec: { containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }], restartPolicy: "Always" as const } };
    const d: Deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("demoapp"), spec: { replicas: 3, selector: { matchLabels: { app: "demoapp" } }, template: tmpl }, status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 } };
    expect(printTable("Deployment", [d], NOW + 10, { wide: true })).toBe(
      "NAME      READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                     SELECTOR\n" + "demoapp   2/3     3            2           10s   demoapp      ikubernetes/demoapp:v1.0   app=demoapp\n",
    );
    const rs: ReplicaSet = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: meta("demoapp-5f7d8f9847"), spec: { replicas: 3, selector: { matchLabels: { app: "demoapp", "pod-template-hash": "5f7d8f9847" }, matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }] }, template: tmpl }, status: { replicas: 3, readyReplicas: 3 } };
    expect(printTable("ReplicaSet", [rs], NOW + 10, { wide: true })).toBe(
      "NAME                 DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                     SELECTOR\n" +
        "demoapp-5f7d8f9847   3         3         3       10s   demoapp      ikubernetes/demoapp:v1.0   app=demoapp,pod-template-hash=5f7d8f9847,tier in (api,web)\n",
    );
    const node: Node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { ...meta("node01"), namespace: undefined, labels: { "kubernetes.io/hostname": "node01" } },
      spec: { podCIDR: "10.244.5.0/24", podCIDRs: ["10.244.5.0/24"], unschedulable: true },
      status: {
        addresses: [{ type: "InternalIP", address: "192.168.2.2" }],
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "", lastHeartbeatTime: T0, lastTransitionTime: T0 }],
        nodeInfo: { kubeletVersion: "v1.19.4", kubeProxyVersion: "v1.19.4", osImage: "CentOS Linux 7 (Core)", kernelVersion: "3.10.0-1160.el7.x86_64", containerRuntimeVersion: "docker://19.3.13", operatingSystem: "linux", architecture: "amd64", machineID: "", systemUUID: "", bootID: "" },
        capacity: {},
        allocatable: {},
      },
    };
    expect(printTable("Node", [node], NOW + 10 * 86400, { wide: true })).toBe(
      "NAME     STATUS                     ROLES    AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                KERNEL-VERSION           CONTAINER-RUNTIME\n" +
        "node01   Ready,SchedulingDisabled   <none>   10d   v1.19.4   192.168.2.2   <none>        CentOS Linux 7 (Core)   3.10.0-1160.el7.x86_64   docker://19.3.13\n",
    );
    const ns: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { ...meta("default"), namespace: undefined }, spec: { finalizers: ["kubernetes"] }, status: { phase: "Active" } };
    expect(printTable("Namespace", [ns], NOW + 86400 * 10, { namePrefix: "namespace/" })).toBe("NAME                STATUS   AGE\nnamespace/default   Active   10d\n");
  });
});

describe("kubectl describe pages", () => {
  const service: Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta("demoapp-nodeport-svc", { labels: { app: "demoapp", tier: "web" }, annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}\n", team: "ops" } }),
    spec: {
      type: "NodePort",
      clusterIP: "10.97.56.1",
      selector: { app: "demoapp" },
      ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 80, nodePort: 31398 }, { protocol: "TCP", port: 8080, targetPort: "web" }],
      externalIPs: ["192.168.2.6"],
      sessionAffinity: "None",
      externalTrafficPolicy: "Local",
      healthCheckNodePort: 32000,
    },
    status: { loadBalancer: {} },
  };
  const endpoints: Endpoints = {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: meta("demoapp-nodeport-svc"),
    subsets: [{ addresses: [{ ip: "10.244.4.20" }, { ip: "10.244.5.16" }], notReadyAddresses: [{ ip: "10.244.5.17" }], ports: [{ name: "http", port: 80, protocol: "TCP" }, { port: 8080, protocol: "TCP" }] }],
  };
  const events: KubeEvent[] = [
    { namespace: "default", involvedObject: { kind: "Service", name: "demoapp-nodeport-svc" }, type: "Normal", reason: "Type", message: "ClusterIP -> NodePort", source: "service-controller", firstTimestamp: "2021-12-05T15:50:00Z", lastTimestamp: "2021-12-05T15:58:00Z", count: 3 },
  ];
  it("service (the course's kubectl: IP Families / IPs lines), with optional lines and an Events table", () => {
    expect(describeService(service, endpoints, events, NOW)).toBe(
      [
        "Name:                     demoapp-nodeport-svc",
        "Namespace:                default",
        "Labels:                   app=demoapp",
        "                          tier=web",
        "Annotations:              team: ops",
        "Selector:                 app=demoapp",
        "Type:                     NodePort",
        "IP Families:              <none>",
        "IP:                       10.97.56.1",
        "IPs:                      <none>",
        "External IPs:             192.168.2.6",
        "Port:                     http  80/TCP",
        "TargetPort:               80/TCP",
        "NodePort:                 http  31398/TCP",
        "Endpoints:                10.244.4.20:80,10.244.5.16:80",
        "Port:                     <unset>  8080/TCP",
        "TargetPort:               web/TCP",
        "Endpoints:                10.244.4.20:8080,10.244.5.16:8080",
        "Session Affinity:         None",
        "External Traffic Policy:  Local",
        "HealthCheck NodePort:     32000",
        "Events:",
        "  Type    Reason  Age               From                Message",
        "  ----    ------  ----              ----                -------",
        "  Normal  Type    2m (x3 over 10m)  service-controller  ClusterIP -> NodePort",
        "",
      ].join("\n"),
    );
  });
  it("endpoints", () => {
    expect(describeEndpoints(endpoints, [], NOW)).toBe(
      [
        "Name:         demoapp-nodeport-svc",
        "Namespace:    default",
        "Labels:       <none>",
        "Annotations:  <none>",
        "Subsets:",
        "  Addresses:          10.244.4.20,10.244.5.16",
        "  NotReadyAddresses:  10.244.5.17",
        "  Ports:",
        "    Name     Port  Protocol",
        "    ----     ----  --------",
        "    http     80    TCP",
        "    <unset>  8080  TCP",
        "",
        "Events:  <none>",
        "",
      ].join("\n"),
    );
  });
  it("pod", () => {
    const p = pod("demoapp-5f7d8f9847-hwxrb", { ip: "10.244.5.16", node: "node01", labels: { app: "demoapp" } });
    p.metadata.ownerReferences = [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "demoapp-5f7d8f9847", uid: "x", controller: true }];
    p.spec.containers[0].readinessProbe = { httpGet: { path: "/readyz", port: 80 }, initialDelaySeconds: 15, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
    p.status.startTime = T0;
    p.status.qosClass = "BestEffort";
    p.status.conditions = [{ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: T0 }];
    p.spec.tolerations = [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" }];
    // (the Priority line comes from spec.priority, which the apiserver's Priority admission always sets)
    Object.assign(p.spec, { priority: 0 });
    expect(describePod(p, [], NOW)).toBe(
      [
        "Name:         demoapp-5f7d8f9847-hwxrb",
        "Namespace:    default",
        "Priority:     0",
        "Node:         node01/192.168.2.2",
        "Start Time:   Sun, 05 Dec 2021 16:00:00 +0000",
        "Labels:       app=demoapp",
        "Annotations:  <none>",
        "Status:       Running",
        "IP:           10.244.5.16",
        "IPs:",
        "  IP:           10.244.5.16",
        "Controlled By:  ReplicaSet/demoapp-5f7d8f9847",
        "Containers:",
        "  demoapp:",
        "    Container ID:   docker://123",
        "    Image:          ikubernetes/demoapp:v1.0",
        "    Image ID:       docker-pullable://ikubernetes/demoapp@sha256:abc",
        "    Port:           <none>",
        "    Host Port:      <none>",
        "    State:          Running",
        "      Started:      Sun, 05 Dec 2021 16:00:00 +0000",
        "    Ready:          True",
        "    Restart Count:  0",
        "    Readiness:      http-get http://:80/readyz delay=15s timeout=1s period=10s #success=1 #failure=3",
        "    Environment:    <none>",
        "    Mounts:         <none>",
        "Conditions:",
        "  Type           Status",
        "  Ready          True ",
        "Volumes:         <none>",
        "QoS Class:       BestEffort",
        "Node-Selectors:  <none>",
        "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists",
        "Events:          <none>",
        "",
      ].join("\n"),
    );
  });
  it("deployment and node pages have kubectl's sections", () => {
    const tmpl = { metadata: { labels: { app: "demoapp" } }, spec: { containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }], restartPolicy: "Always" as const } };
    const d: Deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: meta("demoapp", { labels: { app: "demoapp" } }), spec: { replicas: 3, selector: { matchLabels: { app: "demoapp" } }, template: tmpl }, status: { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 } };
    const text = describeDeployment(d, [], [], NOW);
    expect(text).toContain("Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n");
    expect(text).toContain("Pod Template:\n  Labels:  app=demoapp\n  Containers:\n   demoapp:\n    Image:        ikubernetes/demoapp:v1.0\n");
    // no Conditions section: the tail stays in the Volumes line's column block, as Go's tabwriter does
    expect(text).toMatch(/\n  Volumes:        <none>\nOldReplicaSets:   <none>\nNewReplicaSet:    <none>\nEvents:           <none>\n$/);
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "node01", uid: "n", resourceVersion: "1", creationTimestamp: T0, labels: { a: "b" } },
      spec: { podCIDR: "10.244.5.0/24", podCIDRs: ["10.244.5.0/24"] },
      status: {
        addresses: [{ type: "InternalIP", address: "192.168.2.2" }, { type: "Hostname", address: "node01" }],
        conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: T0, lastTransitionTime: T0 }],
        nodeInfo: { kubeletVersion: "v1.19.4", kubeProxyVersion: "v1.19.4", osImage: "CentOS Linux 7 (Core)", kernelVersion: "k", containerRuntimeVersion: "docker://19.3.13", operatingSystem: "linux", architecture: "amd64", machineID: "m", systemUUID: "s", bootID: "b" },
        capacity: { cpu: "2", pods: "110" },
        allocatable: { cpu: "2", pods: "110" },
      },
    } as Node;
    const nt = describeNode(node, [], [], NOW);
    expect(nt).toContain("Addresses:\n  InternalIP:  192.168.2.2\n  Hostname:    node01\n");
    expect(nt).toContain("Taints:             <none>\n");
    expect(nt).toContain("Non-terminated Pods:          (0 in total)\n");
  });
});

describe("-o json / -o yaml", () => {
  const s = { status: { loadBalancer: {} }, spec: { type: "ClusterIP", ports: [{ port: 80 }] }, metadata: { uid: "u", name: "x", creationTimestamp: T0, resourceVersion: "12", labels: { a: "" } }, kind: "Service", apiVersion: "v1" };
  it("json keeps Go's struct order and 4-space indentation", () => {
    const j = toJson(s);
    expect(j.startsWith('{\n    "apiVersion": "v1",\n    "kind": "Service",\n    "metadata": {\n        "name": "x",\n        "uid": "u",\n        "resourceVersion": "12",\n        "creationTimestamp"')).toBe(true);
    expect(JSON.parse(j)).toEqual(s);
  });
  it("yaml sorts keys, does not indent sequences, quotes what YAML 1.1 would misread", () => {
    expect(toYaml(s)).toBe(
      'apiVersion: v1\nkind: Service\nmetadata:\n  creationTimestamp: "2021-12-05T16:00:00Z"\n  labels:\n    a: ""\n  name: x\n  resourceVersion: "12"\n  uid: u\nspec:\n  ports:\n  - port: 80\n  type: ClusterIP\nstatus:\n  loadBalancer: {}\n',
    );
    expect(toYaml(listOf([]))).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n  selfLink: ""\n');
  });
});

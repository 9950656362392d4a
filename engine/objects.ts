// Kubernetes object shapes as the engine exposes them (v1 / apps/v1 JSON). Only the fields kubelab models.
// Everything the engine returns from get/list is one of these, fully materialised (server-set fields included),
// so printers and the API never see the engine's compact storage.

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string; // RFC3339, virtual clock
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /** Served: the field manager's entries (apiserver/managed-fields.ts). Stored: that module's compact record. */
  managedFields?: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

// ---- Pod ----
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: "TCP" | "UDP" | "SCTP";
  hostPort?: number;
}
export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string; host?: string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
}
export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string }[];
  ports?: ContainerPort[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
}
export interface PodSpec {
  containers: Container[];
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  hostNetwork?: boolean;
  restartPolicy: "Always" | "OnFailure" | "Never";
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }[];
  schedulerName?: string;
  terminationGracePeriodSeconds?: number;
  dnsPolicy?: string;
}
export interface PodCondition {
  type: "Initialized" | "Ready" | "ContainersReady" | "PodScheduled";
  status: "True" | "False" | "Unknown";
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}
export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: {
    running?: { startedAt: string };
    waiting?: { reason: string; message?: string };
    terminated?: { exitCode: number; reason: string; startedAt?: string; finishedAt?: string };
  };
  lastState: ContainerStatus["state"];
}
export interface PodStatus {
  phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  conditions?: PodCondition[];
  hostIP?: string;
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  containerStatuses?: ContainerStatus[];
  qosClass?: string;
  reason?: string;
  message?: string;
}
export interface Pod extends KubeObject {
  kind: "Pod";
  spec: PodSpec;
  status: PodStatus;
}

export interface PodTemplateSpec {
  metadata: { labels?: Labels; annotations?: Record<string, string>; creationTimestamp?: null };
  spec: PodSpec;
}

// ---- Selectors (structured form) ----
export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

// ---- Deployment / ReplicaSet ----
export interface Deployment extends KubeObject {
  kind: "Deployment";
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: PodTemplateSpec;
    strategy?: unknown;
    revisionHistoryLimit?: number;
    progressDeadlineSeconds?: number;
  };
  status: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    collisionCount?: number;
    conditions?: { type: string; status: string; reason: string; message: string; lastUpdateTime: string; lastTransitionTime: string }[];
  };
}
export interface ReplicaSet extends KubeObject {
  kind: "ReplicaSet";
  spec: { replicas: number; selector: LabelSelector; template: PodTemplateSpec };
  status: { replicas: number; fullyLabeledReplicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number };
}

// ---- DaemonSet ----
export interface DaemonSet extends KubeObject {
  kind: "DaemonSet";
  spec: {
    selector: LabelSelector;
    template: PodTemplateSpec;
    updateStrategy?: { type: string; rollingUpdate?: { maxUnavailable: number | string } };
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
  };
  status: {
    currentNumberScheduled: number;
    desiredNumberScheduled: number;
    numberAvailable?: number;
    numberMisscheduled: number;
    numberReady: number;
    numberUnavailable?: number;
    observedGeneration?: number;
    updatedNumberScheduled?: number;
  };
}

// ---- Service / Endpoints ----
export type Protocol = "TCP" | "UDP" | "SCTP";
export interface ServicePort {
  name?: string;
  protocol: Protocol;
  appProtocol?: string;
  port: number;
  targetPort: number | string;
  nodePort?: number;
}
export type ServiceType = "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
export interface ServiceSpec {
  type: ServiceType;
  selector?: Labels;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  externalTrafficPolicy?: "Cluster" | "Local";
  healthCheckNodePort?: number;
  loadBalancerIP?: string;
  loadBalancerSourceRanges?: string[];
  sessionAffinity: "None" | "ClientIP";
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  publishNotReadyAddresses?: boolean;
  ipFamilies?: string[];
}
export interface Service extends KubeObject {
  kind: "Service";
  spec: ServiceSpec;
  status: { loadBalancer: { ingress?: { ip?: string; hostname?: string }[] } };
}
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string; resourceVersion?: string };
}
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: Protocol;
  appProtocol?: string;
}
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}
export interface Endpoints extends KubeObject {
  kind: "Endpoints";
  subsets?: EndpointSubset[];
}

// ---- Node / Namespace ----
export interface Node extends KubeObject {
  kind: "Node";
  spec: { podCIDR: string; podCIDRs: string[]; taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean };
  status: {
    addresses: { type: "InternalIP" | "Hostname" | "ExternalIP"; address: string }[];
    conditions: { type: string; status: string; reason: string; message: string; lastHeartbeatTime: string; lastTransitionTime: string }[];
    nodeInfo: {
      kubeletVersion: string;
      kubeProxyVersion: string;
      osImage: string;
      kernelVersion: string;
      containerRuntimeVersion: string;
      operatingSystem: string;
      architecture: string;
      machineID: string;
      systemUUID: string;
      bootID: string;
    };
    capacity: Record<string, string>;
    allocatable: Record<string, string>;
  };
}
export interface Namespace extends KubeObject {
  kind: "Namespace";
  spec: { finalizers: string[] };
  status: { phase: "Active" | "Terminating" };
}

export interface KubeEvent {
  namespace: string;
  involvedObject: { kind: string; name: string; namespace?: string; uid?: string };
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: string; // e.g. "default-scheduler", "kubelet, node01", "endpoint-controller"
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

// ---- Derived kinds (engine/leases.ts, engine/serviceaccounts.ts): computed on read, never stored ----
export interface Lease extends KubeObject {
  kind: "Lease";
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}
export interface ServiceAccount extends KubeObject {
  kind: "ServiceAccount";
  secrets?: { name: string }[];
  imagePullSecrets?: { name: string }[];
  automountServiceAccountToken?: boolean;
}
export interface Secret extends KubeObject {
  kind: "Secret";
  type: string;
  /** base64 values, as the API serves them. */
  data?: Record<string, string>;
}

export type AnyObject = Pod | Deployment | ReplicaSet | DaemonSet | Service | Endpoints | Node | Namespace | Lease | ServiceAccount | Secret;

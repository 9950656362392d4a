// The column definitions of kubectl v1.19's server-side printers (pkg/printers/internalversion): name, type, format
// and priority (1 = only with `-o wide`). The terminal prints the same columns upper-cased (table.ts); the API facade
// serves them as a meta.k8s.io/v1 Table's columnDefinitions. tests/k8s-table.test.ts keeps the two in step.

export interface ColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string;
  priority: number;
  /** Where upstream takes the description from (`<Type>.<field>` of the OpenAPI schema), or the text itself. */
  description: string;
}

const col = (name: string, description: string, type: ColumnDefinition["type"] = "string", priority = 0, format = ""): ColumnDefinition => ({ name, type, format, priority, description });
const NAME = col("Name", "ObjectMeta.name", "string", 0, "name");
const AGE = col("Age", "ObjectMeta.creationTimestamp");

export const COLUMNS: Record<string, ColumnDefinition[]> = {
  Pod: [
    NAME,
    col("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    col("Status", "The aggregate status of the containers in this pod."),
    col("Restarts", "The number of times the containers in this pod have been restarted.", "integer"),
    AGE,
    col("IP", "PodStatus.podIP", "string", 1),
    col("Node", "PodSpec.nodeName", "string", 1),
    col("Nominated Node", "PodStatus.nominatedNodeName", "string", 1),
    col("Readiness Gates", "PodSpec.readinessGates", "string", 1),
  ],
  Service: [
    NAME,
    col("Type", "ServiceSpec.type"),
    col("Cluster-IP", "ServiceSpec.clusterIP"),
    col("External-IP", "ServiceSpec.externalIPs"),
    col("Port(s)", "ServiceSpec.ports"),
    AGE,
    col("Selector", "ServiceSpec.selector", "string", 1),
  ],
  Endpoints: [NAME, col("Endpoints", "Endpoints.subsets"), AGE],
  Deployment: [
    NAME,
    col("Ready", "Number of the pod with ready state"),
    col("Up-to-date", "DeploymentStatus.updatedReplicas"),
    col("Available", "DeploymentStatus.availableReplicas"),
    AGE,
    col("Containers", "Names of each container in the template.", "string", 1),
    col("Images", "Images referenced by each container in the template.", "string", 1),
    col("Selector", "DeploymentSpec.selector", "string", 1),
  ],
  ReplicaSet: [
    NAME,
    col("Desired", "ReplicaSetSpec.replicas", "integer"),
    col("Current", "ReplicaSetStatus.replicas", "integer"),
    col("Ready", "ReplicaSetStatus.readyReplicas", "integer"),
    AGE,
    col("Containers", "Names of each container in the template.", "string", 1),
    col("Images", "Images referenced by each container in the template.", "string", 1),
    col("Selector", "ReplicaSetSpec.selector", "string", 1),
  ],
  DaemonSet: [
    NAME,
    col("Desired", "DaemonSetStatus.desiredNumberScheduled", "integer"),
    col("Current", "DaemonSetStatus.currentNumberScheduled", "integer"),
    col("Ready", "DaemonSetStatus.numberReady", "integer"),
    col("Up-to-date", "DaemonSetStatus.updatedNumberScheduled", "integer"),
    col("Available", "DaemonSetStatus.numberAvailable", "integer"),
    col("Node Selector", "PodSpec.nodeSelector"),
    AGE,
    col("Containers", "Names of each container in the template.", "string", 1),
    col("Images", "Images referenced by each container in the template.", "string", 1),
    col("Selector", "DaemonSetSpec.selector", "string", 1),
  ],
  Node: [
    NAME,
    col("Status", "The status of the node"),
    col("Roles", "The roles of the node"),
    AGE,
    col("Version", "NodeSystemInfo.kubeletVersion"),
    col("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", "string", 1),
    col("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", "string", 1),
    col("OS-Image", "NodeSystemInfo.osImage", "string", 1),
    col("Kernel-Version", "NodeSystemInfo.kernelVersion", "string", 1),
    col("Container-Runtime", "NodeSystemInfo.containerRuntimeVersion", "string", 1),
  ],
  Namespace: [NAME, col("Status", "The status of the namespace"), AGE],
  // (Secrets' Data and ServiceAccounts' Secrets are declared strings and served as numbers, as upstream does)
  ServiceAccount: [NAME, col("Secrets", "ServiceAccount.secrets"), AGE],
  Secret: [NAME, col("Type", "Secret.type"), col("Data", "Secret.data"), AGE],
  Lease: [NAME, col("Holder", "LeaseSpec.holderIdentity"), AGE],
  Event: [
    col("Last Seen", "Event.lastTimestamp"),
    col("Type", "Event.type"),
    col("Reason", "Event.reason"),
    col("Object", "Event.involvedObject"),
    col("Subobject", "ObjectReference.fieldPath", "string", 1),
    col("Source", "Event.source", "string", 1),
    col("Message", "Event.message"),
    col("First Seen", "Event.firstTimestamp", "string", 1),
    col("Count", "Event.count", "string", 1),
    col("Name", "ObjectMeta.name", "string", 1, "name"),
  ],
};

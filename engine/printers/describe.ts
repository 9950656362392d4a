// `kubectl describe` pages: the layouts of kubectl's describers (service, endpoints, pod, deployment, replicaset,
// node, namespace), written through a prefix writer and formatted with describe's tabwriter (0, 8, 2, ' ', 0).
// The service page follows the course's transcript (kubectl 1.20 client: `IP Families:` / `IPs:` lines).
import { canonicalJSON } from "../hash.ts";
import type { AnyObject, Container, ContainerStatus, DaemonSet, Deployment, EndpointSlice, Endpoints, KubeEvent, Lease, Namespace, Node, Pod, PodTemplateSpec, Probe, ReplicaSet, Secret, Service, ServiceAccount } from "../objects.ts";
import { ageSince, rfc1123z } from "./duration.ts";
import { formatLabelSelector, formatLabels } from "./labels.ts";
import { formatEndpoints, nodeRoles } from "./table.ts";
import { DESCRIBE_TABWRITER, tabwrite } from "./tabwriter.ts";

const SKIP_ANNOTATIONS = new Set(["kubectl.kubernetes.io/last-applied-configuration"]);
const MAX_ANNOTATION_LEN = 140;

class PrefixWriter {
  buf = "";
  write(level: number, text: string): void {
    this.buf += "  ".repeat(level) + text;
  }
  line(text: string): void {
    this.buf += text + "\n";
  }
}

function labelsMultiline(w: PrefixWriter, initialIndent: string, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return w.line("<none>");
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, `${initialIndent}\t`);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

/** describe's printAnnotationsMultiline: a long or multi-line value goes on its own lines, each cut at 138 bytes. */
function annotationsMultiline(w: PrefixWriter, initialIndent: string, title: string, annotations: Record<string, string> | undefined): void {
  w.write(0, `${initialIndent}${title}:\t`);
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIP_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) return w.line("<none>");
  const indent = "\t";
  keys.forEach((k, i) => {
    if (i !== 0) w.write(0, indent);
    const value = annotations![k].replace(/\n$/, "");
    if (utf8Length(value) + utf8Length(k) + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(0, `${k}:\n`);
      for (const s of value.split("\n")) w.write(0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else w.write(0, `${k}: ${value}\n`);
  });
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Go's `s[:max] + "..."` on bytes (a cut inside a character leaves its first bytes, which print as U+FFFD). */
function shorten(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  let out = "", n = 0;
  for (const ch of s) {
    const l = utf8Length(ch);
    if (n + l > max) {
      if (n < max) out += "\ufffd";
      break;
    }
    out += ch;
    n += l;
  }
  return out + "...";
}

function describeEvents(w: PrefixWriter, events: KubeEvent[] | undefined, now: number): void {
  if (!events) return;
  if (events.length === 0) return w.write(0, "Events:\t<none>\n");
  const sorted = [...events].sort((a, b) => (a.lastTimestamp < b.lastTimestamp ? -1 : a.lastTimestamp > b.lastTimestamp ? 1 : 0));
  w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
  w.write(1, "----\t------\t----\t----\t-------\n");
  for (const e of sorted) {
    const interval =
      e.count > 1 ? `${ageSince(e.lastTimestamp, now)} (x${e.count} over ${ageSince(e.firstTimestamp, now)})` : ageSince(e.firstTimestamp, now);
    // v1.19.4 prints the source component only (kubectl PR #93687, cherry-picked as #94475): `kubelet`, not `kubelet, node01`.
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${e.source.split(", ")[0]}\t${e.message.trim()}\n`);
  }
}

function finish(w: PrefixWriter): string {
  return tabwrite(w.buf, DESCRIBE_TABWRITER);
}

export function describeService(svc: Service, ep: Endpoints | undefined, events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const s = svc.spec;
  w.write(0, `Name:\t${svc.metadata.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
  labelsMultiline(w, "", "Labels", svc.metadata.labels);
  annotationsMultiline(w, "", "Annotations", svc.metadata.annotations);
  w.write(0, `Selector:\t${formatLabels(s.selector)}\n`);
  w.write(0, `Type:\t${s.type}\n`);
  w.write(0, `IP Families:\t${s.ipFamilies?.length ? s.ipFamilies.join(",") : "<none>"}\n`);
  w.write(0, `IP:\t${s.clusterIP ?? ""}\n`);
  w.write(0, `IPs:\t${s.clusterIPs?.length ? s.clusterIPs.join(",") : "<none>"}\n`);
  if (s.externalIPs?.length) w.write(0, `External IPs:\t${s.externalIPs.join(",")}\n`);
  if (s.loadBalancerIP) w.write(0, `IP:\t${s.loadBalancerIP}\n`);
  if (s.externalName) w.write(0, `External Name:\t${s.externalName}\n`);
  const ingress = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i) => i.ip || i.hostname).join(", ")}\n`);
  for (const p of s.ports ?? []) {
    const name = p.name || "<unset>";
    w.write(0, `Port:\t${name}\t${p.port}/${p.protocol}\n`);
    w.write(0, `TargetPort:\t${p.targetPort}/${p.protocol}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol}\n`);
    w.write(0, `Endpoints:\t${formatEndpoints(ep, new Set([p.name ?? ""]))}\n`);
  }
  w.write(0, `Session Affinity:\t${s.sessionAffinity}\n`);
  if (s.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${s.externalTrafficPolicy}\n`);
  if (s.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${s.healthCheckNodePort}\n`);
  if (s.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${s.loadBalancerSourceRanges.join(",")}\n`);
  describeEvents(w, events, now);
  return finish(w);
}

export function describeEndpoints(ep: Endpoints, events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata.name}\n`);
  w.write(0, `Namespace:\t${ep.metadata.namespace}\n`);
  labelsMultiline(w, "", "Labels", ep.metadata.labels);
  annotationsMultiline(w, "", "Annotations", ep.metadata.annotations);
  w.write(0, "Subsets:\n");
  for (const ss of ep.subsets ?? []) {
    const ready = (ss.addresses ?? []).map((a) => a.ip).join(",");
    const notReady = (ss.notReadyAddresses ?? []).map((a) => a.ip).join(",");
    w.write(1, `Addresses:\t${ready || "<none>"}\n`);
    w.write(1, `NotReadyAddresses:\t${notReady || "<none>"}\n`);
    if (ss.ports?.length) {
      w.write(1, "Ports:\n");
      w.write(2, "Name\tPort\tProtocol\n");
      w.write(2, "----\t----\t--------\n");
      for (const p of ss.ports) w.write(2, `${p.name || "<unset>"}\t${p.port}\t${p.protocol}\n`);
    }
    w.write(0, "\n");
  }
  describeEvents(w, events, now);
  return finish(w);
}

/** kubectl's describeEndpointSlice (v1beta1; the same page in v1.19.4 and v1.20.2). */
export function describeEndpointSlice(eps: EndpointSlice, events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${eps.metadata.name}\n`);
  w.write(0, `Namespace:\t${eps.metadata.namespace}\n`);
  labelsMultiline(w, "", "Labels", eps.metadata.labels);
  annotationsMultiline(w, "", "Annotations", eps.metadata.annotations);
  w.write(0, `AddressType:\t${eps.addressType}\n`);
  if (!eps.ports?.length) w.write(0, "Ports: <unset>\n");
  else {
    w.write(0, "Ports:\n");
    w.write(1, "Name\tPort\tProtocol\n");
    w.write(1, "----\t----\t--------\n");
    for (const p of eps.ports) w.write(1, `${p.name || "<unset>"}\t${p.port === undefined ? "<unset>" : p.port}\t${p.protocol ?? ""}\n`);
  }
  if (!eps.endpoints?.length) w.write(0, "Endpoints: <none>\n");
  else {
    w.write(0, "Endpoints:\n");
    for (const e of eps.endpoints) {
      w.write(1, `- Addresses:\t${e.addresses.join(",") || "<none>"}\n`);
      w.write(2, "Conditions:\n");
      w.write(3, `Ready:\t${e.conditions.ready === undefined ? "<unset>" : String(e.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? "<unset>"}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
      labelsMultiline(w, "    ", "Topology", e.topology);
    }
  }
  describeEvents(w, events, now);
  return finish(w);
}

function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${p.exec.command.join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const scheme = (p.httpGet.scheme ?? "HTTP").toLowerCase();
    const port = String(p.httpGet.port ?? "");
    const host = port ? `${p.httpGet.host ?? ""}:${port}` : p.httpGet.host ?? "";
    return `http-get ${scheme}://${host}${p.httpGet.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket :${p.tcpSocket.port} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(w: PrefixWriter, title: string, state: ContainerStatus["state"]): void {
  if (state.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
    if (state.waiting.message) w.write(3, `Message:\t${state.waiting.message}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    w.write(3, `Exit Code:\t${t.exitCode}\n`);
    w.write(3, `Started:\t${t.startedAt ? rfc1123z(t.startedAt) : "Mon, 01 Jan 0001 00:00:00 +0000"}\n`);
    w.write(3, `Finished:\t${t.finishedAt ? rfc1123z(t.finishedAt) : "Mon, 01 Jan 0001 00:00:00 +0000"}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

/**
 * kubectl's EnvValueRetriever for a pod's `fieldRef` env: the field label goes through kubectl's scheme, which has no
 * Pod field-label conversions, so only metadata.name and metadata.namespace resolve (every other path prints empty).
 */
function fieldRefValue(pod: { metadata: { name: string; namespace?: string } } | undefined, fieldPath: string): string {
  if (!pod) return "";
  if (fieldPath === "metadata.name") return pod.metadata.name;
  if (fieldPath === "metadata.namespace") return pod.metadata.namespace ?? "";
  return "";
}

function describeContainers(w: PrefixWriter, label: string, containers: Container[], statuses: ContainerStatus[] | undefined, space: string, pod?: Pod): void {
  w.write(0, `${space}${label}:${containers.length === 0 ? " <none>" : ""}\n`);
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(1, `${space ? " " : ""}${c.name}:\n`);
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ""}\n`);
    w.write(2, `Image:\t${c.image}\n`);
    if (st) w.write(2, `Image ID:\t${st.imageID}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol}`).join(", ");
    if (ports.includes(",")) w.write(2, `Ports:\t${ports}\n`);
    else w.write(2, `Port:\t${ports || "<none>"}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol}`).join(", ");
    if (hostPorts.includes(",")) w.write(2, `Host Ports:\t${hostPorts}\n`);
    else w.write(2, `Host Port:\t${hostPorts || "<none>"}\n`);
    if (c.command?.length) {
      w.write(2, "Command:\n");
      for (const x of c.command) for (const s of x.split("\n")) w.write(3, `${s}\n`);
    }
    if (c.args?.length) {
      w.write(2, "Args:\n");
      for (const x of c.args) for (const s of x.split("\n")) w.write(3, `${s}\n`);
    }
    if (st) {
      describeState(w, "State", st.state);
      if (st.lastState?.terminated) describeState(w, "Last State", st.lastState);
      w.write(2, `Ready:\t${st.ready ? "True" : "False"}\n`);
      w.write(2, `Restart Count:\t${st.restartCount}\n`);
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    const env = c.env ?? [];
    w.write(2, `Environment:${env.length === 0 ? "\t<none>" : ""}\n`);
    for (const e of env) {
      const ref = (e as { valueFrom?: { fieldRef?: { apiVersion?: string; fieldPath: string } } }).valueFrom?.fieldRef;
      if (ref) {
        w.write(3, `${e.name}:\t${fieldRefValue(pod, ref.fieldPath)} (${ref.apiVersion ?? "v1"}:${ref.fieldPath})\n`);
        continue;
      }
      (e.value ?? "").split("\n").forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    }
    describeMounts(w, c);
  }
}

interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

/** describeContainerVolumes: `<path> from <volume> (ro|rw[,path="sub"])`, by mount path. */
function describeMounts(w: PrefixWriter, c: Container): void {
  const mounts = [...((c as Container & { volumeMounts?: VolumeMount[] }).volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(2, `Mounts:${mounts.length === 0 ? "\t<none>" : ""}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
  }
}

type VolumeSource = Record<string, Record<string, unknown> | undefined>;

/** describeVolumes: each volume's source, for the kinds a lab's pods use (others print their type only). */
function describeVolumes(w: PrefixWriter, volumes: ({ name: string } & VolumeSource)[] | undefined, space: string): void {
  if (!volumes?.length) return w.write(0, `${space}Volumes:\t<none>\n`);
  w.write(0, `${space}Volumes:\n`);
  for (const v of volumes) {
    w.write(1, `${space ? " " : ""}${v.name}:\n`);
    const opt = (x: Record<string, unknown>) => (x.optional === true ? "true" : "false");
    if (v.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path ?? ""}\n    HostPathType:\t${v.hostPath.type ?? "<none>"}\n`);
    else if (v.emptyDir) w.write(2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ""}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}\n`);
    else if (v.secret) w.write(2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ""}\n    Optional:\t${opt(v.secret)}\n`);
    else if (v.configMap) w.write(2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ""}\n    Optional:\t${opt(v.configMap)}\n`);
    else w.write(1, "<unknown>\n");
  }
}

function controllerOf(o: AnyObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : "";
}

function tolerationsMultiline(w: PrefixWriter, title: string, tolerations: Pod["spec"]["tolerations"]): void {
  w.write(0, `${title}:\t`);
  const list = tolerations ?? [];
  if (list.length === 0) return w.line("<none>");
  // v1.19: sorted by key (a stable sort for lists this short); `op=Exists` only for Exists without a value, with
  // no space before it when there is no key
  [...list].sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0)).forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    let s = t.key ?? "";
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === "Exists" && !t.value) s += t.key ? " op=Exists" : "op=Exists";
    const secs = (t as { tolerationSeconds?: number }).tolerationSeconds;
    if (secs !== undefined) s += ` for ${secs}s`;
    w.write(0, `${s}\n`);
  });
}

export function describePod(pod: Pod, events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${pod.metadata.name}\n`);
  w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
  const prio = pod.spec as { priority?: number; priorityClassName?: string };
  if (prio.priority !== undefined) w.write(0, `Priority:\t${prio.priority}\n`);
  if (prio.priorityClassName) w.write(0, `Priority Class Name:\t${prio.priorityClassName}\n`);
  w.write(0, `Node:\t${pod.spec.nodeName ? `${pod.spec.nodeName}/${pod.status.hostIP ?? ""}` : "<none>"}\n`);
  if (pod.status.startTime) w.write(0, `Start Time:\t${rfc1123z(pod.status.startTime)}\n`);
  labelsMultiline(w, "", "Labels", pod.metadata.labels);
  annotationsMultiline(w, "", "Annotations", pod.metadata.annotations);
  if (pod.metadata.deletionTimestamp) {
    w.write(0, `Status:\tTerminating (lasts ${ageSince(pod.metadata.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${pod.spec.terminationGracePeriodSeconds ?? 30}s\n`);
  } else w.write(0, `Status:\t${pod.status.phase}\n`);
  if (pod.status.reason) w.write(0, `Reason:\t${pod.status.reason}\n`);
  if (pod.status.message) w.write(0, `Message:\t${pod.status.message}\n`);
  w.write(0, `IP:\t${pod.status.podIP ?? ""}\n`);
  const ips = pod.status.podIPs ?? [];
  if (ips.length === 0) w.write(0, "IPs:\t<none>\n");
  else {
    w.write(0, "IPs:\n");
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  }
  const ctl = controllerOf(pod);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  const init = (pod.spec as { initContainers?: Container[] }).initContainers;
  if (init?.length) describeContainers(w, "Init Containers", init, (pod.status as { initContainerStatuses?: ContainerStatus[] }).initContainerStatuses, "", pod);
  describeContainers(w, "Containers", pod.spec.containers, pod.status.containerStatuses, "", pod);
  if (pod.status.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\n");
    for (const c of pod.status.conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  describeVolumes(w, (pod.spec as { volumes?: ({ name: string } & VolumeSource)[] }).volumes, "");
  w.write(0, `QoS Class:\t${pod.status.qosClass ?? "BestEffort"}\n`);
  labelsMultiline(w, "", "Node-Selectors", pod.spec.nodeSelector);
  tolerationsMultiline(w, "Tolerations", pod.spec.tolerations);
  describeEvents(w, events, now);
  return finish(w);
}

function describePodTemplate(w: PrefixWriter, t: PodTemplateSpec): void {
  w.write(0, "Pod Template:\n");
  labelsMultiline(w, "  ", "Labels", t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length) annotationsMultiline(w, "  ", "Annotations", t.metadata.annotations);
  // kubectl v1.19 DescribePodTemplate: the service account before the containers, the priority class after the volumes
  const spec = t.spec as PodTemplateSpec["spec"] & { serviceAccountName?: string; priorityClassName?: string };
  if (spec.serviceAccountName) w.write(0, `  Service Account:\t${spec.serviceAccountName}\n`);
  const init = (t.spec as { initContainers?: Container[] }).initContainers;
  if (init?.length) describeContainers(w, "Init Containers", init, undefined, "  ");
  describeContainers(w, "Containers", t.spec.containers, undefined, "  ");
  describeVolumes(w, (t.spec as { volumes?: ({ name: string } & VolumeSource)[] }).volumes, "  ");
  if (spec.priorityClassName) w.write(0, `  Priority Class Name:\t${spec.priorityClassName}\n`);
}

function rsSummary(list: ReplicaSet[]): string {
  if (list.length === 0) return "<none>";
  return list.map((r) => `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec.replicas} replicas created)`).join(", ");
}

export function describeDeployment(d: Deployment, replicaSets: ReplicaSet[], events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const st = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace}\n`);
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, "", "Labels", d.metadata.labels);
  annotationsMultiline(w, "", "Annotations", d.metadata.annotations);
  w.write(0, `Selector:\t${formatLabelSelector(d.spec.selector)}\n`);
  w.write(
    0,
    `Replicas:\t${d.spec.replicas} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  const strategy = (d.spec.strategy ?? { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }) as {
    type?: string;
    rollingUpdate?: { maxUnavailable?: string | number; maxSurge?: string | number };
  };
  w.write(0, `StrategyType:\t${strategy.type ?? "RollingUpdate"}\n`);
  w.write(0, `MinReadySeconds:\t0\n`);
  if (strategy.rollingUpdate) w.write(0, `RollingUpdateStrategy:\t${strategy.rollingUpdate.maxUnavailable ?? "25%"} max unavailable, ${strategy.rollingUpdate.maxSurge ?? "25%"} max surge\n`);
  describePodTemplate(w, d.spec.template);
  if (st.conditions?.length) {
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for (const c of st.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason}\n`);
  }
  const owned = replicaSets.filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid));
  const hash = (r: ReplicaSet) => r.metadata.labels?.["pod-template-hash"];
  const tmplLabels = d.spec.template.metadata?.labels ?? {};
  const isNew = (r: ReplicaSet) => {
    const l = { ...(r.spec.template.metadata?.labels ?? {}) };
    delete l["pod-template-hash"];
    return canonicalJSON(l) === canonicalJSON(tmplLabels) && hash(r) !== undefined && canonicalJSON(r.spec.template.spec.containers) === canonicalJSON(d.spec.template.spec.containers);
  };
  const newRS = owned.filter(isNew).slice(0, 1);
  const old = owned.filter((r) => !newRS.includes(r) && (r.spec.replicas > 0 || (r.status?.replicas ?? 0) > 0));
  w.write(0, `OldReplicaSets:\t${rsSummary(old)}\n`);
  w.write(0, `NewReplicaSet:\t${rsSummary(newRS)}\n`);
  describeEvents(w, events, now);
  return finish(w);
}

export function describeReplicaSet(rs: ReplicaSet, pods: Pod[], events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${rs.metadata.name}\n`);
  w.write(0, `Namespace:\t${rs.metadata.namespace}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(rs.spec.selector)}\n`);
  labelsMultiline(w, "", "Labels", rs.metadata.labels);
  annotationsMultiline(w, "", "Annotations", rs.metadata.annotations);
  const ctl = controllerOf(rs);
  if (ctl) w.write(0, `Controlled By:\t${ctl}\n`);
  w.write(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas} desired\n`);
  const count = (ph: string) => pods.filter((p) => p.status.phase === ph).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, rs.spec.template);
  describeEvents(w, events, now);
  return finish(w);
}

/** `lease`: the node's Lease in kube-node-lease (describeNodeLease), undefined when there is none. */
export function describeNode(n: Node, pods: Pod[], events: KubeEvent[] | undefined, now: number, lease?: Lease): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${n.metadata.name}\n`);
  const roles = nodeRoles(n);
  w.write(0, `Roles:\t${roles}\n`);
  labelsMultiline(w, "", "Labels", n.metadata.labels);
  annotationsMultiline(w, "", "Annotations", n.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}\n`);
  const taints = n.spec.taints ?? [];
  if (taints.length === 0) w.write(0, "Taints:\t<none>\n");
  else
    taints.forEach((t, i) => {
      w.write(0, `${i === 0 ? "Taints:" : ""}\t${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}\n`);
    });
  w.write(0, `Unschedulable:\t${n.spec.unschedulable ? "true" : "false"}\n`);
  if (lease) {
    w.write(0, "Lease:\n");
    w.write(1, `HolderIdentity:\t${lease.spec.holderIdentity ?? "<unset>"}\n`);
    w.write(1, `AcquireTime:\t${lease.spec.acquireTime ? rfc1123z(lease.spec.acquireTime) : "<unset>"}\n`);
    w.write(1, `RenewTime:\t${lease.spec.renewTime ? rfc1123z(lease.spec.renewTime) : "<unset>"}\n`);
  } else w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${n.metadata.name}" not found\n`);
  w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
  w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
  for (const c of n.status.conditions)
    w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`);
  w.write(0, "Addresses:\n");
  for (const a of n.status.addresses) w.write(1, `${a.type}:\t${a.address}\n`);
  const res = (title: string, m: Record<string, string>) => {
    w.write(0, `${title}:\n`);
    for (const k of Object.keys(m).sort()) w.write(1, `${k}:\t${m[k]}\n`);
  };
  res("Capacity", n.status.capacity);
  res("Allocatable", n.status.allocatable);
  const i = n.status.nodeInfo;
  w.write(0, "System Info:\n");
  w.write(1, `Machine ID:\t${i.machineID}\n`);
  w.write(1, `System UUID:\t${i.systemUUID}\n`);
  w.write(1, `Boot ID:\t${i.bootID}\n`);
  w.write(1, `Kernel Version:\t${i.kernelVersion}\n`);
  w.write(1, `OS Image:\t${i.osImage}\n`);
  w.write(1, `Operating System:\t${i.operatingSystem}\n`);
  w.write(1, `Architecture:\t${i.architecture}\n`);
  w.write(1, `Container Runtime Version:\t${i.containerRuntimeVersion}\n`);
  w.write(1, `Kubelet Version:\t${i.kubeletVersion}\n`);
  w.write(1, `Kube-Proxy Version:\t${i.kubeProxyVersion}\n`);
  w.write(0, `PodCIDR:\t${n.spec.podCIDR}\n`);
  w.write(0, `PodCIDRs:\t${(n.spec.podCIDRs ?? [n.spec.podCIDR]).join(",")}\n`);
  const active = pods.filter((p) => p.spec.nodeName === n.metadata.name && p.status.phase !== "Succeeded" && p.status.phase !== "Failed");
  w.write(0, `Non-terminated Pods:\t(${active.length} in total)\n`);
  w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAGE\n");
  w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
  for (const p of active)
    w.write(1, `${p.metadata.namespace}\t${p.metadata.name}\t\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t${ageSince(p.metadata.creationTimestamp, now)}\n`);
  w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
  w.write(1, "Resource\tRequests\tLimits\n");
  w.write(1, "--------\t--------\t------\n");
  for (const r of ["cpu", "memory", "ephemeral-storage", "hugepages-2Mi"]) w.write(1, `${r}\t0 (0%)\t0 (0%)\n`);
  describeEvents(w, events, now);
  return finish(w);
}

export function describeNamespace(ns: Namespace, _events: KubeEvent[] | undefined): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ns.metadata.name}\n`);
  labelsMultiline(w, "", "Labels", ns.metadata.labels);
  annotationsMultiline(w, "", "Annotations", ns.metadata.annotations);
  w.write(0, `Status:\t${ns.status?.phase ?? "Active"}\n`);
  w.write(0, "\nNo resource quota.\n\nNo LimitRange resource.\n");
  return finish(w);
}

/** kubectl describe daemonset (v1.19 DaemonSetDescriber: no Namespace line). */
export function describeDaemonSet(ds: DaemonSet, pods: Pod[], events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const s = ds.status;
  w.write(0, `Name:\t${ds.metadata.name}\n`);
  w.write(0, `Selector:\t${formatLabelSelector(ds.spec.selector)}\n`);
  w.write(0, `Node-Selector:\t${formatLabels(ds.spec.template.spec.nodeSelector)}\n`);
  labelsMultiline(w, "", "Labels", ds.metadata.labels);
  annotationsMultiline(w, "", "Annotations", ds.metadata.annotations);
  w.write(0, `Desired Number of Nodes Scheduled: ${s.desiredNumberScheduled ?? 0}\n`);
  w.write(0, `Current Number of Nodes Scheduled: ${s.currentNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Up-to-date Pods: ${s.updatedNumberScheduled ?? 0}\n`);
  w.write(0, `Number of Nodes Scheduled with Available Pods: ${s.numberAvailable ?? 0}\n`);
  w.write(0, `Number of Nodes Misscheduled: ${s.numberMisscheduled ?? 0}\n`);
  const count = (ph: string) => pods.filter((p) => p.status.phase === ph).length;
  w.write(0, `Pods Status:\t${count("Running")} Running / ${count("Pending")} Waiting / ${count("Succeeded")} Succeeded / ${count("Failed")} Failed\n`);
  describePodTemplate(w, ds.spec.template);
  describeEvents(w, events, now);
  return finish(w);
}

/** kubectl describe serviceaccount (v1.19 describeServiceAccount): `tokens` are the namespace's token Secrets. */
export function describeServiceAccount(sa: ServiceAccount, secrets: Secret[], events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${sa.metadata.name}\n`);
  w.write(0, `Namespace:\t${sa.metadata.namespace}\n`);
  labelsMultiline(w, "", "Labels", sa.metadata.labels);
  annotationsMultiline(w, "", "Annotations", sa.metadata.annotations);
  const existing = new Set(secrets.map((s) => s.metadata.name));
  const tokens = secrets.filter(
    (s) =>
      s.type === "kubernetes.io/service-account-token" &&
      s.metadata.annotations?.["kubernetes.io/service-account.name"] === sa.metadata.name &&
      s.metadata.annotations?.["kubernetes.io/service-account.uid"] === sa.metadata.uid,
  );
  // the headers are padded to one width and printed in sorted order
  const groups: [string, string[]][] = [
    ["Image pull secrets:", (sa.imagePullSecrets ?? []).map((s) => s.name)],
    ["Mountable secrets: ", (sa.secrets ?? []).map((s) => s.name)],
    ["Tokens:            ", tokens.map((s) => s.metadata.name)],
  ];
  for (const [header, names] of groups) {
    if (names.length === 0) w.write(0, `${header}\t<none>\n`);
    else names.forEach((name, i) => w.write(0, `${i === 0 ? header : " ".repeat(19)}\t${name}${existing.has(name) ? "" : " (not found)"}\n`));
  }
  describeEvents(w, events, now);
  return finish(w);
}

/** kubectl describe secret (v1.19 describeSecret): sizes, except a service-account token, which is printed. */
export function describeSecret(secret: Secret): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${secret.metadata.name}\n`);
  w.write(0, `Namespace:\t${secret.metadata.namespace}\n`);
  labelsMultiline(w, "", "Labels", secret.metadata.labels);
  annotationsMultiline(w, "", "Annotations", secret.metadata.annotations);
  w.write(0, `\nType:\t${secret.type}\n`);
  w.write(0, "\nData\n====\n");
  // (kubectl ranges over a Go map: its order changes from run to run; kubelab prints the keys sorted)
  for (const k of Object.keys(secret.data ?? {}).sort()) {
    const value = base64Bytes(secret.data![k]);
    if (k === "token" && secret.type === "kubernetes.io/service-account-token") w.write(0, `${k}:\t${new TextDecoder().decode(value)}\n`);
    else w.write(0, `${k}:\t${value.length} bytes\n`);
  }
  return finish(w);
}

function base64Bytes(text: string): Uint8Array {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const clean = text.replace(/=+$/, "");
  const out: number[] = [];
  let acc = 0, bits = 0;
  for (const ch of clean) {
    acc = (acc << 6) | A.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/**
 * kubectl's generic describer (kinds without a describer of their own, e.g. Lease): name, namespace, labels,
 * annotations, then every other field of the object as served, keys sorted, names split into words
 * (printUnstructuredContent, smartLabelFor).
 */
export function describeGeneric(obj: AnyObject, events: KubeEvent[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ""}\n`);
  labelsMultiline(w, "", "Labels", obj.metadata.labels);
  annotationsMultiline(w, "", "Annotations", obj.metadata.annotations);
  const skip = new Set([".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]);
  unstructuredContent(w, 0, obj as unknown as Record<string, unknown>, "", skip);
  describeEvents(w, events, now);
  return finish(w);
}

function unstructuredContent(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string, skip: Set<string>): void {
  for (const field of Object.keys(content).sort()) {
    const value = content[field];
    const path = `${prefix}.${field}`;
    if (skip.has(path)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === "object" && !Array.isArray(child)) unstructuredContent(w, level + 1, child as Record<string, unknown>, path, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else if (value && typeof value === "object") {
      w.write(level, `${smartLabel(field)}:\n`);
      unstructuredContent(w, level + 1, value as Record<string, unknown>, path, skip);
    } else w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
  }
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return "<nil>";
  return String(v);
}

const ACRONYMS = new Set(["API", "URL", "UID", "OSB", "GUID"]);

/** smartLabelFor: `leaseDurationSeconds` → `Lease Duration Seconds`, `apiVersion` → `API Version`, `uid` → `UID`. */
function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  return camelSplit(field)
    .filter((p) => p !== "_")
    .map((p) => (ACRONYMS.has(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(" ");
}

/** fatih/camelcase Split: runs of one character class; an upper-case run's last letter starts the next lower-case run. */
function camelSplit(s: string): string[] {
  const cls = (ch: string) => (/\p{Ll}/u.test(ch) ? 1 : /\p{Lu}/u.test(ch) ? 2 : /\p{N}/u.test(ch) ? 3 : 4);
  const runs: string[][] = [];
  let last = 0;
  for (const ch of s) {
    const c = cls(ch);
    if (c === last && runs.length) runs[runs.length - 1].push(ch);
    else runs.push([ch]);
    last = c;
  }
  for (let i = 0; i < runs.length - 1; i++) {
    if (cls(runs[i][0]) === 2 && cls(runs[i + 1][0]) === 1) {
      runs[i + 1].unshift(runs[i].pop()!);
    }
  }
  return runs.filter((r) => r.length > 0).map((r) => r.join(""));
}

// `kubectl get` tables: the column sets and cell values of kubectl v1.19's printers (printPod, printService,
// printEndpoints, printDeployment, printReplicaSet, printNode, printNamespace), plus the decorations kubectl adds
// (NAMESPACE, -L label columns, LABELS, a `kind/` name prefix when several types are printed).
import type { AnyObject, DaemonSet, Deployment, Endpoints, Lease, Namespace, Node, Pod, ReplicaSet, Secret, Service, ServiceAccount } from "../objects.ts";
import type { EventObject } from "../events.ts";
import { ageSince } from "./duration.ts";
import { formatLabelSelector, formatLabels } from "./labels.ts";
import { formatTable } from "./tabwriter.ts";

export interface TableOptions {
  wide?: boolean;
  showLabels?: boolean;
  /** -L keys. */
  labelColumns?: string[];
  /** -A: add a NAMESPACE column first. */
  withNamespace?: boolean;
  /** `pod/` etc. before each name (kubectl get all, several types). */
  namePrefix?: string;
  /** Omit the header row (--no-headers). */
  noHeaders?: boolean;
}

type Row = { cells: string[] };

interface KindPrinter {
  columns: string[];
  wide: string[];
  row(o: AnyObject, now: number, wide: boolean): string[];
}

export function podStatus(pod: Pod): { ready: string; status: string; restarts: number } {
  let restarts = 0;
  let readyContainers = 0;
  const total = pod.spec.containers.length;
  let reason: string = pod.status.phase;
  if (pod.status.reason) reason = pod.status.reason;
  let hasRunning = false;
  const statuses = pod.status.containerStatuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    restarts += c.restartCount;
    if (c.state.waiting && c.state.waiting.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated && c.state.terminated.reason) reason = c.state.terminated.reason;
    else if (c.state.terminated) reason = `ExitCode:${c.state.terminated.exitCode}`;
    else if (c.ready && c.state.running) {
      hasRunning = true;
      readyContainers++;
    }
  }
  if (reason === "Completed" && hasRunning) reason = "Running";
  if (pod.metadata.deletionTimestamp) reason = pod.status.reason === "NodeLost" ? "Unknown" : "Terminating";
  return { ready: `${readyContainers}/${total}`, status: reason, restarts };
}

function serviceExternalIP(svc: Service, wide: boolean): string {
  const ext = svc.spec.externalIPs ?? [];
  switch (svc.spec.type) {
    case "ClusterIP":
    case "NodePort":
      return ext.length ? ext.join(",") : "<none>";
    case "LoadBalancer": {
      let lb = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || "").filter((x) => x).join(",");
      if (!wide && lb.length > 16) lb = lb.slice(0, 13) + "...";
      if (ext.length) return [...(lb ? lb.split(",") : []), ...ext].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return svc.spec.externalName ?? "";
  }
  return "<unknown>";
}

export function servicePorts(svc: Service): string {
  const ports = svc.spec.ports ?? [];
  if (ports.length === 0) return "<none>";
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(",");
}

/** formatEndpoints: ready `ip:port` pairs, at most 3 then ` + N more...`; `<none>` only without subsets. */
export function formatEndpoints(ep: Endpoints | undefined, portNames?: Set<string>): string {
  const subsets = ep?.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      for (const a of addrs) {
        if (list.length === max) more = true;
        if (!more) list.push(a.ip);
        count++;
      }
    } else {
      for (const p of ss.ports) {
        if (portNames && !portNames.has(p.name ?? "")) continue;
        for (const a of addrs) {
          if (list.length === max) more = true;
          if (!more) list.push(a.ip.includes(":") ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
          count++;
        }
      }
    }
  }
  const s = list.join(",");
  return more ? `${s} + ${count - max} more...` : s;
}

function nodeStatus(n: Node): string {
  const ready = (n.status.conditions ?? []).find((c) => c.type === "Ready");
  const parts: string[] = [];
  if (!ready) parts.push("Unknown");
  else parts.push(ready.status === "True" ? "Ready" : "NotReady");
  if (n.spec.unschedulable) parts.push("SchedulingDisabled");
  return parts.join(",");
}

export function nodeRoles(n: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(n.metadata.labels ?? {})) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const r = k.slice("node-role.kubernetes.io/".length);
      if (r) roles.add(r);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(",") : "<none>";
}

function containersCells(spec: { containers: { name: string; image: string }[] }): [string, string] {
  return [spec.containers.map((c) => c.name).join(","), spec.containers.map((c) => c.image).join(",")];
}

const PRINTERS: Record<string, KindPrinter> = {
  Pod: {
    columns: ["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
    wide: ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
    row(o, now, wide) {
      const p = o as Pod;
      const s = podStatus(p);
      const cells = [p.metadata.name, s.ready, s.status, String(s.restarts), ageSince(p.metadata.creationTimestamp, now)];
      if (wide) cells.push(p.status.podIPs?.[0]?.ip || p.status.podIP || "<none>", p.spec.nodeName || "<none>", "<none>", "<none>");
      return cells;
    },
  },
  Service: {
    columns: ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
    wide: ["SELECTOR"],
    row(o, now, wide) {
      const s = o as Service;
      const cells = [s.metadata.name, s.spec.type, s.spec.clusterIP || "<none>", serviceExternalIP(s, wide), servicePorts(s), ageSince(s.metadata.creationTimestamp, now)];
      if (wide) cells.push(formatLabels(s.spec.selector));
      return cells;
    },
  },
  Endpoints: {
    columns: ["NAME", "ENDPOINTS", "AGE"],
    wide: [],
    row(o, now) {
      const e = o as Endpoints;
      return [e.metadata.name, formatEndpoints(e), ageSince(e.metadata.creationTimestamp, now)];
    },
  },
  Deployment: {
    columns: ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
    wide: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row(o, now, wide) {
      const d = o as Deployment;
      const st = d.status ?? {};
      const cells = [d.metadata.name, `${st.readyReplicas ?? 0}/${d.spec.replicas}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), ageSince(d.metadata.creationTimestamp, now)];
      if (wide) cells.push(...containersCells(d.spec.template.spec), formatLabelSelector(d.spec.selector));
      return cells;
    },
  },
  ReplicaSet: {
    columns: ["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
    wide: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row(o, now, wide) {
      const r = o as ReplicaSet;
      const st = r.status ?? { replicas: 0 };
      const cells = [r.metadata.name, String(r.spec.replicas), String(st.replicas ?? 0), String(st.readyReplicas ?? 0), ageSince(r.metadata.creationTimestamp, now)];
      if (wide) cells.push(...containersCells(r.spec.template.spec), formatLabelSelector(r.spec.selector));
      return cells;
    },
  },
  DaemonSet: {
    columns: ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"],
    wide: ["CONTAINERS", "IMAGES", "SELECTOR"],
    row(o, now, wide) {
      const d = o as DaemonSet;
      const st = d.status;
      const n = (v: number | undefined) => String(v ?? 0);
      const cells = [d.metadata.name, n(st.desiredNumberScheduled), n(st.currentNumberScheduled), n(st.numberReady), n(st.updatedNumberScheduled), n(st.numberAvailable), formatLabels(d.spec.template.spec.nodeSelector), ageSince(d.metadata.creationTimestamp, now)];
      if (wide) cells.push(...containersCells(d.spec.template.spec), formatLabelSelector(d.spec.selector));
      return cells;
    },
  },
  Node: {
    columns: ["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
    wide: ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
    row(o, now, wide) {
      const n = o as Node;
      const cells = [n.metadata.name, nodeStatus(n), nodeRoles(n), ageSince(n.metadata.creationTimestamp, now), n.status.nodeInfo.kubeletVersion];
      if (wide) {
        const addr = (t: string) => n.status.addresses.find((a) => a.type === t)?.address ?? "<none>";
        const info = n.status.nodeInfo;
        cells.push(addr("InternalIP"), addr("ExternalIP"), info.osImage || "<unknown>", info.kernelVersion || "<unknown>", info.containerRuntimeVersion || "<unknown>");
      }
      return cells;
    },
  },
  // printEvent: the wide columns sit between the others (SUBOBJECT, SOURCE before MESSAGE; FIRST SEEN, COUNT, NAME after)
  Event: {
    columns: ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
    wide: [],
    row(o, now, wide) {
      const e = o as unknown as EventObject;
      const target = e.involvedObject.name ? `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}` : e.involvedObject.kind.toLowerCase();
      const first = ageSince(e.firstTimestamp, now);
      const last = e.lastTimestamp ? ageSince(e.lastTimestamp, now) : first;
      const source = e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component;
      const message = e.message.trim();
      if (!wide) return [last, e.type, e.reason, target, message];
      return [last, e.type, e.reason, target, e.involvedObject.fieldPath ?? "", source, message, first, String(e.count || 1), e.metadata.name];
    },
  },
  Namespace: {
    columns: ["NAME", "STATUS", "AGE"],
    wide: [],
    row(o, now) {
      const n = o as Namespace;
      return [n.metadata.name, n.status?.phase ?? "Active", ageSince(n.metadata.creationTimestamp, now)];
    },
  },
  // printServiceAccount, printSecret, printLease (v1.19)
  ServiceAccount: {
    columns: ["NAME", "SECRETS", "AGE"],
    wide: [],
    row(o, now) {
      const a = o as ServiceAccount;
      return [a.metadata.name, String(a.secrets?.length ?? 0), ageSince(a.metadata.creationTimestamp, now)];
    },
  },
  Secret: {
    columns: ["NAME", "TYPE", "DATA", "AGE"],
    wide: [],
    row(o, now) {
      const x = o as Secret;
      return [x.metadata.name, x.type, String(Object.keys(x.data ?? {}).length), ageSince(x.metadata.creationTimestamp, now)];
    },
  },
  Lease: {
    columns: ["NAME", "HOLDER", "AGE"],
    wide: [],
    row(o, now) {
      const l = o as Lease;
      return [l.metadata.name, l.spec.holderIdentity ?? "<unset>", ageSince(l.metadata.creationTimestamp, now)];
    },
  },
};

const EVENT_WIDE_HEADER = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"];

/** The header and rows kubectl get prints for objects of one kind. */
export function tableRows(kind: string, objs: AnyObject[], now: number, opts: TableOptions = {}): string[][] {
  const pr = PRINTERS[kind];
  if (!pr) throw new Error(`no table printer for ${kind}`);
  const wide = !!opts.wide;
  const header = kind === "Event" && wide ? [...EVENT_WIDE_HEADER] : [...pr.columns, ...(wide ? pr.wide : [])];
  const labelCols = opts.labelColumns ?? [];
  for (const l of labelCols) {
    const parts = l.split("/");
    header.push(parts[parts.length - 1].toUpperCase());
  }
  if (opts.showLabels) header.push("LABELS");
  if (opts.withNamespace) header.unshift("NAMESPACE");
  const rows: Row[] = objs.map((o) => {
    const cells = pr.row(o, now, wide);
    if (opts.namePrefix) cells[0] = opts.namePrefix + cells[0];
    for (const l of labelCols) cells.push(o.metadata.labels?.[l] ?? "");
    if (opts.showLabels) cells.push(formatLabels(o.metadata.labels));
    if (opts.withNamespace) cells.unshift(o.metadata.namespace ?? "");
    return { cells };
  });
  return [...(opts.noHeaders ? [] : [header]), ...rows.map((r) => r.cells)];
}

export function printTable(kind: string, objs: AnyObject[], now: number, opts: TableOptions = {}): string {
  return formatTable(tableRows(kind, objs, now, opts));
}

// The cluster picture: the `picture` read of the schema (one selection, used by the live subscription and by an
// attempt's page), the view model the SVG is drawn from (pictureView: pure, laid out in SVG units, tested without a
// browser), and the live model (a feed of pictures in, the current view and the connection state out).
import { computed, createModel, effect, signal, type ReadonlySignal } from "@preact/signals";

export interface PicturePod {
  name: string;
  namespace: string;
  ip: string | null;
  node: string | null;
  ready: boolean;
  phase: string;
  /** Deleted, in its grace period (kubectl: Terminating); already out of every Endpoints. */
  terminating?: boolean;
  labels: Record<string, string>;
}
export interface PictureService {
  name: string;
  namespace: string;
  type: string;
  clusterIP: string | null;
  externalIPs: string[];
  externalName: string | null;
  ports: { name: string | null; port: number; targetPort: string; nodePort: number | null; protocol: string }[];
}
export interface PictureAddress {
  ip: string;
  pod: string | null;
  nodeName: string | null;
}
export interface PictureEndpoints {
  name: string;
  namespace: string;
  addresses: PictureAddress[];
  notReadyAddresses: PictureAddress[];
}
export interface PictureRequest {
  seq: number;
  command: string;
  host: string | null;
  from: string;
  url: string;
  response: {
    ok: boolean;
    status: number | null;
    clientIP: string | null;
    dest: string;
    service: string | null;
    error: { code: string; message: string } | null;
    servedBy: { kind: string; name: string; namespace: string | null; node: string | null; ip: string; port: number } | null;
    trace: { at: string; rule: string; detail: string | null }[];
  };
}
export interface PictureData {
  version: number;
  now: string;
  nodes: { name: string; internalIP: string | null; ready: boolean; roles: string[] }[];
  pods: PicturePod[];
  services: PictureService[];
  endpoints: PictureEndpoints[];
  lastRequest: PictureRequest | null;
}

/** The selection on ClusterPicture that PictureData describes. */
export const PICTURE_FIELDS = `{ version now
  nodes { name internalIP ready roles }
  pods { name namespace ip node ready phase terminating labels }
  services { name namespace type clusterIP externalIPs externalName ports { name port targetPort nodePort protocol } }
  endpoints { name namespace addresses { ip pod nodeName } notReadyAddresses { ip pod nodeName } }
  lastRequest { seq command host from url response { ok status clientIP dest service error { code message }
    servedBy { kind name namespace node ip port } trace { at rule detail } } } }`;

// ---- the view: boxes and links in SVG units ----

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface PodBox extends Box {
  key: string;
  /** name, or namespace/name outside `default`. */
  label: string;
  ip: string;
  ready: boolean;
  phase: string;
  terminating: boolean;
  labels: string[];
  onPath: boolean;
}
export interface NodeBox extends Box {
  name: string;
  ip: string;
  roles: string;
  pods: PodBox[];
  /** The last request's client ran on this node's host network, or the request entered here. */
  onPath: boolean;
}
export interface ServiceBox extends Box {
  key: string;
  label: string;
  type: string;
  /** What the box prints under its name: ClusterIP, ports with NodePorts, external IPs, the external name. */
  lines: string[];
  onPath: boolean;
}
export interface OffBox extends Box {
  key: string;
  label: string;
  note: string;
}
export interface Link {
  key: string;
  service: string;
  /** The pod's key, or an off-cluster box's key, or a node's name. */
  target: string;
  ip: string;
  ready: boolean;
  /** SVG path data. */
  d: string;
  /** Where the link's label sits. */
  mid: { x: number; y: number };
  /** For the ExternalName arrow: the name it points at. */
  external?: boolean;
}
export interface RequestView {
  command: string;
  client: string;
  node: string | null;
  service: string | null;
  /** The rule that rewrote the destination: "KUBE-SEP-…: DNAT to 10.244.1.5:80". */
  dnat: string | null;
  backend: string | null;
  /** The source IP the backend saw (after SNAT when it differs from the client's own). */
  clientIP: string | null;
  outcome: string;
  /** The hops, in order, as text. */
  hops: string[];
  /** SVG path data through client → node → Service → backend, where those are drawn. */
  d: string | null;
}
export interface PictureView {
  width: number;
  height: number;
  version: number;
  nodes: NodeBox[];
  services: ServiceBox[];
  off: OffBox[];
  links: Link[];
  request: RequestView | null;
  /** One line for screen readers and the page: "3 pods (3 ready), 2 Services, 3 endpoint links (1 not ready)". */
  summary: string;
}

const M = 16; // margin
const NODE_W = 224;
const NODE_HEAD = 44;
const POD_H = 46;
const POD_GAP = 8;
const SVC_W = 214;
const SVC_LINE = 16;
const SVC_HEAD = 26;
const OFF_W = 214;
const OFF_H = 46;
const GAP = 24;
const LINK_SPACE = 100;
const OFF_SPACE = 56;

const podKey = (ns: string, name: string) => `${ns}/${name}`;
const nsLabel = (ns: string, name: string) => (ns === "default" ? name : `${ns}/${name}`);

function portLine(s: PictureService): string[] {
  return s.ports.map((p) => {
    const base = `${p.port}${p.targetPort !== String(p.port) ? `→${p.targetPort}` : ""}/${p.protocol}`;
    return p.nodePort ? `${base} NodePort ${p.nodePort}` : base;
  });
}

function serviceLines(s: PictureService): string[] {
  if (s.type === "ExternalName") return [`→ ${s.externalName ?? "?"}`];
  const lines = [`ClusterIP ${s.clusterIP ?? "None"}`, ...portLine(s)];
  if (s.externalIPs.length) lines.push(`external IPs ${s.externalIPs.join(", ")}`);
  return lines;
}

function curve(x1: number, y1: number, x2: number, y2: number): string {
  const dy = Math.max(40, (y2 - y1) / 2);
  return `M${x1},${y1} C${x1},${y1 + dy} ${x2 - 40},${y2} ${x2},${y2}`;
}

/** Where the request entered the cluster's rules: the first hop on a node (client on a pod: that pod's node). */
function entryNode(r: PictureRequest, nodes: Set<string>): string | null {
  for (const h of r.response.trace) if (nodes.has(h.at)) return h.at;
  return null;
}

function requestView(r: PictureRequest, nodes: Set<string>): Omit<RequestView, "d"> {
  const res = r.response;
  const dnatHop = res.trace.find((h) => /^DNAT\b/.test(h.detail ?? "") || /\bDNAT\b/.test(h.rule));
  const sb = res.servedBy;
  const backend = sb ? (sb.kind === "pod" ? `pod ${nsLabel(sb.namespace ?? "default", sb.name)} (${sb.ip}:${sb.port})` : `${sb.kind} ${sb.name} (${sb.ip}:${sb.port})`) : null;
  const outcome = res.ok ? `HTTP ${res.status ?? ""}`.trim() : `failed: ${res.error?.message ?? "no answer"}`;
  return {
    command: r.command,
    client: r.from,
    node: entryNode(r, nodes),
    service: res.service,
    dnat: dnatHop ? `${dnatHop.rule}: ${dnatHop.detail ?? ""}`.trim() : null,
    backend,
    clientIP: res.clientIP,
    outcome,
    hops: res.trace.map((h) => `${h.at} — ${h.rule}${h.detail ? `: ${h.detail}` : ""}`),
  };
}


/** Lay the cluster out: outside names on top, then the Services in rows, then the nodes side by side with their pods. */
export function pictureView(data: PictureData): PictureView {
  const nodeNames = new Set(data.nodes.map((n) => n.name));
  const req = data.lastRequest;
  const rv = req ? requestView(req, nodeNames) : null;
  const served = req?.response.servedBy?.kind === "pod" ? podKey(req.response.servedBy.namespace ?? "default", req.response.servedBy.name) : null;

  // Outside the cluster, a row on top: ExternalName targets, and endpoint addresses that no pod or node has.
  const nodeColumns = [...data.nodes.map((n) => n.name), ...(data.pods.some((p) => !p.node) ? ["(not scheduled)"] : [])];
  const rowWidth = Math.max(nodeColumns.length * (NODE_W + GAP) - GAP, 2 * (SVC_W + GAP) - GAP);
  const perRow = Math.max(2, Math.floor((rowWidth + GAP) / (SVC_W + GAP)));
  const podOrNodeIPs = new Set([...data.nodes.map((n) => n.internalIP ?? ""), ...data.pods.map((p) => p.ip ?? "")]);
  const offKeys: { key: string; label: string; note: string }[] = [];
  for (const s of data.services) {
    if (s.type === "ExternalName") offKeys.push({ key: `dns:${s.externalName}`, label: s.externalName ?? "?", note: "outside the cluster (DNS name)" });
    const ep = s.type === "ExternalName" ? undefined : data.endpoints.find((e) => e.namespace === s.namespace && e.name === s.name);
    for (const a of [...(ep?.addresses ?? []), ...(ep?.notReadyAddresses ?? [])])
      if (!podOrNodeIPs.has(a.ip)) offKeys.push({ key: `ip:${a.ip}`, label: a.ip, note: "an address outside the cluster" });
  }
  const off: OffBox[] = [];
  for (const o of offKeys) {
    if (off.some((b) => b.key === o.key)) continue;
    const i = off.length;
    off.push({ ...o, x: M + (i % perRow) * (OFF_W + GAP), y: M + Math.floor(i / perRow) * (OFF_H + GAP), w: OFF_W, h: OFF_H });
  }
  const offBottom = off.length ? Math.max(...off.map((o) => o.y + o.h)) + OFF_SPACE : M;

  // Services: as many per row as the node row is wide (at least two).
  const services: ServiceBox[] = [];
  let y = offBottom;
  let rowH = 0;
  data.services.forEach((s, i) => {
    if (i > 0 && i % perRow === 0) {
      y += rowH + GAP;
      rowH = 0;
    }
    const lines = serviceLines(s);
    const ep = data.endpoints.find((e) => e.namespace === s.namespace && e.name === s.name);
    if (s.type !== "ExternalName" && !ep?.addresses.length && !ep?.notReadyAddresses.length) lines.push("no endpoints");
    const h = SVC_HEAD + lines.length * SVC_LINE + 8;
    rowH = Math.max(rowH, h);
    const key = podKey(s.namespace, s.name);
    services.push({ key, label: nsLabel(s.namespace, s.name), type: s.type, lines, x: M + (i % perRow) * (SVC_W + GAP), y, w: SVC_W, h, onPath: rv?.service === key });
  });
  const nodesTop = services.length ? y + rowH + LINK_SPACE : offBottom;

  const nodes: NodeBox[] = nodeColumns.map((name, i) => {
    const n = data.nodes.find((x) => x.name === name);
    const mine = data.pods.filter((p) => (n ? p.node === name : !p.node));
    const x = M + i * (NODE_W + GAP);
    const pods: PodBox[] = mine.map((p, j) => {
      const key = podKey(p.namespace, p.name);
      return {
        key,
        label: nsLabel(p.namespace, p.name),
        ip: p.ip ?? "no IP yet",
        ready: p.ready,
        phase: p.phase,
        terminating: !!p.terminating,
        labels: Object.entries(p.labels ?? {}).map(([k, v]) => `${k}=${v}`),
        x: x + 10,
        y: nodesTop + NODE_HEAD + j * (POD_H + POD_GAP),
        w: NODE_W - 20,
        h: POD_H,
        onPath: key === served,
      };
    });
    const h = NODE_HEAD + Math.max(1, pods.length) * (POD_H + POD_GAP) + 4;
    const onPath = !!rv && (rv.node === name || rv.client === `node/${name}`);
    return { name, ip: n?.internalIP ?? "", roles: n?.roles.join(",") ?? "", pods, x, y: nodesTop, w: NODE_W, h, onPath };
  });
  const podBoxes = new Map(nodes.flatMap((n) => n.pods.map((p) => [p.key, p] as const)));
  const nodeByIP = new Map(nodes.filter((n) => n.ip).map((n) => [n.ip, n] as const));
  const offByKey = new Map(off.map((o) => [o.key, o] as const));

  const links: Link[] = [];
  for (const s of services) {
    const src = data.services.find((x) => podKey(x.namespace, x.name) === s.key)!;
    const from = { x: s.x + s.w / 2, y: s.y + s.h };
    const top = { x: s.x + s.w / 2, y: s.y };
    if (src.type === "ExternalName") {
      const b = offByKey.get(`dns:${src.externalName}`)!;
      const to = { x: b.x + b.w / 2, y: b.y + b.h };
      links.push({ key: `${s.key}->${b.key}`, service: s.key, target: b.key, ip: src.externalName ?? "", ready: true, external: true, d: `M${top.x},${top.y} L${to.x},${to.y}`, mid: { x: (top.x + to.x) / 2, y: (top.y + to.y) / 2 } });
      continue;
    }
    const ep = data.endpoints.find((e) => podKey(e.namespace, e.name) === s.key);
    if (!ep) continue;
    const addrs = [...ep.addresses.map((a) => ({ a, ready: true })), ...ep.notReadyAddresses.map((a) => ({ a, ready: false }))];
    addrs.forEach(({ a, ready }, i) => {
      const pod = a.pod ? podBoxes.get(podKey(s.key.split("/")[0], a.pod)) : undefined;
      const fx = from.x - 30 + ((i % 7) * 60) / 7;
      let target: string;
      let d: string;
      let to: { x: number; y: number };
      if (pod) {
        target = pod.key;
        to = { x: pod.x, y: pod.y + pod.h / 2 };
        d = curve(fx, from.y, to.x, to.y);
      } else if (nodeByIP.has(a.ip)) {
        const n = nodeByIP.get(a.ip)!;
        target = n.name;
        to = { x: n.x + n.w / 2, y: n.y };
        d = curve(fx, from.y, to.x, to.y);
      } else {
        const b = offByKey.get(`ip:${a.ip}`)!;
        target = b.key;
        to = { x: b.x + b.w / 2, y: b.y + b.h };
        d = `M${fx},${top.y} L${to.x},${to.y}`;
      }
      links.push({ key: `${s.key}->${target}`, service: s.key, target, ip: a.ip, ready, d, mid: { x: (fx + to.x) / 2, y: (from.y + to.y) / 2 } });
    });
  }

  // The request's path: client → node → Service (DNAT) → backend, along the edges of the boxes that are drawn.
  let request: RequestView | null = null;
  if (rv && req) {
    const pts: { x: number; y: number }[] = [];
    const clientPod = /^pod\/([^/]+)\/(.+)$/.exec(rv.client);
    const clientBox = clientPod ? podBoxes.get(podKey(clientPod[1], clientPod[2])) : undefined;
    if (clientBox) pts.push({ x: clientBox.x + clientBox.w - 20, y: clientBox.y });
    const node = nodes.find((n) => n.name === rv.node);
    if (node && !clientBox) pts.push({ x: node.x + node.w - 30, y: node.y });
    const svc = services.find((s) => s.key === rv.service);
    if (svc) pts.push({ x: svc.x + svc.w - 24, y: svc.y + svc.h });
    const back = served ? podBoxes.get(served) : undefined;
    if (back) pts.push({ x: back.x + back.w - 40, y: back.y + 2 });
    request = { ...rv, d: pts.length >= 2 ? pts.map((p, i) => `${i ? "L" : "M"}${Math.round(p.x)},${Math.round(p.y)}`).join(" ") : null };
  }

  const bottom = Math.max(...nodes.map((n) => n.y + n.h), ...off.map((o) => o.y + o.h), ...services.map((s) => s.y + s.h));
  const width = Math.max(rowWidth + M, ...services.map((s) => s.x + s.w), ...off.map((o) => o.x + o.w)) + M;
  const pods = data.pods.length;
  const ready = data.pods.filter((p) => p.ready).length;
  const podLinks = links.filter((l) => !l.external);
  const notReady = podLinks.filter((l) => !l.ready).length;
  const summary =
    `${pods} pod${pods === 1 ? "" : "s"} (${ready} ready), ${services.length} Service${services.length === 1 ? "" : "s"}, ` +
    `${podLinks.length} endpoint link${podLinks.length === 1 ? "" : "s"}${notReady ? ` (${notReady} not ready)` : ""}`;
  return { width, height: bottom + M, version: data.version, nodes, services, off, links, request, summary };
}

// ---- the live model ----

export type FeedState = "connecting" | "live" | "reconnecting" | "ended" | "failed" | "static";

/** Where pictures come from: the clusterChanged subscription, or one answer (an attempt's end). */
export interface PictureFeed {
  state: ReadonlySignal<FeedState>;
  error: ReadonlySignal<string | null>;
  /** Calls `onData` with each picture; returns the unsubscribe. */
  start(onData: (p: PictureData | null) => void): () => void;
}

export const ClusterPictureModel = createModel((feed: PictureFeed) => {
  const data = signal<PictureData | null>(null);
  const gone = signal(false);
  const view = computed(() => (data.value ? pictureView(data.value) : null));
  effect(() =>
    feed.start((p) => {
      if (p) data.value = p;
      else gone.value = true;
    }),
  );
  return { data, view, gone, state: feed.state, error: feed.error };
});

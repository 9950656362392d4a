// A request's path through the cluster, as kube-proxy in iptables mode (or IPVS, as a topology option) and
// flannel route it: which node's rules see the packet, which Service rule matches, which endpoint is picked and
// why, what SNAT happens, and what the application answers. Every step is recorded in the trace.
import { noteWrite } from "../change-mark.ts";
import { headerOf } from "./headers.ts";
import type { EndpointAddress, Endpoints, Service, ServicePort } from "../objects.ts";
import type { ClusterState, PodRec } from "../state.ts";
import type { HttpRequest, NetErrorCode, RequestResult, TraceHop } from "../types.ts";
import { key, tableValues } from "../state.ts";
import { notFound } from "../errors.ts";
import { podSpec } from "../store.ts";
import { nextInt } from "../rng.ts";
import { fnv32a } from "../hash.ts";
import { isIPv4 } from "../ipnet.ts";
import { lookup } from "./dns.ts";
import { bridgeIP, flannelIP, nodeIP, nodeOwningIP } from "./interfaces.ts";
import { externalApp, listensOn, podApp, serveHttp, type AppInstance } from "./apps.ts";
import { routeTables } from "./routes.ts";
import { proxyDecision, seenSource, type Arrival, type Egress, type EntryMode } from "./snat.ts";
import { chainName } from "./chain-names.ts";

type Mode = EntryMode;

interface Ctx {
  st: ClusterState;
  req: HttpRequest;
  trace: TraceHop[];
  srcNode?: string;
  /** The client's address, or undefined for a node's host network (chosen by route). */
  srcIP?: string;
  srcPod?: PodRec;
  /** The source pod when it has its own network namespace (not hostNetwork: that one's traffic is its node's). */
  netPod?: PodRec;
  srcLabel: string;
  dest: { ip: string; port: number };
  hostHeader: string;
}

function fail(ctx: Ctx, code: NetErrorCode, message: string): RequestResult {
  return { ok: false, error: { code, message }, dest: ctx.dest, trace: ctx.trace };
}

export function routeRequest(st: ClusterState, req: HttpRequest): RequestResult {
  const trace: TraceHop[] = [];
  const port = req.port ?? 80;
  const ctx: Ctx = { st, req, trace, srcLabel: "client", dest: { ip: req.host, port }, hostHeader: port === 80 ? req.host : `${req.host}:${port}` };
  const from = req.from;
  if (from.kind === "node") {
    if (!st.nodes[from.node]) throw notFound("nodes", from.node);
    ctx.srcNode = from.node;
    ctx.srcLabel = from.node;
  } else if (from.kind === "pod") {
    const p = st.pods[key(from.namespace ?? "default", from.pod)];
    if (!p) throw notFound("pods", from.pod);
    if (p.phase !== "Running" || !p.ip) return fail(ctx, "unreachable", `pod ${from.pod} is not running`);
    ctx.srcPod = p;
    ctx.srcNode = p.node;
    if (!podSpec(st, p).hostNetwork) {
      ctx.netPod = p;
      ctx.srcIP = p.ip;
    }
    ctx.srcLabel = `pod ${p.ns}/${p.name}`;
  } else {
    ctx.srcIP = from.ip ?? st.topo.externalClientIP;
    ctx.srcLabel = `client ${ctx.srcIP}`;
  }
  // Name resolution.
  let ip = req.host;
  if (!isIPv4(req.host)) {
    const r = lookup(st, req.host, { fromPod: ctx.srcPod });
    if (!r.found || !r.addresses.length) {
      trace.push({ at: ctx.srcLabel, rule: "DNS", detail: `${req.host}: no address${r.cname ? ` (CNAME ${r.cname})` : ""} from ${r.server}` });
      return fail(ctx, "resolve", `Could not resolve host: ${r.cname ?? req.host}`);
    }
    ip = r.addresses[0];
    trace.push({ at: ctx.srcLabel, rule: "DNS", detail: `${r.name}${r.cname ? ` CNAME ${r.cname}` : ""} -> ${ip} (${r.server})` });
  }
  ctx.dest = { ip, port };
  return dispatch(ctx, ip, port);
}

function svcPortMatch(svc: Service, port: number, protocol: string): ServicePort | undefined {
  return (svc.spec.ports ?? []).find((p) => p.port === port && p.protocol === protocol);
}

function dispatch(ctx: Ctx, ip: string, port: number): RequestResult {
  const { st } = ctx;
  const proto = ctx.req.protocol ?? "TCP";
  const inCluster = ctx.srcNode !== undefined;
  // 1. ClusterIP (only reachable from nodes and pods).
  const tables = routeTables(st);
  if (inCluster) {
    const svc = tables.byClusterIP.get(ip);
    if (svc) {
      const sp = svcPortMatch(svc, port, proto);
      if (!sp) {
        // iptables mode has rules only for the Service's own ports: another port on its ClusterIP matches none, and
        // the address is on no interface, so the packet leaves by the default route and nobody answers. In IPVS mode
        // the ClusterIP is bound to kube-ipvs0 on every node: the node's own stack answers, with a reset.
        if (st.topo.proxyMode === "ipvs") {
          ctx.trace.push({ at: ctx.srcNode!, rule: "IPVS", detail: `${ip} is the ClusterIP of service ${svc.metadata.namespace}/${svc.metadata.name}, bound to kube-ipvs0; no virtual server for ${port}/${proto}` });
          return refusedHere(ctx, `service ${svc.metadata.name} has no port ${port}/${proto}: nothing listens on ${ip}:${port}`);
        }
        ctx.trace.push({ at: ctx.srcNode!, rule: "route", detail: `no KUBE-SERVICES rule matches ${ip}:${port}/${proto} (service ${svc.metadata.namespace}/${svc.metadata.name} has no such port): the packet leaves by the default route and nothing answers` });
        return fail(ctx, "timeout", `Failed to connect to ${ip} port ${port}: Connection timed out`);
      }
      ctx.trace.push({ at: ctx.srcNode!, rule: "KUBE-SERVICES", detail: `${ip}:${port}/${proto} is the ClusterIP of service ${svc.metadata.namespace}/${svc.metadata.name}` });
      return viaService(ctx, svc, sp, ctx.srcNode!, "clusterip");
    }
  }
  // 2. LoadBalancer ingress and externalIPs.
  for (const svc of tables.external) {
    const ingress = (svc.status.loadBalancer.ingress ?? []).some((i) => i.ip === ip) && svc.spec.type === "LoadBalancer";
    const extIP = (svc.spec.externalIPs ?? []).includes(ip);
    if (!ingress && !extIP) continue;
    const sp = svcPortMatch(svc, port, proto);
    if (!sp) continue;
    let entry: string | undefined;
    if (ingress) entry = inCluster ? ctx.srcNode : announcingNode(st, svc);
    else entry = nodeOwningIP(st, ip);
    if (!entry) {
      ctx.trace.push({ at: ctx.srcLabel, rule: "route", detail: `no node holds ${ip}; externalIPs are not assigned by Kubernetes (bind it with \`ip addr add\`)` });
      return fail(ctx, "timeout", `Failed to connect to ${ip} port ${port}: Connection timed out`);
    }
    ctx.trace.push({
      at: entry,
      rule: "KUBE-SERVICES",
      detail: `${ip}:${port}/${proto} is ${ingress ? "the LoadBalancer ingress IP" : "an externalIP"} of service ${svc.metadata.namespace}/${svc.metadata.name}${entry !== ctx.srcNode ? ` (packet delivered to ${entry})` : ""}`,
    });
    return viaService(ctx, svc, sp, entry, ingress ? "lb" : "externalip");
  }
  // 3. Loopback: a pod's own network namespace, or (from a node or a hostNetwork pod) the node's.
  const loopback = ip.startsWith("127.") && inCluster;
  if (loopback && ctx.netPod) return deliverToPod(ctx, ctx.netPod, port, "127.0.0.1", ctx.srcNode!);
  // 4. A node address (NodePort or a host port).
  const node = loopback ? ctx.srcNode : nodeOwningIP(st, ip);
  if (node) {
    const svc = tables.byNodePort.get(`${port}/${proto}`);
    const sp = svc && (svc.spec.ports ?? []).find((p) => p.nodePort === port && p.protocol === proto);
    if (svc && sp) {
      ctx.trace.push({ at: node, rule: "KUBE-NODEPORTS", detail: `${ip}:${port}/${proto} is nodePort ${port} of service ${svc.metadata.namespace}/${svc.metadata.name}` });
      return viaService(ctx, svc, sp, node, "nodeport");
    }
    return deliverToHost(ctx, node, ip, port, hostSource(ctx, node, loopback));
  }
  // 5. A pod IP, directly (flannel routes pod CIDRs between nodes).
  const pod = tables.podByIP.get(ip);
  if (pod && !podSpec(st, pod).hostNetwork) {
    if (!inCluster) {
      ctx.trace.push({ at: ctx.srcLabel, rule: "route", detail: `${ip} is a pod IP; pod networks are not routable from outside the cluster` });
      return fail(ctx, "timeout", `Failed to connect to ${ip} port ${port}: Connection timed out`);
    }
    const seen = ctx.srcIP ?? (pod.node === ctx.srcNode ? bridgeIP(st, ctx.srcNode!) : flannelIP(st, ctx.srcNode!));
    ctx.trace.push({ at: ctx.srcNode!, rule: "route", detail: `${ip} is pod ${pod.ns}/${pod.name} on ${pod.node}${pod.node === ctx.srcNode ? " (via cni0)" : " (via flannel.1)"}` });
    return deliverToPod(ctx, pod, port, seen, pod.node!);
  }
  // 6. An external host.
  const ext = st.topo.externalHosts.find((h) => h.ip === ip);
  if (ext) {
    const seen = ctx.srcNode ? nodeIP(st, ctx.srcNode) : ctx.srcIP!;
    return deliverToExternal(ctx, ext.name, port, seen);
  }
  ctx.trace.push({ at: ctx.srcLabel, rule: "route", detail: `nothing answers at ${ip}` });
  return fail(ctx, "timeout", `Failed to connect to ${ip} port ${port}: Connection timed out`);
}

function refusedHere(ctx: Ctx, why: string): RequestResult {
  ctx.trace.push({ at: ctx.srcNode ?? ctx.srcLabel, rule: "REJECT", detail: why });
  return fail(ctx, "refused", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection refused`);
}

function announcingNode(st: ClusterState, svc: Service): string | undefined {
  const nodes = st.topo.nodes.filter((n) => !(n.roles ?? []).includes("master")).map((n) => n.name);
  const pool = nodes.length ? nodes : st.topo.nodes.map((n) => n.name);
  if (svc.spec.externalTrafficPolicy === "Local") {
    const local = readyAddresses(st, svc, undefined).map((a) => a.addr.nodeName).filter((n): n is string => !!n && pool.includes(n));
    if (local.length) return [...local].sort()[0];
  }
  return pool[fnv32a(`${svc.metadata.namespace}/${svc.metadata.name}`) % pool.length];
}

interface Candidate {
  addr: EndpointAddress;
  port: number;
}

// Ready endpoints per (Endpoints object, service port): the Endpoints object is replaced whenever it changes.
const readyCache = new WeakMap<object, Map<string, Candidate[]>>();

function readyAddresses(st: ClusterState, svc: Service, sp: ServicePort | undefined): Candidate[] {
  const ep = st.endpoints[key(svc.metadata.namespace!, svc.metadata.name)];
  if (!ep) return [];
  let perPort = readyCache.get(ep);
  if (!perPort) readyCache.set(ep, (perPort = new Map()));
  const pk = sp ? `${sp.name ?? ""}/${sp.protocol}` : "";
  let hit = perPort.get(pk);
  if (!hit) perPort.set(pk, (hit = computeReady(ep, sp)));
  return hit;
}

// kube-proxy pairs an Endpoints port with a Service port by name and protocol only (its ServicePortName key): a
// hand-written Endpoints port named differently from the Service's, even the only one, gives that port no endpoints.
function computeReady(ep: Endpoints, sp: ServicePort | undefined): Candidate[] {
  const out: Candidate[] = [];
  for (const s of ep.subsets ?? []) {
    const port = sp ? (s.ports ?? []).find((p) => (p.name ?? "") === (sp.name ?? "") && p.protocol === sp.protocol) : s.ports?.[0];
    if (sp && !port) continue;
    for (const a of s.addresses ?? []) out.push({ addr: a, port: port?.port ?? 0 });
  }
  return out;
}

/** kube-proxy's ServicePortName: "<namespace>/<name>:<port name>". */
function svcPortName(svc: Service, sp: ServicePort): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}:${sp.name ?? ""}`;
}

// A service port's chain names (SHA-256 each), per port object of the stored Service; the name text is kept to
// notice a port changed in place.
const chainsOf = new WeakMap<ServicePort, { id: string; svc: string; xlb: string }>();
function portChains(svcId: string, sp: ServicePort): { svc: string; xlb: string } {
  const text = `${svcId}${sp.protocol}`;
  let c = chainsOf.get(sp);
  if (c?.id !== text) chainsOf.set(sp, (c = { id: text, svc: chainName("KUBE-SVC", svcId, sp.protocol), xlb: chainName("KUBE-XLB", svcId, sp.protocol) }));
  return c;
}

/** Why a Service port has no ready endpoint, when the Endpoints object tells more than "none". */
function noEndpointsWhy(ep: Endpoints | undefined, svc: Service, sp: ServicePort, notReady: number): string {
  if (notReady) return ` (${notReady} not ready)`;
  if (!ep) return svc.spec.selector ? "" : " (no selector and no Endpoints written)";
  if ((ep.subsets ?? []).some((s) => s.addresses?.length)) return ` (no Endpoints port is named "${sp.name ?? ""}" with protocol ${sp.protocol})`;
  return "";
}

function viaService(ctx: Ctx, svc: Service, sp: ServicePort, entry: string, mode: Mode): RequestResult {
  const { st } = ctx;
  const svcId = svcPortName(svc, sp);
  const svcChain = portChains(svcId, sp).svc;
  let cands = readyAddresses(st, svc, sp);
  const onlyLocal = (svc.spec.type === "NodePort" || svc.spec.type === "LoadBalancer") && svc.spec.externalTrafficPolicy === "Local";
  const arrival = arrivalAt(ctx, entry);
  const decision = proxyDecision(mode, onlyLocal, arrival);
  // No ready endpoint at all: every way in is a REJECT rule (filter KUBE-SERVICES / KUBE-EXTERNAL-SERVICES), whatever
  // the policy; KUBE-XLB and its DROP exist only while the Service has endpoints somewhere (v1.19 `hasEndpoints`).
  if (!cands.length) {
    const ep = st.endpoints[key(svc.metadata.namespace!, svc.metadata.name)];
    const notReady = (ep?.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
    ctx.trace.push({
      at: entry,
      rule: "REJECT",
      detail: `${svc.metadata.namespace}/${svc.metadata.name} has no endpoints${noEndpointsWhy(ep, svc, sp, notReady)}`,
    });
    return fail(ctx, "refused", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection refused`);
  }
  const local = decision.localOnly ? cands.filter((c) => c.addr.nodeName === entry) : cands;
  if (decision.xlb) ctx.trace.push({ at: entry, rule: portChains(svcId, sp).xlb, detail: decision.localOnly ? `${decision.why}: ${local.length} of ${cands.length} ready endpoints are on ${entry}` : decision.why });
  if (!local.length) {
    ctx.trace.push({ at: entry, rule: "KUBE-MARK-DROP", detail: `${svc.metadata.namespace}/${svc.metadata.name} has no local endpoints` });
    return fail(ctx, "timeout", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection timed out`);
  }
  cands = local;
  if (decision.masq) ctx.trace.push({ at: entry, rule: "KUBE-MARK-MASQ", detail: `${decision.why}: will be SNATed` });
  const chosen = pickEndpoint(ctx, svc, sp, cands, svcChain, entry, arrival.src);
  const epIP = chosen.addr.ip;
  const hairpin = arrival.src === epIP;
  // Without a targetRef (hand-written Endpoints, default/kubernetes) the address alone decides: a pod's own IP, or a
  // node's address, where whatever listens in its host network answers (deliverToHost).
  const targetPod = chosen.addr.targetRef?.kind === "Pod" ? st.pods[key(chosen.addr.targetRef.namespace ?? svc.metadata.namespace!, chosen.addr.targetRef.name)] : podOnOwnIP(st, epIP);
  const epNode = targetPod?.node ?? chosen.addr.nodeName;
  const inPodNet = !!targetPod && !podSpec(st, targetPod).hostNetwork;
  const egress: Egress = inPodNet ? (epNode === entry ? "cni0" : "flannel.1") : "eth0";
  const egressIP = egress === "cni0" ? bridgeIP(st, entry) : egress === "flannel.1" ? flannelIP(st, entry) : nodeIP(st, entry);
  const masq = decision.masq || hairpin;
  const hostNode = targetPod ? undefined : nodeOwningIP(st, epIP);
  const here = inPodNet ? false : (hostNode ?? epNode) === entry;
  const { ip: seen, by } = seenSource(masq, arrival, egressIP, inPodNet, here);
  if (by === "KUBE-POSTROUTING")
    ctx.trace.push({ at: entry, rule: "POSTROUTING KUBE-POSTROUTING MASQUERADE", detail: `source ${arrival.src} -> ${seen}${hairpin ? " (hairpin: the pod reached itself)" : ""}` });
  else if (by === "flannel") ctx.trace.push({ at: entry, rule: "flannel ip-masq", detail: `source ${arrival.src} -> ${seen} (leaving by ${egress})` });
  const result = targetPod ? deliverToPod(ctx, targetPod, chosen.port, seen, epNode ?? entry) : hostNode ? deliverToHost(ctx, hostNode, epIP, chosen.port, seen) : deliverToEndpointIP(ctx, epIP, chosen.port, seen);
  result.service = { name: svc.metadata.name, namespace: svc.metadata.namespace! };
  return result;
}

/**
 * The packet as it reaches the entry node's rules. A pod's packet to another node's address leaves its own node by
 * eth0 and flannel masquerades it there (`-s <net> ! -d 224.0.0.0/4`): it arrives with that node's address.
 */
function arrivalAt(ctx: Ctx, entry: string): Arrival {
  const { st } = ctx;
  if (ctx.netPod) {
    if (ctx.srcNode === entry) return { src: ctx.srcIP!, local: false, podNet: true };
    const src = nodeIP(st, ctx.srcNode!);
    // It happened on the pod's own node, before the entry node's hop just recorded (KUBE-SERVICES / KUBE-NODEPORTS).
    ctx.trace.splice(ctx.trace.length - 1, 0, { at: ctx.srcNode!, rule: "flannel ip-masq", detail: `pod traffic leaving the pod network is SNATed to ${src}` });
    return { src, local: false, podNet: false };
  }
  if (ctx.srcNode !== undefined) {
    if (ctx.srcNode !== entry) return { src: nodeIP(st, ctx.srcNode), local: false, podNet: false };
    return { src: ctx.dest.ip.startsWith("127.") ? "127.0.0.1" : nodeIP(st, entry), local: true, podNet: false };
  }
  return { src: ctx.srcIP!, local: false, podNet: false };
}

/** An endpoint as iptables and IPVS print it: `ip:port`. A module function, not a closure per request. */
function id(c: Candidate): string {
  return `${c.addr.ip}:${c.port}`;
}

// A candidate of readyAddresses' cached lists belongs to one Service's Endpoints and never changes: its DNAT rule is
// the same on every request it is picked for.
const dnatRules = new WeakMap<Candidate, { rule: string; detail: string }>();
function dnatRule(svc: Service, sp: ServicePort, c: Candidate): { rule: string; detail: string } {
  let r = dnatRules.get(c);
  if (!r) dnatRules.set(c, (r = { rule: chainName("KUBE-SEP", svcPortName(svc, sp), sp.protocol, id(c)), detail: `DNAT to ${id(c)}` }));
  return r;
}

// readyAddresses hands out the same (never mutated) array while an Endpoints object is unchanged: its printed list
// is the same too.
const endpointLists = new WeakMap<Candidate[], string>();
function endpointList(cands: Candidate[]): string {
  let s = endpointLists.get(cands);
  if (s === undefined) endpointLists.set(cands, (s = cands.map(id).join(", ")));
  return s;
}

/**
 * `clientSrc`: the source address at the entry node, which `-m recent` records for sessionAffinity ClientIP (before
 * any SNAT of this node; after flannel's of the pod's own node).
 */
function pickEndpoint(ctx: Ctx, svc: Service, sp: ServicePort, cands: Candidate[], svcChain: string, entry: string, clientSrc: string): Candidate {
  const { st } = ctx;
  const clientKey = clientSrc;
  const affKey = `${svc.metadata.namespace}/${svc.metadata.name}:${sp.port}|${clientKey}`;
  if (svc.spec.sessionAffinity === "ClientIP") {
    const timeout = svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
    const a = st.affinity[affKey];
    const hit = a && st.now - a.at < timeout ? cands.find((c) => id(c) === a.ep) : undefined;
    if (hit) {
      if (a.at !== st.now) noteWrite(st);
      st.affinity[affKey] = { ep: a.ep, at: st.now };
      ctx.trace.push({ at: entry, rule: svcChain, detail: `sessionAffinity ClientIP: ${clientKey} stays on ${a.ep} (recent match)` });
      return hit;
    }
  }
  let chosen: Candidate;
  if (st.topo.proxyMode === "ipvs") {
    const k = `${svc.metadata.namespace}/${svc.metadata.name}:${sp.port}`;
    const i = (st.rr[k] ?? 0) % cands.length;
    if (st.rr[k] !== i + 1) noteWrite(st);
    st.rr[k] = i + 1;
    chosen = cands[i];
    ctx.trace.push({ at: entry, rule: `IPVS ${ctx.dest.ip}:${ctx.dest.port} rr`, detail: `round robin: endpoint ${i + 1} of ${cands.length}: ${id(chosen)}` });
  } else {
    const i = nextInt(st.rng, cands.length);
    chosen = cands[i];
    ctx.trace.push({
      at: entry,
      rule: svcChain,
      detail: `${cands.length} ready endpoint${cands.length === 1 ? "" : "s"} [${endpointList(cands)}]; iptables statistic (random, 1/${cands.length} each) picked ${id(chosen)}`,
    });
  }
  const dnat = dnatRule(svc, sp, chosen);
  ctx.trace.push({ at: entry, rule: dnat.rule, detail: dnat.detail });
  if (svc.spec.sessionAffinity === "ClientIP") {
    const a = st.affinity[affKey];
    if (!a || a.ep !== id(chosen) || a.at !== st.now) noteWrite(st);
    st.affinity[affKey] = { ep: id(chosen), at: st.now };
  }
  return chosen;
}

function appFor(st: ClusterState, p: PodRec, port: number): AppInstance | undefined {
  const spec = podSpec(st, p);
  for (let i = 0; i < spec.containers.length; i++) {
    if (p.c[i]?.state !== "running") continue;
    const app = podApp(p.name, spec.containers[i], p.app ?? {});
    if (listensOn(app, port)) return app;
  }
  return undefined;
}

/** An app state left empty is not kept (a record that had one, even empty, is then written). */
function dropApp(st: ClusterState, p: PodRec, had: boolean): void {
  delete p.app;
  if (had) noteWrite(st);
}

function deliverToPod(ctx: Ctx, p: PodRec, port: number, clientIP: string, node: string): RequestResult {
  const { st } = ctx;
  const hadApp = p.app !== undefined;
  const state = (p.app ??= {});
  const app = appFor(st, p, port);
  if (!app) {
    if (!Object.keys(state).length) dropApp(st, p, hadApp);
    ctx.trace.push({ at: `pod ${p.ns}/${p.name}`, rule: "connect", detail: `nothing listens on ${p.ip}:${port} in the pod` });
    return fail(ctx, "refused", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection refused`);
  }
  app.state = state;
  const was = JSON.stringify(state);
  const r = http(ctx, app, clientIP, p.ip!, port);
  if (JSON.stringify(state) !== was) noteWrite(st);
  if (!Object.keys(state).length) dropApp(st, p, hadApp);
  ctx.trace.push({ at: `pod ${p.ns}/${p.name}`, rule: "app", detail: `${app.image} on ${p.ip}:${port} saw client ${clientIP}; HTTP ${r.status}` });
  r.servedBy = { kind: "pod", name: p.name, namespace: p.ns, node, ip: p.ip!, port };
  r.clientIP = clientIP;
  return r;
}

/** A pod whose IP is its own (not a hostNetwork pod sharing its node's address). */
function podOnOwnIP(st: ClusterState, ip: string): PodRec | undefined {
  const p = routeTables(st).podByIP.get(ip);
  return p && !podSpec(st, p).hostNetwork ? p : undefined;
}

/**
 * The source a node's host network sees for a request sent straight to it: the client's own address from outside, a
 * node's from a node, the pod's from a pod on that node, and the pod's node's from a pod elsewhere (it left by eth0
 * and flannel's `-s <net> ! -d 224.0.0.0/4 -j MASQUERADE` took it).
 */
function hostSource(ctx: Ctx, node: string, loopback: boolean): string {
  if (loopback) return "127.0.0.1";
  if (ctx.srcNode === undefined) return ctx.srcIP!;
  if (ctx.netPod && ctx.srcNode === node) return ctx.srcIP!;
  return nodeIP(ctx.st, ctx.srcNode);
}

/**
 * A connection to a node's own address: a hostNetwork pod listening on the port answers, the master's 6443 is the
 * kube-apiserver (TLS: to plain HTTP it answers as Go's net/http does, `400 Bad Request` "Client sent an HTTP request
 * to an HTTPS server."), otherwise nothing listens and the kernel resets it.
 */
function deliverToHost(ctx: Ctx, node: string, ip: string, port: number, clientIP: string): RequestResult {
  const { st } = ctx;
  const hostPod = tableValues(st.pods).find((p) => p.node === node && p.phase === "Running" && podSpec(st, p).hostNetwork && appFor(st, p, port));
  if (hostPod) return deliverToPod(ctx, hostPod, port, clientIP, node);
  if (port === 6443 && st.topo.nodes.some((n) => n.name === node && (n.roles ?? []).includes("master"))) {
    ctx.trace.push({ at: node, rule: "app", detail: `kube-apiserver on ${ip}:6443 (TLS) saw client ${clientIP}; a request without TLS gets HTTP 400` });
    const r = apiserverPlainHttp(ctx);
    r.servedBy = { kind: "node", name: node, node, ip: nodeIP(st, node), port };
    r.clientIP = clientIP;
    return r;
  }
  ctx.trace.push({ at: node, rule: "INPUT", detail: `nothing listens on ${ip}:${port}` });
  return fail(ctx, "refused", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection refused`);
}

const PLAIN_HTTP_TO_TLS = "Client sent an HTTP request to an HTTPS server.\n";

function apiserverPlainHttp(ctx: Ctx): RequestResult {
  return { ok: true, error: undefined, status: 400, statusText: "Bad Request", headers: {}, body: PLAIN_HTTP_TO_TLS, dest: ctx.dest, servedBy: undefined, clientIP: undefined, service: undefined, trace: ctx.trace };
}

function deliverToEndpointIP(ctx: Ctx, ip: string, port: number, clientIP: string): RequestResult {
  const ext = ctx.st.topo.externalHosts.find((h) => h.ip === ip);
  if (!ext) {
    ctx.trace.push({ at: "network", rule: "route", detail: `endpoint ${ip}:${port} does not answer` });
    return fail(ctx, "timeout", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection timed out`);
  }
  return deliverToExternal(ctx, ext.name, port, clientIP);
}

function deliverToExternal(ctx: Ctx, name: string, port: number, clientIP: string): RequestResult {
  const h = ctx.st.topo.externalHosts.find((x) => x.name === name)!;
  const app = externalApp(h);
  if (!h.ports.includes(port)) {
    ctx.trace.push({ at: `host ${h.name}`, rule: "connect", detail: `nothing listens on ${h.ip}:${port}` });
    return fail(ctx, "refused", `Failed to connect to ${ctx.dest.ip} port ${ctx.dest.port}: Connection refused`);
  }
  const r = http(ctx, app, clientIP, h.ip, port);
  ctx.trace.push({ at: `host ${h.name}`, rule: "app", detail: `${h.image} on ${h.ip}:${port} saw client ${clientIP}` });
  r.servedBy = { kind: "external", name: h.name, ip: h.ip, port };
  r.clientIP = clientIP;
  return r;
}

function http(ctx: Ctx, app: AppInstance, clientIP: string, serverIP: string, port: number): RequestResult {
  const req = ctx.req;
  // curl's own headers unless the caller sent one of the same name (header names are case-insensitive)
  const given = req.headers ?? {};
  const own = Object.entries({ Host: ctx.hostHeader, "User-Agent": "curl/7.29.0", Accept: "*/*" }).filter(([k]) => headerOf(given, k) === undefined);
  const headers: Record<string, string> = { ...Object.fromEntries(own), ...given };
  if (req.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const method = req.method ?? (req.body !== undefined ? "POST" : "GET");
  const r = serveHttp(app, { method, path: req.path ?? "/", body: req.body, headers, clientIP, serverIP, port });
  return { ok: true, error: undefined, status: r.status, statusText: r.statusText, headers: r.headers, body: r.body, dest: ctx.dest, servedBy: undefined, clientIP: undefined, service: undefined, trace: ctx.trace };
}

// The public face of the engine: one simulated cluster, its typed operations, and the terminal (`exec`).
// Every operation runs the controllers to a fixed point before returning, so what the caller reads next is what
// a settled real cluster would show. The whole state is `toJSON()`; `fromJSON` restores it exactly.
import { byteCompare } from "./printers/gojson.ts";
import type { AnyObject, KubeEvent } from "./objects.ts";
import type { ClusterState } from "./state.ts";
import type { ApplyMode, ApplyResult, DnsResult, ReverseDnsResult, ExecOptions, ExecResult, HttpRequest, Kind, LabelChange, LabelResult, ListOptions, RequestResult, TopologyInput } from "./types.ts";
import { initialState } from "./init.ts";
import { rfc3339 } from "./clock.ts";
import { ClientError, KubeError, notFound } from "./errors.ts";
import { eventObjects } from "./events.ts";
import { derivedObjects, isDerivedKind } from "./derived.ts";
import { resourceFor } from "./resources.ts";
import { getObject, listObjects, listPodRecords, objKey, tableFor } from "./store.ts";
import { readPod } from "./pod-reads.ts";
import { key, own, tableEntries } from "./state.ts";
import { parseManifest } from "./apiserver/manifest.ts";
import { applyDoc, store } from "./apiserver/apply.ts";
import { deleteObject, labelObject, scaleObject } from "./apiserver/ops.ts";
import { advanceClock, reconcile } from "./controllers/reconcile.ts";
import { routeRequest } from "./network/proxy.ts";
import { lookup, reverseLookup } from "./network/dns.ts";
import { nodeInterfaces, type Interface } from "./network/interfaces.ts";
import { matchesSelector, parseSelector } from "./labels/index.ts";
import { execLine } from "./shell/exec.ts";
import { isIPv4, parseCidr } from "./ipnet.ts";
import { structuredCloneJson } from "./apiserver/merge.ts";
import { withServerDefaults } from "./apiserver/server-defaults.ts";
import { annotateObject, type AnnotationChange } from "./apiserver/annotate.ts";
import { fromStored, toStored, toStoredText } from "./serialize.ts";
import { HOME, resolvePath } from "./paths.ts";
import { injectSystem } from "./kubeadm/system.ts";
import { taintNode, type TaintChange } from "./apiserver/taint.ts";
import { readForm, recordUpdate, withManagedFields } from "./apiserver/managed-fields.ts";
import { ChangeMark, changeChecks, noteWrite } from "./change-mark.ts";
import { StaleStoredMemoError, storedMemoVerifying } from "./stored-memo.ts";

const MAX_ADVANCE_SECONDS = 10 * 365 * 86400;

export interface CreateOptions {
  seed?: number;
  topology?: TopologyInput;
}

type ApplyOpts = { namespace?: string; namespaceExplicit?: boolean; mode?: ApplyMode; source?: string; manager?: string };

export class Cluster {
  private st: ClusterState;
  private marks: ChangeMark | undefined;
  /** The text fromJSON parsed (keepText), while the state is still the one it holds: toJSONText's first answer. */
  private loaded: { text: string; mark: number } | undefined;
  /** Public writes under way (changeChecks checks the outermost one). */
  private writing = 0;
  /** A dryRunCopy: writes are admitted and stored, and no controller runs after them. */
  private admitOnly = false;
  /**
   * The last request `request()` routed on this object, and its answer — an observation, not state: never saved, not
   * part of the cluster (a parsed copy starts without one). What the lab page's picture shows as "the last request"
   * is this, taken when the line that sent it ran (api/run-index.ts), instead of a replay of the run.
   */
  lastRouted: { request: HttpRequest; result: RequestResult } | null = null;

  private constructor(st: ClusterState) {
    this.st = st;
  }

  static create(opts: CreateOptions = {}): Cluster {
    const c = new Cluster(initialState(opts.seed ?? 1, opts.topology));
    injectSystem(c.st);
    reconcile(c.st);
    return c;
  }

  /**
   * Restore a cluster from `toJSON()` output (an object or its JSON text). `keepText`: the text is one this engine's
   * toJSONText wrote (a lab's kept start), so the next toJSONText may answer it as it is while nothing has changed
   * (a reset parses and saves at once); it is kept only until that call.
   */
  static fromJSON(json: unknown, opts: { keepText?: boolean } = {}): Cluster {
    const c = new Cluster(fromStored(json));
    if (opts.keepText && typeof json === "string") c.loaded = { text: json, mark: c.changeMark() };
    return c;
  }

  /** The stored form: JSON-serialisable, compact, and byte-identical for identical histories. */
  toJSON(): unknown {
    return toStored(this.st);
  }

  /**
   * A copy that nothing saves, for a server-side dry run (kubectl --dry-run=server, the API's ?dryRun=All): writes are
   * admitted, validated and answered on it as on the cluster, which stays as it was; no controller acts on them.
   */
  dryRunCopy(): Cluster {
    const c = Cluster.fromJSON(toStoredText(this.st));
    c.admitOnly = true;
    return c;
  }

  /** After a write: the controllers run (the cluster settles), except on a dry run's copy, whose answer is the
   * object as the apiserver admitted it. */
  private settle(): void {
    if (!this.admitOnly) reconcile(this.st);
  }

  /** `JSON.stringify(c.toJSON())`, without the intermediate copy (what persistence writes). */
  toJSONText(): string {
    const loaded = this.loaded;
    if (loaded) {
      this.loaded = undefined;
      if (this.changeMark() === loaded.mark) {
        if (storedMemoVerifying() && toStoredText(this.st) !== loaded.text) throw new StaleStoredMemoError("the cluster (the text it was parsed from)");
        return loaded.text;
      }
    }
    return toStoredText(this.st);
  }

  /**
   * A number that moves whenever the state changes: two equal answers mean toJSONText would give the same text at
   * both times (engine/change-mark.ts). Lets a caller that holds the text of an earlier mark skip serialising.
   */
  changeMark(): number {
    return (this.marks ??= new ChangeMark(this.st)).current();
  }

  /** `run`, a public write; under changeChecks (the test suite) one that leaves the mark must leave the text. */
  private write<T>(what: string, run: () => T, line?: string): T {
    if (!changeChecks.on || this.writing > 0) return run();
    const mark = this.changeMark();
    const before = toStoredText(this.st);
    this.writing++;
    try {
      return run();
    } finally {
      this.writing--;
      changeChecks.checked++;
      if (this.changeMark() === mark && toStoredText(this.st) !== before) changeChecks.violations.push(`${what}${line === undefined ? "" : ` ${JSON.stringify(line)}`} changed the cluster's stored text without moving its change mark`);
    }
  }

  /** Direct access for the engine's own modules (shell, grader); callers outside engine/ use the methods. */
  get state(): ClusterState {
    return this.st;
  }

  // ---- Time ----
  now(): string {
    return rfc3339(this.st.now);
  }
  nowSeconds(): number {
    return this.st.now;
  }
  /** Let virtual time pass (at most ten years per call: the clock has to stay a valid date). */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new ClientError(`invalid duration: ${seconds}`);
    this.write("advance", () => advanceClock(this.st, Math.min(seconds, MAX_ADVANCE_SECONDS)));
  }

  // ---- Hosts and files ----
  hosts(): { name: string; ip: string; podCIDR: string; roles: string[] }[] {
    return this.st.topo.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR, roles: n.roles ?? [] }));
  }
  hostInterfaces(node: string): Interface[] {
    return nodeInterfaces(this.st, node);
  }
  addHostIP(node: string, cidr: string, dev = "eth0"): void {
    this.write("addHostIP", () => {
      const [ip, bits] = cidr.split("/");
      if (!isIPv4(ip) || (bits !== undefined && !parseCidr(cidr))) throw new ClientError(`Error: any valid prefix is expected rather than "${cidr}".`);
      if (dev !== "eth0") throw new ClientError(`Cannot find device "${dev}"`);
      // (a refused address still leaves the node's list, empty: the stored text has it)
      if (!Object.hasOwn(this.st.hostAddrs, node)) noteWrite(this.st);
      const list = (this.st.hostAddrs[node] ??= []);
      const entry = `${ip}/${bits ?? 32} ${dev}`;
      if (list.some((e) => e.split("/")[0] === ip) || this.st.topo.nodes.find((n) => n.name === node)?.ip === ip)
        throw new ClientError("RTNETLINK answers: File exists");
      list.push(entry);
      noteWrite(this.st);
    });
  }
  delHostIP(node: string, cidr: string, dev = "eth0"): void {
    this.write("delHostIP", () => {
      const ip = cidr.split("/")[0];
      const list = this.st.hostAddrs[node] ?? [];
      const i = list.findIndex((e) => e.split("/")[0] === ip && e.endsWith(` ${dev}`));
      if (i < 0) throw new ClientError("RTNETLINK answers: Cannot assign requested address");
      list.splice(i, 1);
      noteWrite(this.st);
    });
  }
  /** Put a file on a host. Relative paths are relative to root's home (`/root`), where every terminal starts. */
  writeFile(path: string, text: string, host = "master01"): void {
    this.write("writeFile", () => {
      const p = resolvePath(HOME, path);
      const files = this.st.files[host];
      if (files && Object.hasOwn(files, p) && files[p] === text) return;
      (this.st.files[host] ??= {})[p] = text;
      noteWrite(this.st);
    });
  }
  /** Remove a file from a host (nothing when it has none). */
  removeFile(path: string, host = "master01"): void {
    this.write("removeFile", () => {
      const files = this.st.files[host];
      const p = resolvePath(HOME, path);
      if (!files || !Object.hasOwn(files, p)) return;
      delete files[p];
      noteWrite(this.st);
    });
  }
  readFile(path: string, host = "master01"): string | undefined {
    return this.st.files[host]?.[resolvePath(HOME, path)];
  }
  listFiles(host = "master01"): string[] {
    return Object.keys(this.st.files[host] ?? {}).sort();
  }

  // ---- Terminal ----
  exec(line: string, opts: ExecOptions = {}): ExecResult {
    return this.write("exec", () => execLine(this, line, opts), line);
  }

  // ---- API operations ----
  /** Apply (or create) every object of a manifest; one result per object, errors per object. */
  /** `manager`: the field manager (kubectl's default for the mode when not given). */
  apply(manifest: string | Record<string, unknown>[], opts: ApplyOpts = {}): ApplyResult[] {
    return this.write("apply", () => this.applyDocs(manifest, opts));
  }

  private applyDocs(manifest: string | Record<string, unknown>[], opts: ApplyOpts): ApplyResult[] {
    const source = opts.source ?? "STDIN";
    let docs;
    try {
      docs = typeof manifest === "string" ? parseManifest(manifest, source) : manifest.map((obj, i) => ({ obj, index: i + 1 }));
    } catch (e) {
      if (e instanceof ClientError) return [{ kind: "", name: "", resource: "", error: e }];
      throw e;
    }
    const out: ApplyResult[] = [];
    for (const d of docs) {
      out.push(applyDoc(this.st, d, { ...opts, source }));
      this.settle();
    }
    return out;
  }

  /**
   * A copy the caller may keep or change — except a pod's parts below its top level and metadata, which are shared
   * between reads and frozen (engine/pod-reads.ts): copy a pod (structuredCloneJson) before changing its spec or status.
   */
  get(kind: Kind, name: string, namespace?: string): AnyObject {
    if (kind === "Event") {
      const ev = eventObjects(this.events()).find((e) => e.metadata.name === name && e.metadata.namespace === (namespace ?? "default"));
      if (!ev) throw notFound("events", name);
      return ev as unknown as AnyObject;
    }
    if (isDerivedKind(kind)) {
      const o = derivedObjects(this.st, kind, namespace ?? "default").find((x) => x.metadata.name === name);
      if (!o) throw notFound(resourceFor(kind).qualified, name);
      return o;
    }
    if (kind === "Pod") {
      const p = own(this.st.pods, objKey(kind, name, namespace));
      if (!p) throw notFound(resourceFor(kind).qualified, name);
      return readPod(this.st, p);
    }
    const o = getObject(this.st, kind, name, namespace);
    return withManagedFields(this.st, withServerDefaults(structuredCloneJson(o), this.st));
  }

  /** How many objects of `kind` the cluster holds (in every namespace): list(kind).length without the copies. */
  count(kind: Kind): number {
    if (isDerivedKind(kind)) return derivedObjects(this.st, kind).length;
    return kind === "Pod" ? Object.keys(this.st.pods).length : Object.keys(tableFor(this.st, kind)).length;
  }

  list(kind: Kind, opts: ListOptions = {}): AnyObject[] {
    const except = opts.exceptNamespace;
    if (kind === "Event") {
      const match = labelMatcher(opts.selector);
      const evs = eventObjects(this.events()).filter(
        (e) => (opts.namespace === undefined || e.metadata.namespace === opts.namespace) && (except === undefined || e.metadata.namespace !== except) && (!match || match(e.metadata.labels)),
      );
      // in storage-key order, as etcd lists them (namespace, then name: each object's events together, oldest first),
      // which is why v1.19's `kubectl get events` reads grouped by object and wants --sort-by to read in time order
      const keyOf = (e: (typeof evs)[number]) => `${e.metadata.namespace}/${e.metadata.name}`;
      return evs.sort((a, b) => byteCompare(keyOf(a), keyOf(b))) as unknown as AnyObject[];
    }
    if (isDerivedKind(kind)) {
      const match = labelMatcher(opts.selector);
      return derivedObjects(this.st, kind, opts.namespace).filter((o) => (except === undefined || o.metadata.namespace !== except) && (!match || match(o.metadata.labels)));
    }
    // (the objects left out are left out before they are copied)
    if (kind === "Pod") {
      const recs = listPodRecords(this.st, opts.namespace, labelMatcher(opts.selector));
      return (except === undefined ? recs : recs.filter((p) => p.ns !== except)).map((p) => readPod(this.st, p));
    }
    const found = listObjects(this.st, kind, opts.namespace, labelMatcher(opts.selector));
    const all = except === undefined ? found : found.filter((o) => o.metadata.namespace !== except);
    return structuredCloneJson(all).map((o) => withManagedFields(this.st, withServerDefaults(o, this.st)));
  }

  /** `gracePeriodSeconds` as DeleteOptions carry it: pods only; 0 removes at once, undefined = the pod's own period. */
  delete(kind: Kind, name: string, namespace?: string, opts: { gracePeriodSeconds?: number } = {}): AnyObject {
    return this.write("delete", () => {
      const o = deleteObject(this.st, kind, name, namespace, opts.gracePeriodSeconds);
      this.settle();
      return o;
    });
  }

  /**
   * Let virtual time pass until a pod being deleted gracefully is gone (its deletionTimestamp): what kubectl delete
   * waits for. Nothing when it is gone already or is not being deleted, or on a dry run's copy (nothing is deleted
   * there: no controller acts on it, and its clock does not move).
   */
  awaitDeletion(name: string, namespace = "default"): void {
    if (this.admitOnly) return;
    const rec = own(this.st.pods, key(namespace, name));
    if (rec?.deleting !== undefined) this.advance(Math.max(0, rec.deleting - this.st.now));
  }

  /** kubectl annotate's change: keys set (existing ones only with overwrite) and keys removed. */
  annotate(kind: Kind, name: string, namespace: string | undefined, change: AnnotationChange): { resource: string; name: string } {
    return this.write("annotate", () => {
      const before = readForm(this.st, kind, name, namespace);
      const r = annotateObject(this.st, kind, name, namespace, change);
      recordUpdate(this.st, kind, name, namespace, change.manager ?? "kubectl-annotate", before);
      this.settle();
      return r;
    });
  }

  label(kind: Kind, name: string, namespace: string | undefined, change: LabelChange): LabelResult {
    return this.write("label", () => {
      const before = readForm(this.st, kind, name, namespace);
      const r = labelObject(this.st, kind, name, namespace, change);
      recordUpdate(this.st, kind, name, namespace, change.manager ?? "kubectl-label", before);
      this.settle();
      return r;
    });
  }

  /** kubectl taint: add, overwrite or remove a node's taints; whether anything changed. */
  taint(node: string, change: TaintChange): boolean {
    return this.write("taint", () => {
      const before = readForm(this.st, "Node", node, undefined);
      const changed = taintNode(this.st, node, change);
      recordUpdate(this.st, "Node", node, undefined, "kubectl-taint", before);
      this.settle();
      return changed;
    });
  }

  scale(kind: Kind, name: string, namespace: string | undefined, replicas: number): void {
    this.write("scale", () => {
      scaleObject(this.st, kind, name, namespace, replicas);
      this.settle();
    });
  }

  /**
   * Replace an object wholesale (kubectl replace / edit / set / rollout, a PUT or a patch through the API);
   * validation as on update. `manager`: the field manager (kubectl replace's by default).
   */
  replace(obj: Record<string, unknown>, opts: { manager?: string } = {}): void {
    this.write("replace", () => {
      const kind = String(obj.kind) as Kind;
      const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
      const live = getObject(this.st, kind, meta.name ?? "", meta.namespace);
      const before = readForm(this.st, kind, live.metadata.name, live.metadata.namespace);
      store(this.st, kind, structuredCloneJson(obj), live.metadata.name, live.metadata.namespace, live);
      recordUpdate(this.st, kind, live.metadata.name, live.metadata.namespace, opts.manager ?? "kubectl-replace", before);
      this.settle();
    });
  }

  /**
   * Send requests and leave no trace: what a request changes (the RNG's position, session-affinity and
   * round-robin records, the apps' state such as demoapp's readyz flag) is put back afterwards. The grader uses
   * this so checking a student's cluster never changes it.
   */
  requestDetached(reqs: HttpRequest[]): RequestResult[] {
    return this.write("requestDetached", () => this.sendDetached(reqs));
  }

  private sendDetached(reqs: HttpRequest[]): RequestResult[] {
    const st = this.st;
    const saved = { rng: st.rng.s, affinity: st.affinity, rr: st.rr, apps: new Map<string, Record<string, string> | undefined>() };
    for (const [k, p] of tableEntries(st.pods)) saved.apps.set(k, p.app ? { ...p.app } : undefined);
    st.affinity = { ...st.affinity };
    st.rr = { ...st.rr };
    try {
      return reqs.map((r) => routeRequest(st, r));
    } finally {
      st.rng.s = saved.rng;
      st.affinity = saved.affinity;
      st.rr = saved.rr;
      for (const [k, p] of tableEntries(st.pods)) {
        const app = saved.apps.get(k);
        if (app) p.app = app;
        else delete p.app;
      }
    }
  }

  /** Send one request. It changes only app state and affinity records; controllers react on the next tick. */
  request(req: HttpRequest): RequestResult {
    const result = this.write("request", () => routeRequest(this.st, req));
    this.lastRouted = { request: req, result };
    return result;
  }

  dnsLookup(name: string, opts: { fromPod?: string; namespace?: string; server?: string } = {}): DnsResult {
    const pod = opts.fromPod ? this.st.pods[key(opts.namespace ?? "default", opts.fromPod)] : undefined;
    return lookup(this.st, name, { fromPod: pod, ...(opts.server ? { server: opts.server } : {}) });
  }

  /** A reverse (PTR) lookup of an IPv4 address, from a pod (cluster DNS) or from a node (the upstream resolver). */
  dnsReverse(ip: string, opts: { fromPod?: string; namespace?: string; server?: string } = {}): ReverseDnsResult {
    const pod = opts.fromPod ? this.st.pods[key(opts.namespace ?? "default", opts.fromPod)] : undefined;
    return reverseLookup(this.st, ip, { fromPod: pod, ...(opts.server ? { server: opts.server } : {}) });
  }

  /** Events of the last hour (the apiserver's event TTL), oldest first. */
  events(namespace?: string, involved?: { kind: string; name: string }): KubeEvent[] {
    const cutoff = rfc3339(this.st.now - 3600);
    return structuredCloneJson(
      this.st.events.filter(
        (e) =>
          e.lastTimestamp >= cutoff &&
          (namespace === undefined || e.namespace === namespace) &&
          (!involved || (e.involvedObject.kind === involved.kind && e.involvedObject.name === involved.name)),
      ),
    );
  }
}


/** The label filter of `list({ selector })`: none for a missing or blank selector (a bad one throws). */
export function labelMatcher(selector: string | undefined): ((labels: Record<string, string> | undefined) => boolean) | undefined {
  const sel = selector !== undefined && selector.trim() !== "" ? parseSelector(selector) : undefined;
  return sel ? (labels: Record<string, string> | undefined) => matchesSelector(sel, labels ?? {}) : undefined;
}

export { KubeError, ClientError };

// The engine's operation types: what the typed operations of `Cluster` take and return. The terminal (`exec`), the
// GraphQL API and the grader all speak these.
import type { ClientError, KubeError } from "./errors.ts";

export type Kind = "Namespace" | "Node" | "Pod" | "Deployment" | "ReplicaSet" | "DaemonSet" | "Service" | "Endpoints" | "EndpointSlice" | "Event" | "Lease" | "ServiceAccount" | "Secret";

// ---- Topology ----
export interface NodeSpecInput {
  name: string;
  ip: string; // InternalIP on eth0
  podCIDR: string; // e.g. 10.244.5.0/24
  roles?: string[]; // ["master"] gives the control-plane label and NoSchedule taint
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  /** Extra IPs already bound on eth0 (prefix length included), e.g. "192.168.2.6/21". */
  extraIPs?: string[];
}
export interface ExternalHostInput {
  name: string;
  ip: string;
  /** What answers there: a simulated app image ("mysql:5.7", "nginx", "ikubernetes/demoapp:v1.0") on ports. */
  image: string;
  ports: number[];
  /** For mysql: accepted password for root. */
  password?: string;
}
export interface TopologyInput {
  nodes?: NodeSpecInput[];
  serviceCIDR?: string; // default 10.96.0.0/12
  nodePortRange?: [number, number]; // default [30000, 32767]
  clusterDomain?: string; // default cluster.local
  externalHosts?: ExternalHostInput[];
  /** LoadBalancer IP pool (e.g. MetalLB-like); none = EXTERNAL-IP stays <pending>. Items: "a.b.c.d-a.b.c.e" or single IPs or CIDRs. */
  loadBalancerPool?: string[];
  /** Node network prefix length shown by `ip a` (the course: 21). */
  nodePrefixLength?: number;
  proxyMode?: "iptables" | "ipvs";
  /** Virtual clock start, RFC3339. */
  startTime?: string;
  /** IP of the student's laptop / outside client. */
  externalClientIP?: string;
}

// ---- Apply ----
export type ApplyAction = "created" | "configured" | "unchanged" | "replaced";
export interface ApplyResult {
  kind: string;
  name: string;
  namespace?: string;
  /** e.g. "service", "deployment.apps" — what kubectl prints before `/name`. */
  resource: string;
  action?: ApplyAction;
  /** A line kubectl prints on stderr before the result (e.g. the missing last-applied annotation warning). */
  warning?: string;
  error?: KubeError | ClientError;
}
/** `replace`: kubectl replace -f (a PUT of the whole object; it must exist). */
export type ApplyMode = "apply" | "create" | "replace";

// ---- Label ----
export interface LabelChange {
  set?: Record<string, string>;
  remove?: string[];
  overwrite?: boolean;
  resourceVersion?: string;
  /** The field manager (`kubectl-label` unless given). */
  manager?: string;
}
export interface LabelResult {
  kind: Kind;
  name: string;
  namespace?: string;
  resource: string; // "pod", "service", "deployment.apps"
  /** Keys asked to be removed that were not there (kubectl prints `label "k" not found.`). */
  notFound: string[];
  changed: boolean;
}

// ---- Requests (kube-proxy + simulated apps) ----
export type RequestSource =
  | { kind: "node"; node: string }
  | { kind: "pod"; pod: string; namespace?: string }
  | { kind: "external"; ip?: string };

export interface HttpRequest {
  from: RequestSource;
  /** IP address or DNS name (resolved from the source: service names only from pods; node names from nodes). */
  host: string;
  port?: number; // default 80
  path?: string; // default "/"
  method?: string; // default GET, POST when a body is given
  body?: string;
  headers?: Record<string, string>;
  protocol?: "TCP" | "UDP" | "SCTP";
}

export interface TraceHop {
  /** Where the packet is: "node01", "pod default/x", "client". */
  at: string;
  /** The rule or decision, in kube-proxy's terms: "KUBE-SERVICES: 10.97.72.1:80 -> KUBE-SVC (demoapp-svc)". */
  rule: string;
  detail?: string;
}

export type NetErrorCode = "resolve" | "refused" | "timeout" | "unreachable";
export interface RequestResult {
  ok: boolean;
  error?: { code: NetErrorCode; message: string };
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The resolved destination IP:port the client connected to. */
  dest: { ip: string; port: number };
  servedBy?: { kind: "pod" | "external" | "node"; name: string; namespace?: string; node?: string; ip: string; port: number };
  /** The source IP as the backend saw it (after any SNAT). */
  clientIP?: string;
  /** The Service that handled it, when one did. */
  service?: { name: string; namespace: string };
  trace: TraceHop[];
}

// ---- DNS ----
export interface DnsResult {
  name: string; // the FQDN tried
  found: boolean;
  cname?: string;
  addresses: string[];
  /** The server that answered (cluster DNS 10.96.0.10 from pods; /etc/hosts-ish from nodes). */
  server: string;
  /** No answer at all: cluster DNS has no ready endpoint (coredns scaled to 0, kube-dns deleted). */
  timeout?: boolean;
}

/** A PTR lookup: the address's in-addr.arpa name and the names it has (none: NXDOMAIN). */
export interface ReverseDnsResult {
  arpa: string;
  names: string[];
  server: string;
  timeout?: boolean;
}

// ---- Terminal ----
/**
 * "The page should open its editor on this file": what vi/vim/nano and `kubectl edit` ask of a terminal that can
 * show one. The terminal lets the student edit `content`, then runs `saveCommand` on `host` with the edited text
 * as its stdin (an exec with `stdin`): that writes the file and, for `kubectl edit`, applies the edit and prints
 * kubectl's messages. Quitting without saving runs `cancelCommand` when there is one.
 */
export interface EditorRequest {
  host: string;
  /** Absolute path of the file on that host. */
  path: string;
  content: string;
  /** The file did not exist (vim says `[New]`, nano `[ New File ]`); saving creates it. */
  isNew: boolean;
  /** Which editor the student asked for (the page may mimic its keys: vim's :wq, nano's ^O ^X). */
  editor: "vi" | "vim" | "nano";
  /** For highlighting. */
  syntax: "yaml" | "json" | "text";
  saveCommand: string;
  cancelCommand?: string;
}

export interface ExecOptions {
  host?: string; // a node name or "pod:<ns>/<name>"; default master01
  stdin?: string;
  /** The lines typed before this one, oldest first (what `history` lists and `!!`, `!app` expand from). */
  history?: string[];
  /**
   * Whether a node's bash expands history on this line (default true, as an interactive shell does); a replay of a
   * logged line says false and runs the line the live expansion produced instead (ExecResult.ran).
   */
  historyExpansion?: boolean;
  /** The interactive shell the line runs in: its working directory (default the host's home) ... */
  cwd?: string;
  /** ... and its variables (earlier `export`s and assignments, `?` the last exit status). Given either, the result
   * carries the shell as the line left it (`shell`), for the terminal to send with its next line. */
  env?: Record<string, string>;
}

/** An interactive shell's state between lines: where it is and what it has set. */
export interface ShellContext {
  cwd: string;
  env: Record<string, string>;
}
export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** The line asks the terminal to open an editor on a file (vi, vim, nano, kubectl edit). */
  editor?: EditorRequest;
  /** The shell after the line (`cd`, `export`, `$?`), when the caller ran it in one (ExecOptions cwd/env). */
  shell?: ShellContext;
  /**
   * Set when bash's history expansion changed the line (the line that ran) or failed (false: nothing ran) — what a
   * log keeps so that a replay runs the same line without the history it came from.
   */
  ran?: string | false;
}

export interface ListOptions {
  /** undefined = all namespaces (for namespaced kinds). */
  namespace?: string;
  /** Label selector in string form (`app=demoapp,tier notin (db)`). */
  selector?: string;
  /**
   * Every namespace but this one (a field selector's `metadata.namespace!=`): stored kinds leave its objects out before
   * they are copied (derived kinds and Events are built, then filtered). Cluster-scoped kinds are all listed.
   */
  exceptNamespace?: string;
}

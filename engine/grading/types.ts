// What a lab is once loaded (labs/ validates lab.yaml with zod and produces exactly these shapes), and what
// grading returns. Plain data: a Lab is JSON, so the generated catalog can carry it to Workers and browsers.
import type { HttpRequest, Kind, TopologyInput } from "../types.ts";

// ---- Commands (solution scripts and students' command logs) ----

/** One terminal line run on a host. `wait N` / `sleep N` lines advance the virtual clock by N seconds. */
export interface CommandEntry {
  line: string;
  /** A node name or `pod:<ns>/<name>`; default master01. */
  host?: string;
  /** Standard input (a here-document in a script). */
  stdin?: string;
  /** The terminal's shell the line ran in, when it was not a fresh one at home (a `cd` or `export` before). */
  cwd?: string;
  env?: Record<string, string>;
  /**
   * What bash's history expansion made of `line` when it ran live: the line that ran, or false when the expansion
   * failed and nothing ran. A replay runs that instead of expanding `line` again.
   */
  ran?: string | false;
  /**
   * A mutation made outside the terminal (the API's applyManifest, label, scale, ...), exactly as it reached the
   * engine: replay runs it through the Cluster's typed operation and ignores `line` (kept for display).
   */
  op?: ReplayOp;
}

/**
 * What one API mutation did to the engine, as plain JSON (stored with its command-log entry). Replaying it through
 * the same Cluster call on the same state gives the same state, byte for byte, random choices included.
 */
export type ReplayOp =
  /** Cluster.apply(yaml, namespace ? { namespace, namespaceExplicit: true } : {}). */
  | { op: "apply"; yaml: string; namespace?: string }
  /**
   * Cluster.label on each name in order (the objects a selector picked, when one was given). `set` is a list of
   * [key, value] pairs in the order given: labels land in that order, and a JSONB column would reorder object keys.
   */
  | { op: "label"; kind: Kind; names: string[]; namespace?: string; selector?: string; set: [string, string][]; remove: string[]; overwrite: boolean; manager?: string }
  | { op: "scale"; kind: Kind; name: string; namespace?: string; replicas: number }
  /**
   * Cluster.delete (with the request's grace period); `await`: then Cluster.awaitDeletion, as a DELETE of a pod through
   * the Kubernetes API does for the kubectl that waits for it.
   */
  | { op: "delete"; kind: Kind; name: string; namespace?: string; gracePeriodSeconds?: number; await?: true }
  /**
   * A DELETE of a collection through the Kubernetes API: Cluster.delete on each name in order, then (`await`)
   * Cluster.awaitDeletion on each pod — the graceful deletions run out together, not one after another.
   */
  | { op: "deleteCollection"; kind: Kind; names: string[]; namespace?: string; gracePeriodSeconds?: number; await?: true }
  /**
   * Cluster.apply([JSON.parse(json)], { mode: "create", namespace, namespaceExplicit: true }): a create through the
   * Kubernetes API. The object is kept as JSON text: its key order is part of what the engine stores. `manager`
   * (on create, replace and label): the field manager the request named (kubectl's default when absent).
   */
  | { op: "create"; json: string; namespace?: string; manager?: string }
  /** Cluster.replace(JSON.parse(json)): an update (PUT) or a patch through the Kubernetes API, as the object it wrote. */
  | { op: "replace"; json: string; manager?: string }
  /** Cluster.request(request), `count` times (each consumes the RNG like the live requests did). */
  | { op: "requests"; request: HttpRequest; count: number }
  | { op: "advance"; seconds: number };

// ---- Setup ----
export type SetupStep =
  | { apply: string; source: string } // manifest text (inlined from the lab folder) and the file name it came from
  | { run: string; host?: string } // a terminal command
  | { wait: number }; // advance virtual time (seconds)

export interface LabFile {
  /** Path as the shell sees it (see labs/README.md for the convention). */
  path: string;
  content: string;
  /** Hosts the file is placed on; default: every node. */
  hosts?: string[];
}

// ---- Checks ----

/** Where requests come from: a node's host network, a pod (by name, or the first Running pod matching a selector), or the outside client. */
export type RequestFrom =
  | { node: string }
  | { pod: string; namespace?: string }
  | { podSelector: string; namespace?: string }
  | { external: true; ip?: string };

export interface ResourceCheck {
  type: "resource";
  kind: Kind;
  name: string;
  namespace?: string;
  /** true: the object must NOT exist. */
  absent?: boolean;
  /** A JSON subset the object must contain (objects: keys recursively; arrays: element-wise, same length; null: the field is absent). */
  match?: Record<string, unknown>;
}

export interface SelectCheck {
  type: "select";
  kind: Kind;
  /** Label selector in kubectl's string form (`app=demoapp,tier notin (db)`); "" selects everything. */
  selector: string;
  namespace?: string;
  /** Only count pods that are Ready (kind Pod only). */
  readyOnly?: boolean;
  count?: number;
  min?: number;
  max?: number;
  /** Exactly these names (order ignored). */
  names?: string[];
}

export interface EndpointsCheck {
  type: "endpoints";
  service: string;
  namespace?: string;
  ready?: number;
  minReady?: number;
  notReady?: number;
  /** Every port listed must be present in the Endpoints' subsets (name optional). */
  ports?: { port: number; name?: string; protocol?: string }[];
  /** The ready addresses must be exactly the Ready pods (with an IP) matching this selector. */
  readyPodsMatching?: string;
  /** The ready addresses must be exactly these IPs (order ignored). */
  addresses?: string[];
}

export interface RequestCheck {
  type: "request";
  from: RequestFrom;
  /** `http://host[:port][/path]` or `host[:port][/path]`. `{{…}}` placeholders: see engine/grading/template.ts. */
  url: string;
  count?: number; // default 10
  method?: string;
  body?: string;
  /** success: every request gets an HTTP answer; refused/timeout/fail: every request fails (that way / any way). */
  expect: "success" | "refused" | "timeout" | "fail";
  minDistinctBackends?: number;
  /** Every answering backend is a pod matching this selector. */
  backendsMatching?: string;
  /** Every answering backend is a pod that is Ready (traffic never reaches NotReadyAddresses). */
  onlyReadyBackends?: boolean;
  /** preserved: the backend saw the client's own address; snat: it saw some other address. */
  clientIP?: "preserved" | "snat";
  /** A regular expression every response body must match. */
  bodyMatches?: string;
}

export interface LabelCheck {
  type: "label";
  kind: Kind;
  name: string;
  namespace?: string;
  /** `key` (present, any value) or `key=value`. */
  has?: string[];
  /** `key` (absent) or `key=value` (absent or another value). */
  lacks?: string[];
}

export interface DnsCheck {
  type: "dns";
  /** Resolved as a pod sees it (cluster DNS) when `fromPod`/`fromPodSelector` is given, else as a node sees it. */
  name: string;
  fromPodSelector?: string;
  namespace?: string;
  cname?: string;
  addresses?: string[];
  found?: boolean;
}

export interface CommandCheck {
  type: "command";
  /** A regular expression one logged command line must match. */
  pattern: string;
  /** Human phrasing of what the command does, for the explanation ("describe the Service"). */
  description?: string;
}

export interface HostIPCheck {
  type: "hostIP";
  node: string;
  /** An address (no prefix length) that must be bound on the node (`ip addr add`). */
  ip: string;
}

export type Check = ResourceCheck | SelectCheck | EndpointsCheck | RequestCheck | LabelCheck | DnsCheck | HostIPCheck | CommandCheck;

export interface Checkpoint {
  id: string;
  title: string;
  points: number;
  hint?: string;
  checks: Check[];
}

export interface LabStep {
  title: string;
  /** Markdown. */
  body: string;
}

export interface Lab {
  slug: string;
  /** Position in the catalog (the course's order). */
  order: number;
  title: string;
  summary: string;
  objectives: string[];
  estimatedMinutes: number;
  topology?: TopologyInput;
  files: LabFile[];
  setup: SetupStep[];
  steps: LabStep[];
  checkpoints: Checkpoint[];
  /** The reference solution, parsed from solution.sh. */
  solution: CommandEntry[];
}

// ---- Results ----
export interface CheckResult {
  type: Check["type"];
  passed: boolean;
  /** What was found: on failure, what is wrong and where to look; on success, a short confirmation. */
  explanation: string;
}

export interface CheckpointResult {
  id: string;
  title: string;
  passed: boolean;
  /** Points earned (the checkpoint's points when passed, else 0). */
  points: number;
  maxPoints: number;
  explanation: string;
  checks: CheckResult[];
}

export interface GradeResult {
  lab: string;
  score: number;
  maxScore: number;
  checkpoints: CheckpointResult[];
}

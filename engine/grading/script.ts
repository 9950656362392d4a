// Command scripts: the reference solution (solution.sh) and scripts submitted for offline grading share one
// convention, so a lab author can paste a student's terminal session and replay it.
//
//   - Blank lines and `#` comments are skipped, except `# host: NAME`, which runs the following lines on NAME
//     (a node name, or `pod:<ns>/<name>`) until the next `# host:` line. The first host is master01.
//   - `wait N` / `sleep N` (seconds; `30s`, `2m` also accepted) advance the cluster's virtual clock.
//   - A line ending in `\` continues on the next line.
//   - A here-document (`cmd <<EOF` … `EOF`, the delimiter optionally quoted) is passed to `cmd` as its stdin.
import type { CommandEntry, ReplayOp } from "./types.ts";
import type { HttpRequest, Kind, RequestSource } from "../types.ts";

export const DEFAULT_HOST = "master01";

export class ScriptError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = "ScriptError";
  }
}

export function parseScript(text: string): CommandEntry[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: CommandEntry[] = [];
  let host: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const trimmed = line.trim();
    const hostLine = /^#\s*host:\s*(\S+)\s*$/.exec(trimmed);
    if (hostLine) {
      host = hostLine[1] === DEFAULT_HOST ? undefined : hostLine[1];
      continue;
    }
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const start = i + 1;
    while (line.endsWith("\\") && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i].trimStart();
    let stdin: string | undefined;
    const heredoc = /\s*<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
    if (heredoc) {
      const delim = heredoc[2];
      const body: string[] = [];
      let closed = false;
      while (i + 1 < lines.length) {
        const l = lines[++i];
        if (l.trim() === delim) {
          closed = true;
          break;
        }
        body.push(l);
      }
      if (!closed) throw new ScriptError(`here-document for ${delim} is not closed`, start);
      stdin = body.join("\n") + "\n";
      line = line.slice(0, heredoc.index) + line.slice(heredoc.index + heredoc[0].length);
    }
    const entry: CommandEntry = { line: line.trim() };
    if (host) entry.host = host;
    if (stdin !== undefined) entry.stdin = stdin;
    out.push(entry);
  }
  return out;
}

/** Seconds for a `wait N` / `sleep N` line, or undefined when the line is something else. */
export function waitSeconds(line: string): number | undefined {
  const m = /^(?:wait|sleep)\s+(\d+(?:\.\d+)?)(s|m|h)?\s*$/.exec(line.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : n;
}

/** The script form of a command list (inverse of parseScript for what it produces). */
export function formatScript(entries: CommandEntry[]): string {
  const out: string[] = [];
  let host: string | undefined;
  for (const e of entries) {
    if ((e.host ?? undefined) !== host) {
      out.push(`# host: ${e.host ?? DEFAULT_HOST}`);
      host = e.host;
    }
    if (e.stdin !== undefined) out.push(`${e.line} <<'EOF'`, ...e.stdin.replace(/\n$/, "").split("\n"), "EOF");
    else out.push(e.line);
  }
  return out.join("\n") + "\n";
}

// ---- replay descriptors (the stored JSON of API mutations) ----

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === "string";
const optStr = (v: unknown) => v === undefined || v === null || isStr(v);
const isStrMap = (v: unknown): v is Record<string, string> => isObj(v) && Object.values(v).every(isStr);
const isPairs = (v: unknown): v is [string, string][] => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && isStr(p[1]));
const isNat = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function source(v: unknown): RequestSource | undefined {
  if (!isObj(v)) return undefined;
  if (v.kind === "node" && isStr(v.node)) return { kind: "node", node: v.node };
  if (v.kind === "pod" && isStr(v.pod) && optStr(v.namespace)) return { kind: "pod", pod: v.pod, ...(isStr(v.namespace) ? { namespace: v.namespace } : {}) };
  if (v.kind === "external" && optStr(v.ip)) return { kind: "external", ...(isStr(v.ip) ? { ip: v.ip } : {}) };
  return undefined;
}

function request(v: unknown): HttpRequest | undefined {
  if (!isObj(v) || !isStr(v.host)) return undefined;
  const from = source(v.from);
  if (!from) return undefined;
  if (!(v.port === undefined || isNat(v.port)) || !optStr(v.path) || !optStr(v.method) || !optStr(v.body)) return undefined;
  if (!(v.headers === undefined || isStrMap(v.headers))) return undefined;
  if (!(v.protocol === undefined || v.protocol === "TCP" || v.protocol === "UDP" || v.protocol === "SCTP")) return undefined;
  // Same keys as the object the mutation built, in the same order (only what was there).
  const out: HttpRequest = { from, host: v.host };
  for (const k of Object.keys(v)) if (k !== "from" && k !== "host" && v[k] !== undefined && v[k] !== null) (out as unknown as Record<string, unknown>)[k] = v[k];
  return out;
}

/**
 * A stored replay descriptor checked for shape (it comes back from the database as plain JSON); undefined when it is
 * not one (missing, or written by a version that stored something else): the caller then treats the entry as not
 * replayable. Kinds are not checked here: the Cluster's operation rejects an unknown one.
 */
export function parseReplayOp(v: unknown): ReplayOp | undefined {
  if (!isObj(v)) return undefined;
  const ns = optStr(v.namespace) ? (isStr(v.namespace) ? { namespace: v.namespace } : {}) : undefined;
  if (!ns) return undefined;
  // The field manager a create, replace or label named (absent: the engine's default for the operation).
  if (!optStr(v.manager)) return undefined;
  const manager = isStr(v.manager) && (v.op === "label" || v.op === "create" || v.op === "replace") ? { manager: v.manager } : {};
  switch (v.op) {
    case "apply":
      return isStr(v.yaml) ? { op: "apply", yaml: v.yaml, ...ns } : undefined;
    case "label":
      if (!isStr(v.kind) || !Array.isArray(v.names) || !v.names.every(isStr) || !isPairs(v.set) || !Array.isArray(v.remove) || !v.remove.every(isStr)) return undefined;
      if (typeof v.overwrite !== "boolean" || !optStr(v.selector)) return undefined;
      return {
        op: "label",
        kind: v.kind as Kind,
        names: v.names,
        ...ns,
        ...(isStr(v.selector) ? { selector: v.selector } : {}),
        set: v.set.map(([k, val]) => [k, val] as [string, string]),
        remove: v.remove,
        overwrite: v.overwrite,
        ...manager,
      };
    case "scale":
      return isStr(v.kind) && isStr(v.name) && isNat(v.replicas) ? { op: "scale", kind: v.kind as Kind, name: v.name, ...ns, replicas: v.replicas } : undefined;
    case "delete":
      if (!isStr(v.kind) || !isStr(v.name) || (v.gracePeriodSeconds !== undefined && !isNat(v.gracePeriodSeconds)) || (v.await !== undefined && v.await !== true)) return undefined;
      return { op: "delete", kind: v.kind as Kind, name: v.name, ...ns, ...(isNat(v.gracePeriodSeconds) ? { gracePeriodSeconds: v.gracePeriodSeconds } : {}), ...(v.await ? { await: true as const } : {}) };
    case "deleteCollection":
      if (!isStr(v.kind) || !Array.isArray(v.names) || !v.names.every(isStr) || (v.gracePeriodSeconds !== undefined && !isNat(v.gracePeriodSeconds)) || (v.await !== undefined && v.await !== true)) return undefined;
      return { op: "deleteCollection", kind: v.kind as Kind, names: v.names, ...ns, ...(isNat(v.gracePeriodSeconds) ? { gracePeriodSeconds: v.gracePeriodSeconds } : {}), ...(v.await ? { await: true as const } : {}) };
    case "create":
      return isStr(v.json) ? { op: "create", json: v.json, ...ns, ...manager } : undefined;
    case "replace":
      return isStr(v.json) ? { op: "replace", json: v.json, ...manager } : undefined;
    case "requests": {
      const req = request(v.request);
      return req && isNat(v.count) ? { op: "requests", request: req, count: v.count } : undefined;
    }
    case "advance":
      return typeof v.seconds === "number" && Number.isFinite(v.seconds) && v.seconds >= 0 ? { op: "advance", seconds: v.seconds } : undefined;
  }
  return undefined;
}

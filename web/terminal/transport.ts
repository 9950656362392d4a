// The terminal's transport: one line at a time to the `exec` mutation of the student's cluster. When the answer is
// lost (network, server restart), the line may or may not have run: the transport waits for the server, looks for
// the line in the cluster's command log after the last version it knew, and returns the logged output if it ran —
// or sends it again if it did not. So a line runs once, and nothing typed is dropped.
import { signal, type ReadonlySignal } from "@preact/signals";
import { ERROR_FIELDS, payload, type ApiError, type Client } from "../api/client.ts";

/** What vi/vim/nano and kubectl edit ask of a page that can show an editor (GraphQL `EditorRequest`). */
export interface EditorRequest {
  host: string;
  path: string;
  content: string;
  /** The file did not exist. */
  isNew: boolean;
  editor: "vi" | "vim" | "nano";
  syntax: "yaml" | "json" | "text";
  /** Run with the edited text as stdin when the student saves. */
  saveCommand: string;
  /** Run when the student quits without saving (kubectl edit only). */
  cancelCommand: string | null;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Set when the line opened an editor. */
  editor?: EditorRequest | null;
  /** The shell after the line: its working directory and variables (absent for a line recovered from the log). */
  shell?: { cwd: string; env: Record<string, string> };
}

export interface ClusterStamp {
  version: number;
}

export type RunResult = { ok: true; result: ExecResult; cluster: ClusterStamp; recovered: boolean } | { ok: false; error: ApiError };

export type Connection = { kind: "ok" } | { kind: "lost"; retryInSeconds: number; attempt: number };

export interface Transport {
  /** `stdin`: the text the line reads (an editor's save). */
  /** `cwd`/`env`: the shell the line runs in (the result's `shell` is that shell after it). */
  run(line: string, at: { host: string; cwd: string; env: Record<string, string>; stdin?: string }): Promise<RunResult>;
  /** The connection as the last request found it. */
  connection: ReadonlySignal<Connection>;
  /** The cluster version the last answer carried (null before the first). */
  version: ReadonlySignal<number | null>;
  /** The page read the cluster at this version (lines after it are its own, or another tab's). */
  seen(version: number): void;
}

export const EXEC = `mutation Exec($id: ID!, $command: String!, $host: String, $stdin: String, $cwd: String, $env: [ShellVariableInput!]) {
  exec(input: { clusterId: $id, command: $command, host: $host, stdin: $stdin, cwd: $cwd, env: $env }) {
    ${ERROR_FIELDS}
    ... on ExecPayload { stdout stderr exitCode cwd env { name value } cluster { version } editor { host path content isNew editor syntax saveCommand cancelCommand } }
  }
}`;

export const EXEC_LOG = `query ExecLog($id: ID!) {
  cluster(id: $id) { version commandLog(last: 50) { edges { node { seq operation input host stdout stderr exitCode } } } }
}`;

interface LogEntry {
  seq: number;
  operation: string;
  input: string | null;
  host: string | null;
  stdout: string | null;
  stderr: string | null;
  exitCode: number | null;
}

export function retryDelaySeconds(attempt: number): number {
  return Math.min(10, 2 ** Math.min(attempt, 4) / 2);
}

export interface TransportOptions {
  /** The cluster's version when the page loaded it (lines after it are looked for after a lost answer). */
  version?: number | null;
  /** Waits (tests pass an instant one). */
  sleep?: (ms: number) => Promise<void>;
}

export function createGraphQLTransport(client: Client, clusterId: string, opts: TransportOptions = {}): Transport {
  const connection = signal<Connection>({ kind: "ok" });
  const version = signal<number | null>(opts.version ?? null);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  const send = async (line: string, at: { host: string; cwd: string; env: Record<string, string>; stdin?: string }): Promise<RunResult> => {
    const env = Object.entries(at.env).map(([name, value]) => ({ name, value }));
    const r = payload<Omit<ExecResult, "shell"> & { cwd: string; env: { name: string; value: string }[]; cluster: ClusterStamp }>(
      await client.request(EXEC, { id: clusterId, command: line, host: at.host, stdin: at.stdin, cwd: at.cwd, env }),
      "exec",
    );
    if (!r.ok) return r;
    const { stdout, stderr, exitCode, editor } = r.data;
    const shell = { cwd: r.data.cwd, env: Object.fromEntries(r.data.env.map((v) => [v.name, v.value])) };
    return { ok: true, result: { stdout, stderr, exitCode, editor: editor ?? null, shell }, cluster: r.data.cluster, recovered: false };
  };

  /** After a lost answer: the line's log entry if it ran, null if it did not, an error if the cluster is gone. */
  const findInLog = async (line: string, host: string, since: number | null): Promise<RunResult | null> => {
    const r = await client.request<{ cluster: (ClusterStamp & { commandLog: { edges: { node: LogEntry }[] } }) | null }>(EXEC_LOG, { id: clusterId });
    if (!r.ok) return r;
    if (!r.data.cluster) return { ok: false, error: { kind: "typed", code: "NotFoundError", message: `cluster "${clusterId}" not found` } };
    const entries = r.data.cluster.commandLog.edges.map((e) => e.node);
    const hit = since === null ? undefined : entries.find((e) => e.seq > since && e.operation === "exec" && e.input === line && (e.host ?? "master01") === host);
    if (!hit) return null;
    return {
      ok: true,
      result: { stdout: hit.stdout ?? "", stderr: hit.stderr ?? "", exitCode: hit.exitCode ?? 0 },
      cluster: { version: r.data.cluster.version },
      recovered: true,
    };
  };

  return {
    connection,
    version,
    seen(v) {
      if (version.peek() === null || v > version.peek()!) version.value = v;
    },
    async run(line, at) {
      const since = version.peek();
      let r = await send(line, at);
      for (let attempt = 0; !r.ok && r.error.kind === "network"; attempt++) {
        const wait = retryDelaySeconds(attempt);
        connection.value = { kind: "lost", retryInSeconds: wait, attempt: attempt + 1 };
        await sleep(wait * 1000);
        const found = await findInLog(line, at.host, since);
        if (found === null) r = await send(line, at);
        else r = found;
      }
      connection.value = { kind: "ok" };
      if (r.ok) version.value = r.cluster.version;
      return r;
    },
  };
}

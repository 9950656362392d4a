// Real clients against a real kubelab server: the app on a loopback port, a kubeconfig from the API, and the real
// kubectl v1.20 (KUBELAB_KUBECTL, else /opt/kubectl-1.20/usr/bin/kubectl) or python3-kubernetes. Missing: the tests
// are skipped with one line; under CI (CI=true) they fail instead.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { App } from "../../api/app.ts";
import type { Principal } from "../../api/auth.ts";
import { DEFAULT_ISSUER } from "../../api/auth.ts";
import { kubeconfigFor } from "../../api/k8s/kubeconfig.ts";
import { afterAll, beforeAll } from "vitest";
import { TEST_SECRET, createTestApp, type TestApp } from "./db-app.ts";

export const KUBECTL = process.env.KUBELAB_KUBECTL || "/opt/kubectl-1.20/usr/bin/kubectl";
export const PYTHON = process.env.KUBELAB_PYTHON || "/usr/bin/python3";

/** The one line a test prints when its client is missing (and throws under CI). */
export function requireClient(what: string, found: boolean, install: string): boolean {
  if (found) return true;
  const line = `${what} not found: skipping (install: ${install})`;
  if (process.env.CI === "true") throw new Error(`${line} — CI must run these tests`);
  console.warn(line);
  return false;
}

export const hasKubectl = () => requireClient(`real kubectl v1.20 (${KUBECTL}, env KUBELAB_KUBECTL)`, existsSync(KUBECTL), "apt-get download kubernetes-client && dpkg-deb -x kubernetes-client_*.deb /opt/kubectl-1.20");

// kubectl sends a token only over TLS (clientcmd merges user credentials into a config only for https servers), so
// the tests serve HTTPS with a self-signed test certificate for 127.0.0.1 (tests/fixtures/tls, made with openssl).
const TLS_DIR = join(import.meta.dirname, "..", "fixtures", "tls");
export const TEST_CA_PEM = readFileSync(join(TLS_DIR, "localhost.crt"), "utf8");

/** The kubeconfig the API gives, made to trust the test certificate. */
export function trustTestCA(kubeconfig: string): string {
  return kubeconfig.replace(/^(\s+)server: (.*)$/m, (_l, ind, server) => `${ind}certificate-authority-data: ${Buffer.from(TEST_CA_PEM).toString("base64")}\n${ind}server: ${server}`);
}

/** The app served over HTTPS on 127.0.0.1 (a port of `ports`: this worktree's range). */
export async function serve(app: App, ports: [number, number] = [4300, 4399]): Promise<{ origin: string; close(): Promise<void> }> {
  // KUBELAB_TEST_PORTS=4700-4749 keeps a run inside one engineer's port range
  const range = /^(\d+)-(\d+)$/.exec(process.env.KUBELAB_TEST_PORTS ?? "");
  if (range) ports = [Number(range[1]), Number(range[2])];
  const server: Server = createServer({ cert: TEST_CA_PEM, key: readFileSync(join(TLS_DIR, "localhost.key")) }, app);
  for (let port = ports[0]; ; port++) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      break;
    } catch (e) {
      if (port >= ports[1] || (e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
    }
  }
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** A kubectl with its own kubeconfig and cache dir. */
export class Kubectl {
  readonly dir = mkdtempSync(join(tmpdir(), "kubelab-kubectl-"));
  readonly kubeconfig = join(this.dir, "config");
  constructor(kubeconfigYaml: string) {
    writeFileSync(this.kubeconfig, trustTestCA(kubeconfigYaml));
  }
  run(args: string[], stdin?: string): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        ["--kubeconfig", this.kubeconfig, "--cache-dir", join(this.dir, "cache"), ...args],
        { env: { PATH: process.env.PATH ?? "", HOME: this.dir }, timeout: 30_000 },
        (err, stdout, stderr) => resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
      );
      if (stdin !== undefined) child.stdin!.end(stdin);
    });
  }
  /** A long-running kubectl (get -w): its output so far, and a way to stop it. */
  start(args: string[]): { output(): string; stop(): void } {
    let out = "";
    const child = execFile(KUBECTL, ["--kubeconfig", this.kubeconfig, "--cache-dir", join(this.dir, "cache"), ...args], { env: { PATH: process.env.PATH ?? "", HOME: this.dir } });
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    return { output: () => out, stop: () => void child.kill() };
  }
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A real kubectl for one cluster on the API at `origin`, as `principal` (a kubeconfig signed with the test secret). */
export async function kubectlFor(origin: string, cluster: { id: string; name: string }, principal: Principal): Promise<Kubectl> {
  return new Kubectl(await kubeconfigFor({ secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: "" }, origin, cluster, principal));
}

export interface TerminalOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** One line in a cluster's lab terminal, through the exec mutation as the page sends it. */
export async function terminalLine(t: TestApp, token: string, id: string, command: string, stdin?: string): Promise<TerminalOutput> {
  const r = await t.gql(token, `mutation($id: ID!, $c: String!, $s: String) { exec(input: { clusterId: $id, command: $c, stdin: $s }) { ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`, { id, c: command, s: stdin ?? null });
  return r.data!.exec as TerminalOutput;
}

/** kubectl's arguments as one terminal line: an argument the shell would split, expand or drop (empty) goes in single quotes. */
export const kubectlLine = (args: string[]) => `kubectl ${args.map((a) => (a === "" || /[\s'"!(),{}[\]$*:]/.test(a) ? `'${a}'` : a)).join(" ")}`;

/**
 * The same kubectl command on twin objects: NAME in `args` is `names.real` for the real kubectl and `names.ours` for
 * the terminal (`vary`: more placeholders per side). Each side's stdout, stderr and success as one text, its own name
 * made NAME again, so the two compare with toBe.
 */
export async function onTwins<R extends string, O extends string>(
  kubectl: Kubectl,
  terminal: (line: string) => Promise<TerminalOutput>,
  args: string[],
  names: { real: R; ours: O },
  vary: (side: R | O) => Record<string, string> = () => ({}),
): Promise<{ real: string; ours: string }> {
  const fill = (side: R | O) => args.map((a) => Object.entries({ NAME: side, ...vary(side) }).reduce((s, [k, v]) => s.replaceAll(k, v), a));
  const real = await kubectl.run(fill(names.real));
  const ours = await terminal(kubectlLine(fill(names.ours)));
  const text = (side: string, out: string, err: string, ok: boolean) => `${out.replaceAll(side, "NAME")}--stderr--\n${err.replaceAll(side, "NAME")}--ok ${ok}`;
  return { real: text(names.real, real.stdout, real.stderr, real.code === 0), ours: text(names.ours, ours.stdout, ours.stderr, ours.exitCode === 0) };
}

/**
 * What the twin tests share: a student's lab cluster (`clusterName`, seed 9) served over HTTPS with a real kubectl on
 * it, set up before the enclosing describe's tests and taken down after them. `both(args)`: the command on real
 * kubectl and in the cluster's terminal (onTwins, NAME being `names.real` and `names.ours`); `kubectl`: the real one.
 */
export function kubectlTwins<R extends string, O extends string>(clusterName: string, names: { real: R; ours: O }) {
  const s: { t?: TestApp; server?: { origin: string; close(): Promise<void> }; kubectl?: Kubectl; token: string; id: string } = { token: "", id: "" };
  beforeAll(async () => {
    s.t = await createTestApp();
    s.server = await serve(s.t.app, [4500, 4599]);
    const principal = { sub: "alice", role: "student" as const, course: "c1" };
    s.token = await s.t.token(principal);
    const r = await s.t.gql(s.token, `mutation($n: String!) { createCluster(input: { name: $n, seed: 9 }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`, { n: clusterName });
    s.id = r.data.createCluster.cluster.id;
    s.kubectl = await kubectlFor(s.server.origin, { id: s.id, name: clusterName }, principal);
  }, 120_000);
  afterAll(async () => {
    s.kubectl?.close();
    await s.server?.close();
    await s.t?.close();
  });
  return {
    both: (args: string[]) => onTwins(s.kubectl!, (line) => terminalLine(s.t!, s.token, s.id, line), args, names),
    kubectl: () => s.kubectl!,
  };
}

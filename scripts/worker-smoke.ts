// Smoke check of the Worker under `wrangler dev` (workerd, locally) against this machine's PostgreSQL:
// a fresh database is created and migrated, wrangler dev serves api/worker.ts with Hyperdrive pointed at it, and a
// student creates a cluster, runs a command, applies a manifest and reads it back over HTTP. Exits non-zero on any
// failure.
//   tsx scripts/worker-smoke.ts          (DATABASE_URL: the server to use; default postgresql://root@127.0.0.1:5432/test)
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import pg from "pg";
import { migrateUrl } from "../api/db/node.ts";
import { ROOT } from "../api/db/migrate.ts";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER } from "../api/auth.ts";
import { buildWeb } from "./build-web.mjs";
import { WebSocket } from "ws";
import { SOCKET_PROTOCOL } from "../api/socket.ts";

const base = process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/test";
const dbName = `kubelab_worker_smoke_${randomBytes(4).toString("hex")}`;

function urlFor(database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (!u.password) u.password = "kubelab"; // wrangler requires one; trust auth ignores it
  return u.toString();
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

async function main() {
  // the Worker bundles the web lab's files (api/worker.ts imports web/dist/assets.json)
  await buildWeb();
  await admin(`CREATE DATABASE "${dbName}"`);
  const url = urlFor(dbName);
  let child: ReturnType<typeof spawn> | undefined;
  try {
    await migrateUrl(url);
    const port = process.env.WORKER_SMOKE_PORT ? Number(process.env.WORKER_SMOKE_PORT) : await freePort();
    const secret = randomBytes(32).toString("base64url");
    const logDir = join(ROOT, ".wrangler", "logs");
    child = spawn(
      process.execPath,
      [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), "dev", "--ip", "127.0.0.1", "--port", String(port), "--var", `JWT_SECRET:${secret}`, "--var", "ENVIRONMENT:development", "--show-interactive-dev-session=false"],
      {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
          WRANGLER_LOG_PATH: logDir,
          CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: url,
        },
      },
    );
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    const endpoint = `http://127.0.0.1:${port}/graphql`;
    const t0 = Date.now();
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/health`);
        if (r.ok) break;
      } catch {}
      if (Date.now() - t0 > 90_000) throw new Error(`wrangler dev did not become ready in 90 s:\n${output}`);
      if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    console.log(`wrangler dev ready in ${Date.now() - t0} ms on ${endpoint}`);
    const token = await signToken({ secret, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE }, { sub: "smoke", role: "student", course: "c1" });
    const gql = async (query: string, variables?: Record<string, unknown>) => {
      const r = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await r.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const created = await gql(`mutation { createCluster(input: { name: "smoke", seed: 3 }) { __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`);
    if (created.createCluster.__typename !== "CreateClusterPayload") throw new Error(`createCluster: ${JSON.stringify(created)}`);
    const id = created.createCluster.cluster.id;
    const ex = await gql(`mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get nodes" }) { __typename ... on ExecPayload { stdout exitCode cluster { version } } ... on Error { message } } }`, { id });
    if (ex.exec.__typename !== "ExecPayload" || ex.exec.cluster.version !== 2) throw new Error(`exec: ${JSON.stringify(ex)}`);
    // A manifest through the Worker's bundle of the YAML readers (js-yaml for this text, as for most).
    const yaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: smoke-svc\nspec:\n  selector:\n    app: smoke\n  ports:\n  - port: 80\n";
    const ap = await gql(`mutation($id: ID!, $yaml: String!) { applyManifest(input: { clusterId: $id, yaml: $yaml }) { __typename ... on ApplyManifestPayload { exitCode stdout stderr } ... on Error { message } } }`, { id, yaml });
    if (ap.applyManifest.__typename !== "ApplyManifestPayload" || ap.applyManifest.exitCode !== 0 || ap.applyManifest.stdout !== "service/smoke-svc created\n") throw new Error(`applyManifest: ${JSON.stringify(ap)}`);
    const mine = await gql(`{ myClusters { id version nodes { name } services { name } commandLog { totalCount } } }`);
    const me = mine.myClusters[0];
    if (mine.myClusters.length !== 1 || me.commandLog.totalCount !== 2 || me.version !== 3 || !me.services.some((s: { name: string }) => s.name === "smoke-svc"))
      throw new Error(`myClusters: ${JSON.stringify(mine)}`);
    // clusterChanged over SSE: under workerd there is no Node response, so the stream stays yoga's (on Node it is
    // handed to api/subscription-loop.ts after its first event): the cluster now, then after the next command.
    {
      const ac = new AbortController();
      const res = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, variables: { id } }),
        signal: ac.signal,
      });
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = "";
      const next = async (): Promise<any> => {
        for (;;) {
          const i = buf.indexOf("\n\n");
          if (i >= 0) {
            const msg = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = msg.split("\n").find((l) => l.startsWith("data: "));
            if (data) return JSON.parse(data.slice(6));
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error(`clusterChanged: the stream ended: ${JSON.stringify(buf)}`);
          buf += dec.decode(value, { stream: true });
        }
      };
      const first = await next();
      if (first.data?.clusterChanged?.version !== 3) throw new Error(`clusterChanged: ${JSON.stringify(first)}`);
      await gql(`mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get pods" }) { __typename } }`, { id });
      const second = await Promise.race([next(), new Promise((_, reject) => setTimeout(() => reject(new Error("clusterChanged: no event in 10 s after a command")), 10_000))]);
      if ((second as any).data?.clusterChanged?.version !== 4) throw new Error(`clusterChanged: ${JSON.stringify(second)}`);
      ac.abort();
      await reader.cancel().catch(() => {});
      console.log("clusterChanged over SSE: versions 3, 4");
    }
    // The Kubernetes facade from the Worker: the kubeconfig's server and token (GraphQL `cluster { kubeconfig }`), then
    // /version and the pod list as plain JSON and as the Table kubectl asks for.
    const kc = await gql(`query($id: ID!) { cluster(id: $id) { kubeconfig } }`, { id });
    const kubeconfig: string = kc.cluster.kubeconfig;
    const server = /server: "([^"]+)"/.exec(kubeconfig)?.[1];
    const k8sToken = /token: "([^"]+)"/.exec(kubeconfig)?.[1];
    if (server !== `http://127.0.0.1:${port}/k8s/clusters/${id}` || !k8sToken) throw new Error(`kubeconfig: ${kubeconfig}`);
    const k8s = async (path: string, accept = "application/json") => {
      const r = await fetch(`${server}${path}`, { headers: { authorization: `Bearer ${k8sToken}`, accept } });
      const text = await r.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`GET ${path}: ${r.status} not JSON: ${text.slice(0, 200)}`);
      }
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${text.slice(0, 300)}`);
      return body;
    };
    const version = await k8s("/version");
    if (version.gitVersion !== "v1.19.4" || version.major !== "1" || version.minor !== "19") throw new Error(`GET /version: ${JSON.stringify(version)}`);
    const pods = await k8s("/api/v1/namespaces/default/pods");
    if (pods.kind !== "PodList" || pods.apiVersion !== "v1" || !Array.isArray(pods.items) || typeof pods.metadata?.resourceVersion !== "string") throw new Error(`GET pods: ${JSON.stringify(pods).slice(0, 300)}`);
    const anon = await fetch(`${server}/api/v1/namespaces/default/pods`);
    if (anon.status !== 401) throw new Error(`GET pods without a token: ${anon.status}, expected 401`);
    const podTable = await k8s("/api/v1/namespaces/default/pods", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
    const podCols = podTable.columnDefinitions?.map((c: { name: string }) => c.name).join(",");
    if (podTable.kind !== "Table" || podCols !== "Name,Ready,Status,Restarts,Age,IP,Node,Nominated Node,Readiness Gates" || podTable.rows?.length !== pods.items.length)
      throw new Error(`GET pods as Table: ${JSON.stringify(podTable).slice(0, 300)}`);
    const nsTable = await k8s("/api/v1/namespaces/kube-system/pods", "application/json;as=Table;v=v1;g=meta.k8s.io");
    if (nsTable.kind !== "Table" || !nsTable.rows?.length || !nsTable.rows.every((r: { cells: unknown[] }) => r.cells.length === 9 && String(r.cells[0]).length > 0))
      throw new Error(`GET kube-system pods as Table: ${JSON.stringify(nsTable).slice(0, 300)}`);
    // The web lab from the Worker: the page at `/` with its CSP, and the script it names, cached for a year.
    const page = await fetch(`http://127.0.0.1:${port}/`);
    const html = await page.text();
    const script = /<script type="module" src="(\/assets\/main-[^"]+\.js)"/.exec(html)?.[1];
    if (page.status !== 200 || !script || !page.headers.get("content-security-policy")?.includes("script-src 'self'")) throw new Error(`GET /: ${page.status} ${html.slice(0, 200)}`);
    const asset = await fetch(`http://127.0.0.1:${port}${script}`);
    const js = await asset.text();
    if (asset.status !== 200 || asset.headers.get("cache-control") !== "public, max-age=31536000, immutable" || js.length < 10_000) throw new Error(`GET ${script}: ${asset.status} ${asset.headers.get("cache-control")} ${js.length} bytes`);
    // The terminal's socket (api/socket.ts, graphql-transport-ws): a line over it, and a refused token on it.
    {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/graphql`, SOCKET_PROTOCOL);
      const inbox: any[] = [];
      let wake = () => {};
      ws.on("message", (d) => (inbox.push(JSON.parse(String(d))), wake()));
      const next = async (type: string) => {
        const t = Date.now();
        for (;;) {
          const i = inbox.findIndex((m) => m.type === type || m.type === "error");
          if (i >= 0) return inbox.splice(i, 1)[0];
          if (Date.now() - t > 10_000) throw new Error(`socket: no ${type} in 10 s (${JSON.stringify(inbox)})`);
          await new Promise<void>((r) => ((wake = r), setTimeout(r, 200)));
        }
      };
      await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
      ws.send(JSON.stringify({ type: "connection_init", payload: { token } }));
      await next("connection_ack");
      ws.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: `mutation($id: ID!) { exec(input: { clusterId: $id, command: "kubectl get svc smoke-svc" }) { __typename ... on ExecPayload { stdout exitCode } ... on Error { message } } }`, variables: { id } } }));
      const sx = await next("next");
      if (sx.payload?.data?.exec?.exitCode !== 0 || !sx.payload.data.exec.stdout.includes("smoke-svc")) throw new Error(`exec over the socket: ${JSON.stringify(sx)}`);
      ws.close();
      const bad = new WebSocket(`ws://127.0.0.1:${port}/graphql`, SOCKET_PROTOCOL);
      const badInbox: any[] = [];
      bad.on("message", (d) => badInbox.push(JSON.parse(String(d))));
      await new Promise((r, j) => (bad.once("open", r), bad.once("error", j)));
      bad.send(JSON.stringify({ type: "connection_init", payload: { token: "not-a-token" } }));
      bad.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: `{ myClusters { id } }` } }));
      for (const t = Date.now(); !badInbox.some((m) => m.type === "error") && Date.now() - t < 10_000; ) await new Promise((r) => setTimeout(r, 100));
      const refused = badInbox.find((m) => m.type === "error");
      if (refused?.payload?.[0]?.extensions?.code !== "UNAUTHENTICATED") throw new Error(`a bad token over the socket: ${JSON.stringify(badInbox)}`);
      bad.close();
      console.log("the terminal's socket: exec over it, a bad token refused (UNAUTHENTICATED)");
    }
    console.log(`worker smoke: ok (cluster ${id}, ${me.nodes.length} nodes, exec exit ${ex.exec.exitCode}, ${ap.applyManifest.stdout.trim()}; k8s facade /version ${version.gitVersion}, ${pods.items.length} default pods, ${nsTable.rows.length} kube-system pod rows; web lab / and ${script}, ${js.length} bytes)`);
  } finally {
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`worker smoke FAILED: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);

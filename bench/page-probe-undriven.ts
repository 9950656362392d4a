// The same request shapes as bench/page-probe.ts, from a Chromium that no driver is attached to (no DevTools
// protocol, so no Network instrumentation): the browser is started as a plain process on a bench-only page whose
// script runs the rounds itself and sends its numbers back over the bench socket. Says how much of the browser's
// fetch() cost is the driver's instrumentation rather than the browser's.
//   npx tsx bench/page-probe-undriven.ts [rounds]      (DATABASE_URL: a PostgreSQL server)
import { spawn } from "node:child_process";
import { WebSocketServer } from "ws";
import { startPageBench, CHROMIUM } from "./page-server.ts";
import { gql, httpClient } from "./load.ts";
import { machineLine, now, stats } from "./lib.ts";

const rounds = Number(process.argv[2] ?? 40);
const EXEC = `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { stdout } ... on Error { message } } }`;
console.log(`undriven page probe — ${machineLine()}`);

const script = String.raw`
(async () => {
  const p = new URLSearchParams(location.hash.slice(1));
  const token = p.get("token"), id = p.get("id"), rounds = Number(p.get("rounds"));
  const execBody = JSON.stringify({ query: ${JSON.stringify(EXEC)}, variables: { id, c: "kubectl get pods" } });
  const ws = new WebSocket(location.origin.replace("http", "ws") + "/bench-ws");
  await new Promise((r) => (ws.onopen = r));
  let waiting = null;
  ws.onmessage = (e) => waiting && waiting(e.data);
  const wsRound = (msg) => new Promise((r) => { waiting = r; ws.send(msg); });
  const auth = { authorization: "Bearer " + token };
  const json = { "content-type": "application/json" };
  const run = {
    exec: async () => (await fetch("/graphql?p=u-exec", { method: "POST", headers: { ...json, ...auth }, body: execBody })).json(),
    "typename-post": async () => (await fetch("/graphql?p=u-typename", { method: "POST", headers: { ...json, ...auth }, body: '{"query":"{ __typename }"}' })).json(),
    "health-get": async () => (await fetch("/health?p=u-health")).text(),
    "ws-echo": () => wsRound(JSON.stringify({ kind: "echo", body: execBody })),
    "ws-exec": () => wsRound(JSON.stringify({ kind: "exec", body: execBody, token })),
  };
  const out = {};
  const names = Object.keys(run);
  for (let i = 0; i < rounds + 3; i++) {
    for (const n of [...names].sort(() => Math.random() - 0.5)) {
      await new Promise((r) => setTimeout(r, 30));
      const t0 = performance.now();
      await run[n]();
      if (i >= 3) (out[n] ??= []).push(performance.now() - t0);
    }
  }
  ws.send(JSON.stringify({ kind: "result", out }));
})();
`;
const web = { files: { "/assets/probe.js": { type: "text/javascript", body: script } }, index: `<!doctype html><title>probe</title><script src="/assets/probe.js"></script>` };
// the probes listen to the server's requests and call the app in process: the server runs in this process
const bench = await startPageBench("kubelab_bench_probe_u", web, { inline: true });
const { base, token, server, app } = bench as Required<typeof bench>;
const serverMs = new Map<string, number[]>();
server.on("request", (req, res) => {
  const t0 = now();
  const tag = new URL(req.url ?? "/", "http://x").searchParams.get("p");
  if (tag) res.on("finish", () => (serverMs.get(tag) ?? serverMs.set(tag, []).get(tag)!).push(now() - t0));
});
let done: (o: Record<string, number[]>) => void = () => {};
const result = new Promise<Record<string, number[]>>((r) => (done = r));
const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => {
  if (!req.url?.startsWith("/bench-ws")) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on("message", async (data) => {
      const msg = JSON.parse(String(data)) as { kind: string; body?: string; token?: string; out?: Record<string, number[]> };
      if (msg.kind === "echo") return ws.send(String(data));
      if (msg.kind === "result") return done(msg.out!);
      const r = await app.fetch(new Request("http://127.0.0.1/graphql", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${msg.token}` }, body: msg.body }));
      ws.send(await r.text());
    });
  });
});
const http = httpClient(base, 1);
const other = await gql<{ createCluster: { cluster: { id: string } } }>(http, "/graphql", `mutation { createCluster(input: { name: "probe", labSlug: "clusterip-services" }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, token);
const id = other.createCluster.cluster.id;
// the driven bench's browser is closed: this one is a plain process
await bench.browser.close();
const child = spawn(CHROMIUM, ["--headless", "--no-sandbox", "--no-first-run", "--user-data-dir=/tmp/kubelab-probe-undriven", `${base}/#token=${token}&id=${id}&rounds=${rounds}`], { stdio: "ignore" });
const out = await result;
child.kill();
const nodeRuns: Record<string, () => Promise<unknown>> = {
  "node exec": () => gql(http, "/graphql?p=n-exec", EXEC, { id, c: "kubectl get pods" }, token),
};
for (let i = 0; i < rounds + 3; i++) {
  await new Promise((r) => setTimeout(r, 30));
  const t0 = now();
  await nodeRuns["node exec"]();
  if (i >= 3) (out["node exec"] ??= []).push(now() - t0);
}
http.close();
wss.close();
server.closeAllConnections?.();
await bench.close();
for (const [k, v] of Object.entries(out)) {
  const s = [...v].sort((a, b) => a - b);
  console.log(`${("undriven " + k).padEnd(40)} p50 ${stats(v).median.toFixed(2).padStart(6)}  p25 ${s[Math.floor(s.length / 4)].toFixed(2)}  p75 ${s[Math.floor((3 * s.length) / 4)].toFixed(2)}  n ${v.length}`);
}
for (const [k, v] of serverMs) console.log(`server time ${k.padEnd(28)} p50 ${stats(v).median.toFixed(2)} n ${v.length}`);
console.log(`at the end — ${machineLine()}`);
process.exit(0);

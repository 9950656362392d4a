// The terminal's request over the socket against exec over HTTP, both from Node, against the page bench's server in
// its own process (bench/page-server.ts): is the server's socket path (api/socket.ts: graphql-ws on the app's
// envelop) slower than its HTTP path for the same mutation? Variants, once per round in a shuffled order, 20 ms apart:
//   http-bench   the bench's baseline: its short exec document over HTTP (bench/page.ts's EXEC)
//   http-term    the terminal's document (web/terminal/transport.ts's EXEC, its variables) over HTTP
//   ws-bench     the bench's document over a graphql-ws socket (the `ws` package, graphql-ws's own client)
//   ws-term      the terminal's document over the socket — what the page sends
//   ws-raw-term  the same, the protocol's messages written by hand on a bare `ws` socket (no graphql-ws client)
// on an unwatched cluster, and (suffix "@watched") on a cluster a Node SSE client watches (clusterChanged), as the
// page's own is. Prints p50/p25/p75 per variant.
//   npx tsx bench/socket-probe.ts [rounds]      (DATABASE_URL: a PostgreSQL server)
import { WebSocket } from "ws";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "graphql-ws";
import { loadWebAssets } from "../api/node/web-build.ts";
import { startPageBench } from "./page-server.ts";
import { gql, httpClient } from "./load.ts";
import { machineLine, now, stats } from "./lib.ts";
import { EXEC as TERM_EXEC } from "../web/terminal/transport.ts";
import { EXEC as BENCH_EXEC } from "./page.ts";

const rounds = Number(process.argv[2] ?? 40);
const watchedToo = process.env.PROBE_WATCHED !== "0";
console.log(`socket probe — ${machineLine()}`);

// the server logs when each socket message comes in and its answer goes out (bench/socket-times.ts)
const socketLog = join(tmpdir(), `kubelab-socket-probe-${process.pid}.jsonl`);
rmSync(socketLog, { force: true });
process.env.BENCH_PAGE_SOCKET_LOG = socketLog;
/** operation id → variant, for the server's time per variant */
const idOf = new Map<string, string>();
let current = "";
const web = await loadWebAssets({ rebuild: false, write: false });
const bench = await startPageBench("kubelab_bench_sockprobe", web);
const { base, token } = bench;
await bench.browser.close();
const http = httpClient(base, 1);
const results = new Map<string, number[]>();
const add = (k: string, v: number) => (results.get(k) ?? results.set(k, []).get(k)!).push(v);
let sse: AbortController | undefined;
try {
  const mk = async (name: string) =>
    (
      await gql<{ createCluster: { cluster: { id: string } } }>(
        http,
        "/graphql",
        `mutation { createCluster(input: { name: "${name}", labSlug: "clusterip-services" }) { ... on CreateClusterPayload { cluster { id } } } }`,
        {},
        token,
      )
    ).createCluster.cluster.id;
  const clusters: Record<string, string> = { "": await mk("probe-a") };
  if (watchedToo) {
    clusters["@watched"] = await mk("probe-w");
    // the page's picture: a clusterChanged subscription over SSE on that cluster
    sse = new AbortController();
    const r = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { clusterChanged(clusterId: $id) { __typename } }`, variables: { id: clusters["@watched"] } }),
      signal: sse.signal,
    });
    void (async () => {
      try {
        for await (const _ of r.body as unknown as AsyncIterable<Uint8Array>);
      } catch {}
    })();
  }
  const wsUrl = base.replace("http", "ws") + "/graphql";
  let gid = 0;
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0, connectionParams: { token }, generateID: () => {
    const id = `g${++gid}`;
    idOf.set(id, current);
    return id;
  } });
  const once = (query: string, variables: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      let done = false;
      client.subscribe({ query, variables }, { next: () => void (done || ((done = true), resolve())), error: reject, complete: () => resolve() });
    });
  // a bare socket speaking the protocol by hand
  const raw = new WebSocket(wsUrl, "graphql-transport-ws");
  await new Promise((r) => raw.once("open", r));
  raw.send(JSON.stringify({ type: "connection_init", payload: { token } }));
  await new Promise((r) => raw.once("message", r));
  let rawWait: (() => void) | null = null;
  raw.on("message", (d) => {
    if (String(d).startsWith('{"id"') || String(d).includes('"next"')) rawWait?.();
  });
  let rawId = 0;
  const rawOnce = (query: string, variables: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      rawWait = () => ((rawWait = null), resolve());
      const id = `r${++rawId}`;
      idOf.set(id, current);
      raw.send(JSON.stringify({ id, type: "subscribe", payload: { query, variables } }));
    });
  const termVars = (id: string) => ({ id, command: "kubectl get pods", host: "master01", cwd: "/root", env: [] });
  const benchVars = (id: string) => ({ id, c: "kubectl get pods" });
  const variants: Record<string, () => Promise<unknown>> = {};
  for (const [suffix, id] of Object.entries(clusters)) {
    variants[`http-bench${suffix}`] = () => gql(http, "/graphql", BENCH_EXEC, benchVars(id), token);
    variants[`http-term${suffix}`] = () => gql(http, "/graphql", TERM_EXEC, termVars(id), token);
    variants[`ws-bench${suffix}`] = () => once(BENCH_EXEC, benchVars(id));
    variants[`ws-term${suffix}`] = () => once(TERM_EXEC, termVars(id));
    variants[`ws-raw-term${suffix}`] = () => rawOnce(TERM_EXEC, termVars(id));
  }
  const names = Object.keys(variants);
  for (let i = 0; i < rounds + 3; i++) {
    const order = [...names].sort(() => Math.random() - 0.5);
    for (const name of order) {
      current = i >= 3 ? name : "";
      const t0 = now();
      await variants[name]();
      if (i >= 3) add(name, now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await client.dispose();
  raw.close();
  console.log(`${rounds} rounds, p50 (p25–p75) ms:`);
  for (const name of names) {
    const s = results.get(name)!.sort((a, b) => a - b);
    const q = (p: number) => s[Math.floor(p * (s.length - 1))];
    console.log(`  ${name.padEnd(22)} ${stats(s).median.toFixed(2)}  (${q(0.25).toFixed(2)}–${q(0.75).toFixed(2)})`);
  }
} finally {
  sse?.abort();
  http.close();
  await bench.close();
}
// the server's own time per socket operation: its subscribe message in → its answer ("next") written
if (existsSync(socketLog)) {
  const lines = readFileSync(socketLog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { ev: string; ts: number; type: string; id: string | null });
  const by = new Map<string, number[]>();
  for (const l of lines) {
    if (l.ev !== "in" || l.type !== "subscribe" || !l.id || !idOf.get(l.id)) continue;
    const out = lines.find((o) => o.ev === "out" && o.type === "next" && o.id === l.id);
    if (out) (by.get(idOf.get(l.id)!) ?? by.set(idOf.get(l.id)!, []).get(idOf.get(l.id)!)!).push((out.ts - l.ts) / 1000);
  }
  console.log("the server's time per socket operation (message in → answer written), p50 ms:");
  for (const [k, v] of by) console.log(`  ${k.padEnd(22)} ${stats(v).median.toFixed(2)}`);
}
console.log(`at the end — ${machineLine()}`);
process.exit(0);

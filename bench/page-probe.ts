// Where the browser's exec request spends its time against Node's: the same request in several shapes from the lab's
// idle page (and from a blank page of the same origin), a WebSocket round trip to the same server (a bench-only echo,
// and a bench-only "exec over a socket" that hands the message to the same app in-process), the same from Node, and
// the browser's own phases from CDP's Network timing. Every variant runs interleaved, round after round, in a shuffled
// order, so that load drifts hit them alike. Prints p50/p25/p75 per variant, and the server's time per request
// (request's headers in → response finished) per variant.
//   npx tsx bench/page-probe.ts [rounds]      (DATABASE_URL: a PostgreSQL server)
import { WebSocketServer, WebSocket } from "ws";
import type { IncomingMessage, ServerResponse } from "node:http";
import { loadWebAssets } from "../api/node/web-build.ts";
import { startPageBench } from "./page-server.ts";
import { gql, httpClient } from "./load.ts";
import { machineLine, now, stats } from "./lib.ts";

const rounds = Number(process.argv[2] ?? 40);
const EXEC = `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { stdout } ... on Error { message } } }`;
console.log(`page probe — ${machineLine()}`);

const web = await loadWebAssets({ rebuild: true, write: false });
// the probes listen to the server's requests and call the app in process: the server runs in this process
const bench = await startPageBench("kubelab_bench_probe", web, { inline: true });
const { base, token, browser, server, app } = bench as Required<typeof bench>;

// server time per request, by the probe's ?p= tag
const serverMs = new Map<string, number[]>();
server.on("request", (req: IncomingMessage, res: ServerResponse) => {
  const t0 = now();
  const tag = new URL(req.url ?? "/", "http://x").searchParams.get("p");
  if (!tag) return;
  res.on("finish", () => {
    const a = serverMs.get(tag) ?? [];
    a.push(now() - t0);
    serverMs.set(tag, a);
  });
});
// a bench-only socket: "echo" answers at once; "exec" runs the message's GraphQL through the same app (a Request made
// in-process: yoga's whole path, without Node's HTTP parsing)
const wss = new WebSocketServer({ noServer: true });
server.on("upgrade", (req, socket, head) => {
  if (!req.url?.startsWith("/bench-ws")) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on("message", async (data) => {
      const msg = JSON.parse(String(data)) as { kind: string; body?: string; token?: string; n: number };
      if (msg.kind === "echo") return ws.send(String(data));
      const t0 = now();
      const r = await app.fetch(
        new Request("http://127.0.0.1/graphql?p=ws-exec", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${msg.token}` }, body: msg.body }),
      );
      const text = await r.text();
      ws.send(JSON.stringify({ n: msg.n, body: text }));
      const a = serverMs.get("ws-exec(server)") ?? [];
      a.push(now() - t0);
      serverMs.set("ws-exec(server)", a);
    });
  });
});

const results = new Map<string, number[]>();
const add = (k: string, v: number) => (results.get(k) ?? results.set(k, []).get(k)!).push(v);

try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(`${base}/labs/clusterip-services#token=${token}`);
  await page.waitForFunction(() => document.querySelector(".term-status")?.textContent === "Ready", null, { timeout: 60_000 });
  const blank = await page.context().newPage();
  await blank.goto(`${base}/health`);
  // tsx names the functions it compiles (__name(…)): give the pages that helper
  for (const p of [page, blank]) await p.evaluate("globalThis.__name = (f) => f");
  const http = httpClient(base, 1);
  const other = await gql<{ createCluster: { cluster: { id: string } } }>(
    http,
    "/graphql",
    `mutation { createCluster(input: { name: "probe", labSlug: "clusterip-services" }) { ... on CreateClusterPayload { cluster { id } } } }`,
    {},
    token,
  );
  const id = other.createCluster.cluster.id;
  const vars = { id, c: "kubectl get pods" };
  const execBody = JSON.stringify({ query: EXEC, variables: vars });
  const pad = "x".repeat(8 * 1024);

  const inPage = ["exec", "exec-client-headers", "exec-keepalive", "exec-nostore", "exec-8k", "exec-xhr", "typename-post", "typename-post-noauth", "typename-get", "typename-get-noauth", "health-get", "ws-echo", "ws-exec"];
  const runPage = (p: typeof page, label: string) =>
    p.evaluate(
      async ({ names, rounds, token, execBody, pad, id }) => {
        const out: Record<string, number[]> = {};
        const auth = { authorization: `Bearer ${token}` };
        const json = { "content-type": "application/json" };
        const ws = new WebSocket(`${location.origin.replace("http", "ws")}/bench-ws`);
        await new Promise((r) => (ws.onopen = r));
        let waiting: ((d: string) => void) | null = null;
        ws.onmessage = (e) => waiting?.(e.data as string);
        const wsRound = (msg: string) =>
          new Promise<string>((r) => {
            waiting = r;
            ws.send(msg);
          });
        const post = (tag: string, body: string, init: RequestInit = {}, headers: Record<string, string> = { ...json, ...auth }) => fetch(`/graphql?p=${tag}`, { method: "POST", headers, body, ...init });
        const run: Record<string, () => Promise<unknown>> = {
          exec: async () => (await post("exec", execBody)).json(),
          "exec-client-headers": async () => (await post("exec-client-headers", execBody, {}, { ...json, accept: "application/graphql-response+json, application/json", ...auth })).json(),
          "exec-keepalive": async () => (await post("exec-keepalive", execBody, { keepalive: true })).json(),
          "exec-nostore": async () => (await post("exec-nostore", execBody, { cache: "no-store" })).json(),
          "exec-8k": async () => (await post("exec-8k", JSON.stringify({ ...JSON.parse(execBody), extensions: { pad } }))).json(),
          "exec-xhr": () =>
            new Promise((resolve) => {
              const x = new XMLHttpRequest();
              x.open("POST", "/graphql?p=exec-xhr");
              x.setRequestHeader("content-type", "application/json");
              x.setRequestHeader("authorization", `Bearer ${token}`);
              x.onload = () => resolve(JSON.parse(x.responseText));
              x.send(execBody);
            }),
          "typename-post": async () => (await post("typename-post", `{"query":"{ __typename }"}`)).json(),
          "typename-post-noauth": async () => (await post("typename-post-noauth", `{"query":"{ __typename }"}`, {}, json)).json(),
          "typename-get": async () => (await fetch(`/graphql?p=typename-get&query=${encodeURIComponent("{ __typename }")}`, { headers: auth })).json(),
          "typename-get-noauth": async () => (await fetch(`/graphql?p=typename-get-noauth&query=${encodeURIComponent("{ __typename }")}`)).json(),
          "health-get": async () => (await fetch(`/health?p=health-get`)).text(),
          "ws-echo": () => wsRound(JSON.stringify({ kind: "echo", n: 0, body: execBody })),
          "ws-exec": () => wsRound(JSON.stringify({ kind: "exec", n: 0, body: execBody, token })),
        };
        void id;
        for (let i = 0; i < rounds + 3; i++) {
          const order = [...names].sort(() => Math.random() - 0.5);
          for (const n of order) {
            await new Promise((r) => setTimeout(r, 30));
            const t0 = performance.now();
            await run[n]();
            const dt = performance.now() - t0;
            if (i >= 3) (out[n] ??= []).push(dt);
          }
        }
        ws.close();
        return out;
      },
      { names: inPage, rounds, token, execBody, pad, id },
    ).then((o) => {
      for (const [k, v] of Object.entries(o)) for (const x of v) add(`${label} ${k}`, x);
    });

  console.log(`lab page (SSE open): ${inPage.length} variants × ${rounds}`);
  await runPage(page, "lab page:");
  console.log(`blank page (/health, same origin): the same`);
  await runPage(blank, "blank page:");

  // from Node: the same exec over HTTP, and over the bench socket
  console.log("node");
  const nodeWs = new WebSocket(`${base.replace("http", "ws")}/bench-ws`);
  await new Promise((r) => nodeWs.once("open", r));
  const nodeWsRound = (msg: string) => new Promise<void>((r) => (nodeWs.once("message", () => r()), nodeWs.send(msg)));
  const nodeRuns: Record<string, () => Promise<unknown>> = {
    "node exec (bench's baseline)": () => gql(http, "/graphql?p=node-exec", EXEC, vars, token),
    "node typename-post": () => gql(http, "/graphql?p=node-typename", "{ __typename }", {}, token),
    "node ws-echo": () => nodeWsRound(JSON.stringify({ kind: "echo", n: 0, body: execBody })),
    "node ws-exec": () => nodeWsRound(JSON.stringify({ kind: "exec", n: 0, body: execBody, token })),
    "node app.fetch exec (no network)": async () =>
      (await app.fetch(new Request("http://127.0.0.1/graphql?p=inproc", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: execBody }))).text(),
  };
  for (let i = 0; i < rounds + 3; i++) {
    for (const k of Object.keys(nodeRuns).sort(() => Math.random() - 0.5)) {
      await new Promise((r) => setTimeout(r, 30));
      const t0 = now();
      await nodeRuns[k]();
      if (i >= 3) add(k, now() - t0);
    }
  }
  nodeWs.close();
  http.close();

  // CDP Network timing of the lab page's exec fetch: renderer → network service → socket → headers → body
  console.log("cdp network timing");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const sent = new Map<string, number>();
  const timing = new Map<string, { t: Record<string, number>; fin?: number; hdr?: number }>();
  cdp.on("Network.requestWillBeSent", (e) => void (e.request.url.includes("p=cdp") && sent.set(e.requestId, e.timestamp)));
  cdp.on("Network.responseReceived", (e) => void (sent.has(e.requestId) && timing.set(e.requestId, { t: e.response.timing as unknown as Record<string, number>, hdr: e.timestamp })));
  cdp.on("Network.loadingFinished", (e) => {
    const x = timing.get(e.requestId);
    if (x) x.fin = e.timestamp;
  });
  const inPageCdp = (await page.evaluate(
    async ({ rounds, token, execBody }) => {
      const out: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await new Promise((r) => setTimeout(r, 30));
        const t0 = performance.now();
        await (await fetch("/graphql?p=cdp", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: execBody })).json();
        out.push(performance.now() - t0);
      }
      return out;
    },
    { rounds, token, execBody },
  )) as number[];
  for (const x of inPageCdp) add("lab page, CDP Network on: exec", x);
  for (const [rid, wbs] of sent) {
    const x = timing.get(rid);
    if (!x || x.fin === undefined) continue;
    const t = x.t;
    const rt = t.requestTime; // s
    add("cdp: willBeSent → requestTime (renderer → network service)", (rt - wbs) * 1000);
    add("cdp: requestTime → sendStart", t.sendStart);
    add("cdp: sendStart → sendEnd", t.sendEnd - t.sendStart);
    add("cdp: sendEnd → receiveHeadersEnd (server + wire)", t.receiveHeadersEnd - t.sendEnd);
    add("cdp: headers → responseReceived event", (x.hdr! - rt) * 1000 - t.receiveHeadersEnd);
    add("cdp: headers → loadingFinished", (x.fin - rt) * 1000 - t.receiveHeadersEnd);
    add("cdp: willBeSent → loadingFinished", (x.fin - wbs) * 1000);
    if (t.connectStart >= 0) add("cdp: new connection (connectStart ≥ 0)", 1);
  }
  await cdp.detach();
} finally {
  wss.close();
  await bench.close();
}

const pad = (s: string, n: number) => s.padEnd(n);
console.log(`\n${pad("variant", 64)} ${"p50".padStart(7)} ${"p25".padStart(7)} ${"p75".padStart(7)} ${"n".padStart(4)}`);
for (const [k, v] of results) {
  const s = [...v].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))];
  console.log(`${pad(k, 64)} ${stats(v).median.toFixed(2).padStart(7)} ${q(0.25).toFixed(2).padStart(7)} ${q(0.75).toFixed(2).padStart(7)} ${String(v.length).padStart(4)}`);
}
console.log(`\nserver time (request in → response finished), p50:`);
for (const [k, v] of serverMs) console.log(`${pad(k, 64)} ${stats(v).median.toFixed(2).padStart(7)} ${String(v.length).padStart(4)}`);
console.log(`at the end — ${machineLine()}`);
process.exit(0);

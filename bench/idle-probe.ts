// Does the server answer the same request slower after it has been left alone? The page bench's baseline (exec over
// HTTP from Node) used to run right after the previous round, while the page's Enter always comes after 0.3–1.3 s of
// quiet; this probe sends the bench's `kubectl get pods` exec from Node to the page bench's server (its own process,
// bench/page-server.ts) after 5, 50, 300 and 1,000 ms of quiet, the gaps shuffled in each round, and prints p50/p95
// per gap. (2026-12-07, 2 vCPUs AMD EPYC: 4.1 / 4.8 / 5.8 / 6.6 ms at p50.)
//   npx tsx bench/idle-probe.ts [rounds=25]      (DATABASE_URL: a PostgreSQL server)
import { loadWebAssets } from "../api/node/web-build.ts";
import { startPageBench } from "./page-server.ts";
import { gql, httpClient } from "./load.ts";
import { machineLine, now, stats } from "./lib.ts";
import { EXEC } from "./page.ts";

const rounds = Number(process.argv[2] ?? 25);
const GAPS = [5, 50, 300, 1000];

console.log(`idle probe — ${machineLine()}`);
const web = await loadWebAssets({ rebuild: false, write: false });
const bench = await startPageBench("kubelab_bench_idle", web);
await bench.browser.close();
const http = httpClient(bench.base, 1);
try {
  const made = await gql<{ createCluster: { cluster: { id: string } } }>(
    http,
    "/graphql",
    `mutation { createCluster(input: { name: "idle-probe", labSlug: "clusterip-services" }) { ... on CreateClusterPayload { cluster { id } } } }`,
    {},
    bench.token,
  );
  const id = made.createCluster.cluster.id;
  const exec = () => gql(http, "/graphql", EXEC, { id, c: "kubectl get pods" }, bench.token);
  for (let i = 0; i < 20; i++) await exec(); // warm
  const byGap = new Map<number, number[]>(GAPS.map((g) => [g, []]));
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  for (let r = 0; r < rounds; r++)
    for (const g of [...GAPS].sort(() => rand() - 0.5)) {
      await new Promise((x) => setTimeout(x, g));
      const t0 = now();
      await exec();
      byGap.get(g)!.push(now() - t0);
    }
  for (const g of GAPS) {
    const s = stats(byGap.get(g)!);
    console.log(`quiet ${String(g).padStart(4)} ms before: exec p50 ${s.median.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms (${rounds} requests)`);
  }
} finally {
  http.close();
  await bench.close();
}
process.exit(0);

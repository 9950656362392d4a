// Which statements one student's page costs the database: a server with BENCH_POOL_TRACE, one student with the
// subscription open, then each operation alone, the statements it sent (and how long they held a connection).
//   DATABASE_URL=… npx tsx bench/probe-statements.ts
import { randomBytes } from "node:crypto";
import http from "node:http";
import { LABS } from "../labs/catalog.generated.ts";
import { freshDatabase } from "./db.ts";
import { startServer } from "./spawn.ts";
import { enrolClass } from "./class-sim.ts";
import { gql, httpClient } from "./load.ts";
import { payload } from "./api-ops.ts";
import { subscribe } from "./sse.ts";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL");
const db = await freshDatabase("kubelab_probe");
const secret = randomBytes(32).toString("base64url");
const server = await startServer(["api", db.url], { BENCH_JWT_SECRET: secret, BENCH_POOL_TRACE: "1" });
try {
  const lab = LABS.find((l) => l.slug === "clusterip-services")!;
  const [s] = await enrolClass([server.url], secret, [lab], 1, "probe");
  const client = httpClient(server.url, 4);
  const stats = async () => (await (await fetch(`${server.url}/__bench/stats?nogc`)).json()) as { held?: string[] };
  const show = async (what: string) => {
    await new Promise((r) => setTimeout(r, 300));
    const st = await stats();
    console.log(`== ${what}`);
    for (const h of st.held ?? []) console.log(`   ${h}`);
  };
  await stats();
  const agent = new http.Agent({ keepAlive: false });
  const sub = subscribe(agent, server.url, s.token, `subscription($id: ID!) { clusterChanged(id: $id) { version } }`, { id: s.clusterId }, () => {}, () => {});
  await sub.opened;
  await show("subscription opened");
  const EXEC = `mutation($id: ID!, $command: String!) { exec(input: { clusterId: $id, command: $command }) { __typename ... on ExecPayload { exitCode cluster { version } } ... on Error { message } } }`;
  for (const line of ["kubectl get pods", "kubectl get pods", lab.solution[0].line]) {
    payload(await gql(client, "/graphql", EXEC, { id: s.clusterId, command: line }, s.token), "exec");
    await show(`exec ${line.slice(0, 60)}`);
  }
  payload(await gql(client, "/graphql", `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { grade { score } } ... on Error { message } } }`, { id: s.clusterId }, s.token), "checkProgress");
  await show("checkProgress");
  payload(await gql(client, "/graphql", `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { grade { score } } ... on Error { message } } }`, { id: s.clusterId }, s.token), "checkProgress");
  await show("checkProgress again");
  payload(await gql(client, "/graphql", `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on SubmitLabPayload { attempt { score } } ... on Error { message } } }`, { id: s.clusterId }, s.token), "submitLab");
  await show("submitLab");
  payload(await gql(client, "/graphql", `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename ... on ResetClusterPayload { cluster { version } } ... on Error { message } } }`, { id: s.clusterId }, s.token), "resetCluster");
  await show("resetCluster");
  sub.close();
  client.close();
  agent.destroy();
} finally {
  await server.stop();
  await db.drop();
}

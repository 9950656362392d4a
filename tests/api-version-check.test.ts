// The version check on save, on its own, through the API (api/clusters.ts mutateCluster + api/db/cluster-store.ts).
//
// Every writer through mutateCluster logs seq = its new version, so when two of them race the loser's log entry also
// collides with the winner's on the CommandLog key (clusterId, seq): that key alone would stop the lost update. Here
// the winner is a writer that bumps the version WITHOUT a command-log entry (a stored-state migration rewriting the
// cluster — any writer that is not mutateCluster), so the seq the loser logs is free and only the version check
// stands between the loser's stale engine and the winner's write. The loser (an app instance holding the cluster's
// engine in memory at the old version) must lose the save, run again on the new version, and keep both changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { EngineCache } from "../api/engine-cache.ts";
import { Cluster } from "../engine/index.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const LABEL = `mutation($id: ID!, $k: String!) { label(input: { clusterId: $id, target: "node/node01", set: [{ key: $k, value: "yes" }] }) {
  __typename ... on LabelPayload { cluster { version } } ... on Error { message } } }`;

/** The other writer: reads the row, changes the cluster with the engine, writes state + version + 1 only if the version is still the one it read — and logs nothing. */
async function migrate(id: string, label: string): Promise<number> {
  const [row] = await t.db.prisma.$queryRawUnsafe<{ state: string; version: number }[]>(`SELECT state::text AS state, version FROM "Cluster" WHERE id = $1::uuid`, id);
  const c = Cluster.fromJSON(row.state);
  c.label("Node", "node01", undefined, { set: { [label]: "yes" } });
  const n = await t.db.prisma.$executeRawUnsafe(`UPDATE "Cluster" SET state = $2::jsonb, version = version + 1 WHERE id = $1::uuid AND version = $3`, id, c.toJSONText(), row.version);
  expect(n).toBe(1);
  return row.version + 1;
}

describe("the version check on save, where the command log's key cannot save the day", () => {
  it("a writer with a stale engine loses the save to a version bump without a log entry, runs again on the new version, and both changes stay", async () => {
    const cache = new EngineCache(10);
    const app = t.restart({ engineCache: cache });
    const alice = await t.token({ sub: "alice", role: "student" });
    const created = await t.gql(alice, `mutation { createCluster(input: { name: "vc", seed: 3 }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, app);
    const id = created.data.createCluster.cluster.id;
    const first = await t.gql(alice, LABEL, { id, k: "first" }, app);
    expect(first.data.label).toEqual({ __typename: "LabelPayload", cluster: { version: 2 } });
    // this instance now holds the cluster's engine at version 2; the other writer moves the row to 3, logging nothing
    expect(await migrate(id, "migrated")).toBe(3);
    const hits = cache.stats.hits;
    const loser = await t.gql(alice, LABEL, { id, k: "second" }, app);
    expect(cache.stats.hits).toBe(hits + 1); // it did start from the stale engine at version 2
    // ...lost the save (seq 3 was free in the log: only the version check refused it) and ran again on version 3
    expect(loser.data.label).toEqual({ __typename: "LabelPayload", cluster: { version: 4 } });
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, orderBy: { seq: "asc" }, select: { seq: true, input: true } });
    expect(log.map((l) => l.seq)).toEqual([2, 4]);
    // read through an instance that never held it: the migration's change and both labels are there
    const read = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version nodes { name labels } } }`, { id }, t.restart());
    expect(read.data.cluster.version).toBe(4);
    expect(read.data.cluster.nodes.find((n: { name: string }) => n.name === "node01").labels).toMatchObject({ first: "yes", migrated: "yes", second: "yes" });
  });
});

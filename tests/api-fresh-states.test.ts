// A reset starts the cluster again from the lab's start kept as text (api/fresh-states.ts) instead of building the lab
// again: through the API, a cluster reset (and a second cluster of the same lab and seed) answers the lab's reference
// solution line for line as the engine built from scratch does, and stores the same state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { catalog } from "../api/labs-catalog.ts";
import { freshStatesOf } from "../api/clusters.ts";
import { getLab } from "../labs/catalog.ts";

let t: TestApp;
let alice: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student", course: "c1" });
});
afterAll(() => t?.close());

const CREATE = `mutation($lab: String!, $name: String!, $seed: Int!) { createCluster(input: { name: $name, labSlug: $lab, seed: $seed }) { ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;
const EXEC = `mutation($id: ID!, $c: String!, $host: String, $stdin: String) { exec(input: { clusterId: $id, command: $c, host: $host, stdin: $stdin }) { ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`;
const RESET = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { __typename } }`;

describe("a lab cluster started again from its kept start", () => {
  for (const [slug, seed] of [["clusterip-services", 4101], ["label-selectors", 4102]] as const) {
    it(`${slug}: after a reset, and as a second cluster of the same seed, the solution answers what a cluster built from scratch answers`, async () => {
      const lab = getLab(slug)!;
      const fresh = freshStatesOf(catalog);
      // the engine built from scratch, the lines run on it directly
      const scratch = catalog.createCluster!(slug, seed);
      const expected = lab.solution.map((e) => {
        const r = scratch.exec(e.line, { host: e.host ?? "master01", ...(e.stdin !== undefined ? { stdin: e.stdin } : {}) });
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
      });
      const run = async (id: string) => {
        const out = [];
        for (const e of lab.solution) out.push((await t.gql(alice, EXEC, { id, c: e.line, host: e.host ?? null, stdin: e.stdin ?? null })).data.exec);
        return out;
      };
      const a = (await t.gql(alice, CREATE, { lab: slug, name: `${slug}-a`, seed })).data.createCluster.cluster.id;
      expect(await run(a)).toEqual(expected);
      const hits = fresh.stats.hits;
      expect((await t.gql(alice, RESET, { id: a })).data.resetCluster.__typename).toBe("ResetClusterPayload");
      const b = (await t.gql(alice, CREATE, { lab: slug, name: `${slug}-b`, seed })).data.createCluster.cluster.id;
      expect(fresh.stats.hits).toBe(hits + 2); // both started from the kept text
      expect(await run(a)).toEqual(expected);
      expect(await run(b)).toEqual(expected);
      const rows = await t.db.prisma.cluster.findMany({ where: { id: { in: [a, b] } }, select: { state: true } });
      for (const r of rows) expect(r.state).toBe(scratch.toJSONText());
    });
  }
});

// A failed mutation gives its engine back to nobody (it may have changed it): the cluster is no longer held, and the
// next command reads the row at once instead of waiting for an engine that will not come back. A mutation that prints
// nothing logs empty output. (Left unnamed by the second mutation run of api/clusters.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { EngineCache } from "../api/engine-cache.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const LABEL = `mutation($id: ID!, $k: String!) { label(input: { clusterId: $id, target: "node/node01", set: [{ key: $k, value: "yes" }] }) {
  __typename ... on LabelPayload { cluster { version } } ... on Error { message } } }`;

describe("after a failed mutation", () => {
  it("the cluster's engine is not held, and the next command does not wait for it", async () => {
    const cache = new EngineCache(10);
    const app = t.restart({ engineCache: cache });
    const al = await t.token({ sub: "give-back-al", role: "student" });
    const c = await t.gql(al, `mutation { createCluster(input: { name: "g", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`, {}, app);
    const id = c.data.createCluster.cluster.id;
    expect(cache.holds(id)).toBe(true);
    const bad = await t.gql(al, LABEL, { id, k: "bad key!" }, app);
    expect(bad.data.label.__typename).toBe("ValidationError");
    expect(cache.holds(id)).toBe(false);
    const waitsFailed = cache.stats.waitsFailed;
    expect((await t.gql(al, LABEL, { id, k: "good" }, app)).data.label).toEqual({ __typename: "LabelPayload", cluster: { version: 2 } });
    expect(cache.stats.waitsFailed).toBe(waitsFailed);
  });
});

describe("the log of a mutation that prints nothing", () => {
  it("deleteCluster logs empty stdout and stderr", async () => {
    const bo = await t.token({ sub: "give-back-bo", role: "student" });
    const c = await t.gql(bo, `mutation { createCluster(input: { name: "d", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`);
    const id = c.data.createCluster.cluster.id;
    await t.gql(bo, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id });
    const log = await t.db.prisma.commandLog.findMany({ where: { clusterId: id }, select: { operation: true, input: true, stdout: true, stderr: true, exitCode: true } });
    expect(log).toEqual([{ operation: "deleteCluster", input: "deleteCluster", stdout: "", stderr: "", exitCode: 0 }]);
  });
});

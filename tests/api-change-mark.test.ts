// The mutation path takes the engine's change mark (engine/change-mark.ts): a command that changed nothing is saved
// without its state text — a new version and a log entry, the stored text kept — even on a server that has saved
// nothing of the cluster yet (a restart, a hydration from the row), where the save batcher has nothing to compare.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import type { SqlClient } from "../api/db/sql.ts";

let t: TestApp;
let token: string;
let id: string;
beforeAll(async () => {
  t = await createTestApp();
  token = await t.token({ sub: "cm1", role: "student", course: "c1" });
  const r = await t.gql(token, `mutation { createCluster(input: { name: "m", labSlug: "labels", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = r.data.createCluster.cluster.id;
});
afterAll(() => t?.close());

/** A restarted server whose saves are watched: the state parameter of each cluster UPDATE it sends (null: kept). */
function watchedServer() {
  const conn = t.db.newConnection();
  const states: unknown[] = [];
  const sql = new Proxy(conn.sql, {
    get(target, prop) {
      if (prop === "query")
        return (text: string, params: readonly unknown[]) => {
          if (text.includes('UPDATE "Cluster"')) states.push(params[3]);
          return target.query(text, params as unknown[]);
        };
      const v = Reflect.get(target, prop);
      return typeof v === "function" ? v.bind(target) : v;
    },
  }) as SqlClient;
  return { app: t.restart({ prisma: conn.prisma, sql }), states };
}

const EXEC = `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { stdout stderr exitCode cluster { version } } } }`;

describe("a command that changes nothing", () => {
  it("is saved without its text from the first command on a restarted server; a change is saved with it", async () => {
    const before = await t.db.sql.query<{ state: string; version: number }>(`SELECT state, version FROM "Cluster" WHERE id = $1`, [id]);
    const s = watchedServer();
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    expect((await run("kubectl get pods")).exitCode).toBe(0);
    expect(s.states).toEqual([null]);
    const after = await t.db.sql.query<{ state: string; version: number }>(`SELECT state, version FROM "Cluster" WHERE id = $1`, [id]);
    expect(after[0]).toEqual({ state: before[0].state, version: before[0].version + 1 });

    // a label is a change: its text goes; the next read-only command on top of it sends none again
    const pod = (await run("kubectl get pods -o name")).stdout.split("\n")[0];
    expect((await run(`kubectl label ${pod} mark=moved`)).stdout).toMatch(/labeled/);
    expect((await run("kubectl get pods --show-labels")).stdout).toContain("mark=moved");
    expect(s.states.map((x) => (x === null ? null : typeof x))).toEqual([null, null, "string", null]);

    // what was kept is the state: a third server, reading the row, sees the label
    const fresh = watchedServer();
    expect((await t.gql(token, EXEC, { id, c: "kubectl get pods --show-labels" }, fresh.app)).data.exec.stdout).toContain("mark=moved");
    expect(fresh.states).toEqual([null]);
  });

  it("a command that fails changes nothing either; a file written by the shell is a change", async () => {
    const s = watchedServer();
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    expect((await run("kubectl get svc nope")).exitCode).not.toBe(0);
    expect((await run("echo hi > note.txt")).exitCode).toBe(0);
    expect((await run("cat note.txt")).stdout).toBe("hi\n");
    expect(s.states.map((x) => (x === null ? null : typeof x))).toEqual([null, "string", null]);
  });
});

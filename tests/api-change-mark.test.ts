// The mutation path takes the engine's change mark (engine/change-mark.ts): a command that changed nothing is saved
// without its state text — a new version and a log entry, the stored text kept — even on a server that has saved
// nothing of the cluster yet (a restart, a hydration from the row), where the save batcher has nothing to compare.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Cluster } from "../engine/index.ts";
import { changeChecks } from "../engine/change-mark.ts";
import { MARK_AUDIT_EVERY } from "../api/clusters.ts";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { watchedServer as watched } from "./helpers/watched-saves.ts";

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

const watchedServer = () => watched(t);

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

describe("the change mark's audit", () => {
  it("a write the mark misses is caught within MARK_AUDIT_EVERY unchanged commands: logged, and the state saved in full", async () => {
    const errors: { msg: string; fields?: Record<string, unknown> }[] = [];
    const conn = t.db.newConnection();
    const app = t.restart({ prisma: conn.prisma, sql: conn.sql, logger: { info() {}, warn() {}, error: (msg, fields) => void errors.push({ msg, fields }) } });
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, app)).data.exec;
    const pod = (await run("kubectl get pods -o name")).stdout.split("\n")[0];
    expect((await run(`kubectl label ${pod} audit=start`)).exitCode).toBe(0); // saved with its text: remembered
    // a mark that never moves: every label below is a change the mark misses (the suite's own check of the mark, which
    // would report each, is off meanwhile)
    const spy = vi.spyOn(Cluster.prototype, "changeMark").mockReturnValue(1);
    const checking = changeChecks.on;
    changeChecks.on = false;
    try {
      for (let i = 0; i < MARK_AUDIT_EVERY; i++) expect((await run(`kubectl label ${pod} audit=n${i} --overwrite`)).exitCode).toBe(0);
    } finally {
      spy.mockRestore();
      changeChecks.on = checking;
    }
    expect(errors.map((e) => e.msg)).toEqual(["the engine's change mark missed a write: the state is saved in full"]);
    const audited = String(errors[0].fields?.input);
    expect(audited).toMatch(/^kubectl label .* audit=n\d+ --overwrite$/);
    // the state the audit saved is what a server that reads the row sees: the label of the audited command
    const fresh = watchedServer();
    const shown = (await t.gql(token, EXEC, { id, c: `kubectl get ${pod} --show-labels` }, fresh.app)).data.exec.stdout;
    expect(shown).toContain(audited.replace(/^.* (audit=n\d+) .*$/, "$1"));
  });
});

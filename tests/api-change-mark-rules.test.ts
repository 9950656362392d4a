// The rules of api/clusters.ts' change-mark path that api-change-mark.test.ts does not name, one by one:
//   - a reset hands over a NEW engine: the old one's mark did not move, but the new state is saved with its text;
//   - the audit asks what this instance saved (SaveBatcher.differsFromSaved) exactly once in MARK_AUDIT_EVERY
//     unchanged commands — never for a command that changed something (that one is serialised anyway), and not for
//     every unchanged one (the point of the mark is not to serialise them);
//   - an audit that finds the text as saved raises no alarm and saves no text; nor does one on a server that has saved
//     nothing of the cluster (a restart: it cannot tell, and the unchanged saves before it taught it nothing).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MARK_AUDIT_EVERY } from "../api/clusters.ts";
import { SaveBatcher } from "../api/db/save-batcher.ts";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { watchedServer as watched } from "./helpers/watched-saves.ts";

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = await t.token({ sub: "cr1", role: "student", course: "c1" });
});
afterAll(() => t?.close());

async function newCluster(name: string): Promise<string> {
  const r = await t.gql(token, `mutation { createCluster(input: { name: "${name}", labSlug: "labels", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  return r.data.createCluster.cluster.id;
}

const watchedServer = () => watched(t);

const EXEC = `mutation($id: ID!, $c: String!) { exec(input: { clusterId: $id, command: $c }) { ... on ExecPayload { stdout exitCode } } }`;
const RESET = `mutation($id: ID!) { resetCluster(input: { clusterId: $id }) { ... on ResetClusterPayload { cluster { version } } } }`;

describe("a reset", () => {
  it("is saved with the new engine's text although the old engine's mark did not move", async () => {
    const id = await newCluster("reset");
    const s = watchedServer();
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    expect((await run("kubectl create namespace gone-after-reset")).exitCode).toBe(0);
    expect((await t.gql(token, RESET, { id }, s.app)).data.resetCluster.cluster.version).toBe(3);
    expect(s.states.map((x) => (x === null ? null : typeof x))).toEqual(["string", "string"]);
    // a server that reads the row sees the start again
    const fresh = watchedServer();
    expect((await t.gql(token, EXEC, { id, c: "kubectl get namespaces" }, fresh.app)).data.exec.stdout).not.toContain("gone-after-reset");
  });
});

describe("the change mark's audit", () => {
  it(`asks what was saved exactly once in ${MARK_AUDIT_EVERY} unchanged commands, finds it as saved: no alarm, no text sent`, async () => {
    const id = await newCluster("audit-unchanged");
    const s = watchedServer();
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    expect((await run("kubectl create namespace audited")).exitCode).toBe(0); // saved with its text: remembered
    const asked = vi.spyOn(SaveBatcher.prototype, "differsFromSaved");
    try {
      for (let i = 0; i < MARK_AUDIT_EVERY; i++) expect((await run("kubectl get namespace audited -o name")).exitCode).toBe(0);
      expect(asked).toHaveBeenCalledTimes(1);
      expect(asked.mock.results[0]).toEqual({ type: "return", value: false });
    } finally {
      asked.mockRestore();
    }
    expect(s.errors).toEqual([]);
    expect(s.states.map((x) => (x === null ? null : typeof x))).toEqual(["string", ...Array(MARK_AUDIT_EVERY).fill(null)]);
  });

  it(`on a server that has saved nothing of the cluster the audit cannot tell, and raises no alarm`, async () => {
    const id = await newCluster("audit-unknown");
    const s = watchedServer(); // a restart: its batcher remembers nothing of this cluster
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    const asked = vi.spyOn(SaveBatcher.prototype, "differsFromSaved");
    try {
      for (let i = 0; i < MARK_AUDIT_EVERY; i++) expect((await run("kubectl get namespaces -o name")).exitCode).toBe(0);
      expect(asked.mock.results).toEqual([{ type: "return", value: undefined }]);
    } finally {
      asked.mockRestore();
    }
    expect(s.errors).toEqual([]);
    expect(s.states).toEqual(Array(MARK_AUDIT_EVERY).fill(null));
  });

  it(`never asks for a command that changed something (${MARK_AUDIT_EVERY} changes in a row)`, async () => {
    const id = await newCluster("audit-changed");
    const s = watchedServer();
    const run = async (c: string) => (await t.gql(token, EXEC, { id, c }, s.app)).data.exec;
    const asked = vi.spyOn(SaveBatcher.prototype, "differsFromSaved");
    try {
      for (let i = 0; i < MARK_AUDIT_EVERY; i++) expect((await run(`kubectl annotate namespace default n=${i} --overwrite`)).exitCode).toBe(0);
      expect(asked).not.toHaveBeenCalled();
    } finally {
      asked.mockRestore();
    }
    expect(s.errors).toEqual([]);
    expect(s.states.every((x) => typeof x === "string")).toBe(true);
  });
});

// Limits and production behaviour: the objects-per-cluster limit refuses a change as a whole; production masks
// unexpected errors (no stack, no message) and serves no GraphiQL; development shows details.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, silentLogger } from "../api/app.ts";
import { createTestApp, TEST_SECRET, type TestApp } from "./helpers/db-app.ts";

let t: TestApp;
let alice: string;
let id: string;
beforeAll(async () => {
  t = await createTestApp({ limits: { objectsPerCluster: 12, manifestDocuments: 3 } });
  alice = await t.token({ sub: "alice", role: "student" });
  const c = await t.gql(alice, `mutation { createCluster(input: { name: "l", seed: 2 }) { ... on CreateClusterPayload { cluster { id } } } }`);
  id = c.data.createCluster.cluster.id;
});
afterAll(() => t?.close());

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: "ikubernetes/demoapp:v1.0" }] }
`;

describe("limits", () => {
  it("a change that would exceed the objects-per-cluster limit is refused whole", async () => {
    const before = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version pods(allNamespaces: true) { name } } }`, { id });
    const r = await t.gql(alice, `mutation($id: ID!, $y: String!) { applyManifest(input: { clusterId: $id, yaml: $y }) { __typename ... on Error { message } } }`, { id, y: deployment("big", 20) });
    expect(r.data.applyManifest.__typename).toBe("ValidationError");
    expect(r.data.applyManifest.message).toMatch(/the limit is 12/);
    const after = await t.gql(alice, `query($id: ID!) { cluster(id: $id) { version pods(allNamespaces: true) { name } } }`, { id });
    expect(after.data).toEqual(before.data);
  });

  it("too many documents in one manifest", async () => {
    const y = [1, 2, 3, 4].map((i) => deployment(`d${i}`, 1)).join("---\n");
    const r = await t.gql(alice, `mutation($id: ID!, $y: String!) { applyManifest(input: { clusterId: $id, yaml: $y }) { __typename ... on Error { message } } }`, { id, y });
    expect(r.data.applyManifest).toEqual({ __typename: "ValidationError", message: "the manifest has more than 3 documents" });
  });
});

describe("production", () => {
  const broken = () => {
    // a database client whose every call fails: an unexpected server error
    const fail = () => {
      throw new Error("secret internal detail: connection to 10.0.0.5 refused");
    };
    return new Proxy({}, { get: () => new Proxy(fail, { get: () => fail }) }) as never;
  };

  it("masks unexpected errors and serves no GraphiQL", async () => {
    const app = createApp({ prisma: broken(), jwtSecret: TEST_SECRET, logger: silentLogger, production: true });
    const res = await app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: "{ myClusters { id } }" }),
    });
    const text = await res.text();
    expect(text).toContain("Unexpected error.");
    expect(text).not.toContain("secret internal detail");
    expect(text).not.toContain("stack");
    const page = await app.fetch("http://x/graphql", { headers: { accept: "text/html" } });
    expect(await page.text()).not.toContain("GraphiQL");
  });

  it("development shows the detail", async () => {
    const app = createApp({ prisma: broken(), jwtSecret: TEST_SECRET, logger: silentLogger, production: false });
    const res = await app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}` },
      body: JSON.stringify({ query: "{ myClusters { id } }" }),
    });
    expect(await res.text()).toContain("secret internal detail");
  });
});

describe("logging", () => {
  it("answers with the request id and logs each request and mutation as JSON fields with it", async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = (level: string) => (msg: string, f?: Record<string, unknown>) => lines.push({ level, msg, ...f });
    const app = createApp({ prisma: t.db.prisma, jwtSecret: TEST_SECRET, logger: { info: capture("info"), warn: capture("warn"), error: capture("error") } });
    const res = await app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}`, "x-request-id": "req-123" },
      body: JSON.stringify({ query: `mutation Make { createCluster(input: { name: "logged" }) { __typename } }`, operationName: "Make" }),
    });
    expect(res.headers.get("x-request-id")).toBe("req-123");
    expect(lines).toContainEqual(expect.objectContaining({ msg: "cluster created", requestId: "req-123", owner: "alice" }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: "request", requestId: "req-123", op: "Make", status: 200 }));
  });
});


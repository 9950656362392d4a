// The Node server as a user starts it (`npm run dev` = tsx api/server.ts): prints tokens, serves GraphiQL and the
// API; a real process restart on the same database loses nothing; production (`npm start`) without JWT_SECRET refuses
// to start.
// Database: the test server's own database when DATABASE_URL is set, else the embedded PGlite in a temp data dir.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";

const ROOT = join(import.meta.dirname, "..");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  port: number;
}

const children: ChildProcess[] = [];

async function start(env: Record<string, string | undefined>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, [TSX, join(ROOT, "api", "server.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), KUBELAB_PGLITE_PORT: String(await freePort()), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const t0 = Date.now();
  while (!out.includes("instructor teacher")) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}:\n${out}`);
    if (Date.now() - t0 > 60_000) throw new Error(`server not ready in 60 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => out, port };
}

function stop(r: Running): Promise<void> {
  return new Promise((resolve) => {
    if (r.child.exitCode !== null) return resolve();
    r.child.once("exit", () => resolve());
    r.child.kill("SIGTERM");
  });
}

async function gql(port: number, token: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: unknown[] };
}

let db: TestDatabase | undefined;
let dataDir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kubelab-server-"));
  env = { KUBELAB_DATA_DIR: dataDir, NODE_ENV: "development", JWT_SECRET: undefined };
  if (process.env.DATABASE_URL) {
    db = await createTestDatabase();
    env.DATABASE_URL = db.url;
  } else env.DATABASE_URL = undefined;
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await db?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("starts with nothing configured, prints tokens, and keeps everything across a restart", async () => {
    const first = await start(env);
    const studentToken = /student alice:\s+\{"Authorization": "Bearer ([^"]+)"\}/.exec(first.output())?.[1];
    expect(studentToken).toBeTruthy();
    const page = await fetch(`http://127.0.0.1:${first.port}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GraphiQL");

    const c = await gql(first.port, studentToken!, `mutation { createCluster(input: { name: "persist", seed: 9 }) { ... on CreateClusterPayload { cluster { id } } } }`);
    const id = c.data.createCluster.cluster.id;
    const adv = await gql(first.port, studentToken!, `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 30 }) { ... on AdvanceClockPayload { now } } }`, { id });
    const now = adv.data.advanceClock.now;
    await stop(first);

    // a new process, the same database (and, without DATABASE_URL, the same dev secret from .data/)
    const second = await start(env);
    const again = await gql(second.port, studentToken!, `{ myClusters { id now version commandLog { totalCount } } }`);
    expect(again.errors).toBeUndefined();
    expect(again.data.myClusters).toEqual([{ id, now, version: 2, commandLog: { totalCount: 1 } }]);
    await stop(second);
  }, 180_000); // two cold starts of the dev server (PGlite, the web build, GraphiQL's assets): 10-60 s on two shared cores

  it("production without JWT_SECRET stops with a clear message (`npm start` itself)", async () => {
    // the start script as an admin runs it (package.json), so a start command that cannot start the server fails here
    const child = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", JWT_SECRET: "", DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none", KUBELAB_DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(1);
    expect(err).toContain("JWT_SECRET is not set");
  }, 60_000);
});

// The saves' pool of databaseForUrl (api/db/node.ts: the mutations' saves on connections of their own) keeps the
// shared pool's rule: an idle connection the server drops (a restart, a failover, idle_session_timeout) is not an
// uncaught error — which would end the Node server — and the next save opens a new one. PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/db.ts";
import { terminateBackend, uncaughtWhile } from "./helpers/pg-drop.ts";
import { databaseForUrl, type NodeDatabase } from "../api/db/node.ts";

const base = process.env.DATABASE_URL;
let t: TestDatabase;
let d: NodeDatabase | undefined;
beforeAll(async () => {
  if (base) t = await createTestDatabase();
});
afterAll(async () => {
  await d?.close();
  await t?.close();
});

describe.runIf(!!base)("the saves' pool", () => {
  it("an idle connection of it the server drops is not an uncaught error, and the next save gets a new one", async () => {
    d = databaseForUrl(t.url!, { saveConnections: 1 });
    const [{ p }] = await d.saveSql.query<{ p: number }>(`SELECT pg_backend_pid() AS p`, []);
    expect(d.savePool.totalCount).toBe(1);
    const uncaught = await uncaughtWhile(async () => {
      await terminateBackend(t.url!, p);
      for (let i = 0; i < 100 && d!.savePool.totalCount > 0; i++) await new Promise((r) => setTimeout(r, 20));
    });
    expect(uncaught).toEqual([]);
    expect(d.savePool.totalCount).toBe(0);
    const [{ p: again }] = await d.saveSql.query<{ p: number }>(`SELECT pg_backend_pid() AS p`, []);
    expect(again).not.toBe(p);
  });
});

// A restarted test server whose cluster saves are watched: the state parameter of each cluster UPDATE it sends (null
// when the stored text is kept) and the errors it logs. For the change-mark tests (api-change-mark*): a restart's
// batcher remembers nothing of the clusters, which is what they need.
import type { TestApp } from "./db-app.ts";
import type { SqlClient } from "../../api/db/sql.ts";

export function watchedServer(t: TestApp) {
  const conn = t.db.newConnection();
  const states: unknown[] = [];
  const errors: string[] = [];
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
  const app = t.restart({ prisma: conn.prisma, sql, logger: { info() {}, warn() {}, error: (msg) => void errors.push(msg) } });
  return { app, states, errors };
}

// An app on a fresh test database, with real tokens and a small GraphQL client over yoga.fetch.
import { createApp, silentLogger, type App, type AppEnv } from "../../api/app.ts";
import { signToken, DEFAULT_AUDIENCE, DEFAULT_ISSUER, type Principal } from "../../api/auth.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { catalog as labCatalog } from "../../api/labs-catalog.ts";

export const TEST_SECRET = "kubelab-test-secret-0123456789abcdef";

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  db: TestDatabase;
  app: App;
  token(p: Principal): Promise<string>;
  gql<T = any>(token: string | null, query: string, variables?: Record<string, unknown>, app?: App): Promise<GqlResult<T>>;
  /** A second app instance (a restarted server) on the same database, with its own connection pool. */
  restart(overrides?: Partial<AppEnv>): App;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<AppEnv> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const make = (conn: { prisma: AppEnv["prisma"]; sql?: AppEnv["sql"] }, o: Partial<AppEnv> = {}) =>
    createApp({ prisma: conn.prisma, sql: conn.sql, jwtSecret: TEST_SECRET, logger: silentLogger, labs: labCatalog, ...overrides, ...o });
  const app = make(db);
  return {
    db,
    app,
    token: (p) => signToken({ secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE }, p),
    async gql(token, query, variables, which = app) {
      const res = await which.fetch("http://kubelab.test/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as GqlResult;
      return { status: res.status, data: body.data, errors: body.errors };
    },
    restart: (o = {}) => make(db.newConnection(), o),
    close: () => db.close(),
  };
}

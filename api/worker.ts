// Cloudflare Workers entry: the same createApp handler, PostgreSQL through a Hyperdrive binding. The Prisma client is
// the workerd build (the Node one crashes in workerd) and is created per request (Hyperdrive pools for us), with
// `max: 1`, and disconnected after the response via waitUntil. yoga is created once per isolate.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma-workerd/client.ts";
import type { PrismaClient as NodePrismaClient } from "./generated/prisma/client.ts";
import { createApp, type App } from "./app.ts";
import { catalog as labCatalog } from "./labs-catalog.ts";
// The web lab's files (scripts/build-web.mjs; npm run worker:build/dev/smoke build them first), bundled in.
import webAssets from "../web/dist/assets.json";

export interface Env {
  HYPERDRIVE: { connectionString: string };
  JWT_SECRET?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  /** "development" turns GraphiQL and detailed errors on (wrangler dev sets it through .dev.vars). */
  ENVIRONMENT?: string;
}

interface ExecutionContext {
  waitUntil(p: Promise<unknown>): void;
}

let app: App | undefined;
const clients = new WeakMap<Request, NodePrismaClient>();

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (!env.JWT_SECRET) {
      return new Response(JSON.stringify({ errors: [{ message: "The server is not configured: JWT_SECRET is missing (wrangler secret put JWT_SECRET)" }] }), {
        status: 500,
        headers: { "content-type": "application/json" },
      });
    }
    app ??= createApp({
      prisma: (req) => clients.get(req)!,
      jwtSecret: env.JWT_SECRET,
      jwtIssuer: env.JWT_ISSUER,
      jwtAudience: env.JWT_AUDIENCE,
      production: env.ENVIRONMENT !== "development",
      labs: labCatalog,
      web: webAssets,
      // An isolate has 128 MB: keep fewer clusters hydrated than a Node server does.
      limits: { engineCache: 32 },
    });
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: env.HYPERDRIVE.connectionString, max: 1 }) }) as unknown as NodePrismaClient;
    clients.set(request, prisma);
    try {
      return await (app.fetch as (r: Request, ...rest: unknown[]) => Promise<Response>)(request, env, ctx);
    } finally {
      ctx.waitUntil(prisma.$disconnect());
    }
  },
};

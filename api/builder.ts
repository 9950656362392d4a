// The Pothos schema builder (code-first). Schema parts live in api/schema/<domain>.ts and register on this builder.
import SchemaBuilder from "@pothos/core";
import { createGraphQLError } from "graphql-yoga";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import type PrismaTypes from "./generated/pothos-types.ts";
import { getDatamodel } from "./generated/pothos-types.ts";
import type { Context } from "./context.ts";

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { loggedIn: boolean; staff: boolean };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
  };
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      loggedIn: ctx.principal !== null,
      staff: ctx.principal?.role === "instructor" || ctx.principal?.role === "grader",
    }),
    // One message per case, whatever was asked: nothing about what exists.
    unauthorizedError: (_parent, ctx) =>
      ctx.principal
        ? createGraphQLError("Not authorized", { extensions: { code: "FORBIDDEN" } })
        : createGraphQLError("Not authenticated: send 'Authorization: Bearer <token>'", { extensions: { code: "UNAUTHENTICATED" } }),
  },
  errors: { directResult: true },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
  },
});

builder.queryType({});
builder.mutationType({});

builder.scalarType("JSON", {
  description: "Any JSON value (labels maps, Kubernetes objects).",
  serialize: (v) => v,
  parseValue: (v) => v,
});

builder.scalarType("DateTime", {
  description: "An RFC 3339 timestamp.",
  serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
  parseValue: (v) => {
    const d = new Date(String(v));
    if (Number.isNaN(d.getTime())) throw new Error("DateTime must be an RFC 3339 timestamp");
    return d;
  },
});

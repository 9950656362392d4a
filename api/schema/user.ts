// Who is calling.
import { builder } from "../builder.ts";
import { ensureUser, requirePrincipal } from "../clusters.ts";

builder.prismaObject("User", {
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name", { nullable: true }),
    role: t.string({ description: "The role in the current token.", resolve: (_u, _a, ctx) => requirePrincipal(ctx).role }),
    course: t.string({ nullable: true, description: "The course in the current token.", resolve: (_u, _a, ctx) => requirePrincipal(ctx).course ?? null }),
    clusters: t.relation("clusters", { query: { where: { deletedAt: null }, orderBy: { createdAt: "asc" } } }),
  }),
});

builder.queryField("me", (t) =>
  t.prismaField({
    type: "User",
    authScopes: { loggedIn: true },
    resolve: async (query, _root, _args, ctx) => {
      await ensureUser(ctx);
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: requirePrincipal(ctx).sub } });
    },
  }),
);

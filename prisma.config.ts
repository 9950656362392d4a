// Prisma 7 configuration. `process.env.DATABASE_URL` (not `env()`): `env()` throws when unset, even for `generate`,
// and kubelab runs without DATABASE_URL on an embedded PGlite.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/kubelab_unset" },
});

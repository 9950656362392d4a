#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on kubelab's machines.
# The Prisma CLI only asks it for its version before `generate` / `validate` / `format`; those run in WASM.
# Migrations are applied by scripts/migrate.ts through @prisma/schema-engine-wasm instead.
if [ "$1" = "--version" ]; then
  echo "schema-engine-cli offline-stub"
  exit 0
fi
echo "kubelab: the native Prisma schema engine is not available here; use 'npm run db:migrate' / 'npm run db:diff'" >&2
exit 1

// Configuration from the environment (Node side). The Worker reads its bindings in api/worker.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ROOT } from "./db/migrate.ts";

export function devDataDir(): string {
  const dir = process.env.KUBELAB_DATA_DIR ?? join(ROOT, ".data");
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function isProduction(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV === "production";
}

/**
 * The JWT secret: JWT_SECRET, or in development one generated once and kept in .data/jwt-secret.
 * In production a missing secret is an error the caller turns into a clear exit.
 */
export function jwtSecret(env: Record<string, string | undefined> = process.env): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (isProduction(env)) throw new Error("JWT_SECRET is not set: a production server needs it (at least 32 characters) to verify tokens");
  const file = join(devDataDir(), "jwt-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

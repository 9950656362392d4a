// Bearer JWTs (HS256). Claims: sub (the user), role (student | instructor | grader), course (optional course id),
// name (optional). Issuer and audience are checked. Works in Node and in workerd (jose uses WebCrypto).
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";

export type Role = "student" | "instructor" | "grader";
export const ROLES: readonly Role[] = ["student", "instructor", "grader"];

export interface AuthConfig {
  secret: string;
  issuer: string;
  audience: string;
}

export interface Principal {
  sub: string;
  role: Role;
  course?: string;
  name?: string;
}

export const DEFAULT_ISSUER = "kubelab";
export const DEFAULT_AUDIENCE = "kubelab-api";

const enc = new TextEncoder();

export async function signToken(cfg: AuthConfig, p: Principal, ttlSeconds = 12 * 3600): Promise<string> {
  const claims: Record<string, unknown> = { role: p.role };
  if (p.course) claims.course = p.course;
  if (p.name) claims.name = p.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(p.sub)
    .setIssuer(cfg.issuer)
    .setAudience(cfg.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(enc.encode(cfg.secret));
}

export class AuthError extends Error {}

// Verified tokens, per configuration, until they expire: a student's token is checked once, not on every click.
// Only tokens that passed verification are kept (the key is the whole token, signature included).
const VERIFIED_MAX = 10_000;
const verified = new WeakMap<AuthConfig, Map<string, { principal: Principal; exp: number }>>();

/** Verify a bearer token; throws AuthError with a short reason (never echoing the token). */
export async function verifyToken(cfg: AuthConfig, token: string): Promise<Principal> {
  let cache = verified.get(cfg);
  if (!cache) verified.set(cfg, (cache = new Map()));
  const hit = cache.get(token);
  if (hit && hit.exp > Date.now() / 1000) return hit.principal;
  if (hit) cache.delete(token);
  const { principal, exp } = await verifyUncached(cfg, token);
  if (cache.size >= VERIFIED_MAX) cache.clear();
  if (exp !== undefined) cache.set(token, { principal, exp });
  return principal;
}

async function verifyUncached(cfg: AuthConfig, token: string): Promise<{ principal: Principal; exp?: number }> {
  try {
    const { payload } = await jwtVerify(token, enc.encode(cfg.secret), {
      algorithms: ["HS256"],
      issuer: cfg.issuer,
      audience: cfg.audience,
    });
    const role = payload.role;
    if (typeof payload.sub !== "string" || payload.sub === "" || payload.sub.length > 200) throw new AuthError("token has no subject");
    if (typeof role !== "string" || !ROLES.includes(role as Role)) throw new AuthError("token has no valid role");
    const principal: Principal = {
      sub: payload.sub,
      role: role as Role,
      course: typeof payload.course === "string" ? payload.course : undefined,
      name: typeof payload.name === "string" ? payload.name : undefined,
    };
    return { principal, exp: payload.exp };
  } catch (e) {
    if (e instanceof AuthError) throw e;
    if (e instanceof joseErrors.JWTExpired) throw new AuthError("token expired");
    throw new AuthError("invalid token");
  }
}

/** The principal of a request, null when there is no Authorization header. Throws AuthError on a bad token. */
export async function authenticate(cfg: AuthConfig, request: Request): Promise<Principal | null> {
  const h = request.headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h.trim());
  if (!m) throw new AuthError("Authorization must be 'Bearer <token>'");
  return verifyToken(cfg, m[1]);
}

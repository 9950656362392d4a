// Cluster-scoped bearer tokens for the Kubernetes API: a JWT (same secret and issuer as the API's) for one student
// and one cluster, with its own audience so it is not a GraphQL token and a GraphQL token is not one of these.
import { SignJWT, jwtVerify } from "jose";
import type { AuthConfig, Principal, Role } from "../auth.ts";
import { ROLES } from "../auth.ts";

export const K8S_AUDIENCE = "kubelab-k8s";
export const K8S_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

const enc = new TextEncoder();

export interface ClusterPrincipal extends Principal {
  cluster: string;
}

export async function signClusterToken(cfg: AuthConfig, p: ClusterPrincipal, ttlSeconds = K8S_TOKEN_TTL_SECONDS): Promise<string> {
  const claims: Record<string, unknown> = { role: p.role, cluster: p.cluster };
  if (p.course) claims.course = p.course;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(p.sub)
    .setIssuer(cfg.issuer)
    .setAudience(K8S_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(enc.encode(cfg.secret));
}

const verified = new Map<string, { p: ClusterPrincipal; exp: number }>();

/** The token's principal, or null for any token that is not a valid, unexpired cluster token of this server. */
export async function verifyClusterToken(cfg: AuthConfig, token: string): Promise<ClusterPrincipal | null> {
  const hit = verified.get(token);
  if (hit && hit.exp > Date.now() / 1000) return hit.p;
  try {
    const { payload } = await jwtVerify(token, enc.encode(cfg.secret), { algorithms: ["HS256"], issuer: cfg.issuer, audience: K8S_AUDIENCE });
    if (typeof payload.sub !== "string" || !payload.sub || typeof payload.cluster !== "string" || !ROLES.includes(payload.role as Role)) return null;
    const p: ClusterPrincipal = { sub: payload.sub, role: payload.role as Role, cluster: payload.cluster, ...(typeof payload.course === "string" ? { course: payload.course } : {}) };
    if (verified.size > 10_000) verified.clear();
    if (payload.exp) verified.set(token, { p, exp: payload.exp });
    return p;
  } catch {
    return null;
  }
}

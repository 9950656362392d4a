// Who a request is, through GraphQL over HTTP (api/auth.ts → api/app.ts): the Authorization header's shape, then each
// claim of the bearer token (sub, role, course, name, iss, aud, exp, alg). `me { id name role course }` shows the
// principal a token made; a refused token answers 401 with the reason, never the token.
//
// The tokens are signed here with jose, claim by claim, so a row can carry what signToken would never write (no
// subject, a numeric course, another issuer, …): what matters is what the API makes of a token it is sent.
import { SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, TEST_SECRET, type TestApp } from "./helpers/db-app.ts";
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, signToken, verifyToken, type AuthConfig } from "../api/auth.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());
afterEach(() => {
  vi.useRealTimers();
});

const ME = `{ me { id name role course } }`;
const NOW = () => Math.floor(Date.now() / 1000);

interface Made {
  claims?: Record<string, unknown>;
  alg?: "HS256" | "HS512";
  secret?: string;
  iss?: string;
  aud?: string;
  /** Seconds from now; null: no exp claim at all. */
  expIn?: number | null;
  nbfIn?: number;
}

/** A token signed by hand: HS256 with the app's secret, issuer and audience, expiring in an hour, unless told. */
function made(m: Made = {}): Promise<string> {
  const claims = m.claims ?? { sub: "tok-user", role: "student" };
  const { sub, ...rest } = claims;
  let j = new SignJWT(rest)
    .setProtectedHeader({ alg: m.alg ?? "HS256", typ: "JWT" })
    .setIssuer(m.iss ?? DEFAULT_ISSUER)
    .setAudience(m.aud ?? DEFAULT_AUDIENCE)
    .setIssuedAt();
  if (sub !== undefined) j = j.setSubject(sub as string);
  if (m.expIn !== null) j = j.setExpirationTime(NOW() + (m.expIn ?? 3600));
  if (m.nbfIn !== undefined) j = j.setNotBefore(NOW() + m.nbfIn);
  return j.sign(new TextEncoder().encode(m.secret ?? TEST_SECRET));
}

/** POST ME with exactly this Authorization header (undefined: none). */
async function asHeader(authorization: string | undefined): Promise<{ status: number; me?: unknown; error?: string }> {
  const res = await t.app.fetch("http://kubelab.test/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === undefined ? {} : { authorization }) },
    body: JSON.stringify({ query: ME }),
  });
  const body = (await res.json()) as { data?: { me?: unknown }; errors?: { message: string }[] };
  return body.errors ? { status: res.status, error: body.errors[0].message } : { status: res.status, me: body.data?.me };
}

const SHAPE = "Authorization must be 'Bearer <token>'";

describe("the Authorization header", () => {
  const rows: [string, (tok: string) => string | undefined, { status: number; me?: unknown; error?: string }][] = [
    ["none: not authenticated (the query needs a principal)", () => undefined, { status: 200, error: "Not authenticated: send 'Authorization: Bearer <token>'" }],
    ["'Bearer <token>'", (tok) => `Bearer ${tok}`, { status: 200, me: { id: "tok-user", name: null, role: "student", course: null } }],
    ["the scheme in any case: 'bearer <token>'", (tok) => `bEaReR ${tok}`, { status: 200, me: { id: "tok-user", name: null, role: "student", course: null } }],
    ["several spaces after the scheme", (tok) => `Bearer   ${tok}`, { status: 200, me: { id: "tok-user", name: null, role: "student", course: null } }],
    ["a tab after the scheme", (tok) => `Bearer\t${tok}`, { status: 200, me: { id: "tok-user", name: null, role: "student", course: null } }],
    ["another scheme: 'Basic …'", (tok) => `Basic ${tok}`, { status: 401, error: SHAPE }],
    ["the scheme alone", () => "Bearer", { status: 401, error: SHAPE }],
    ["the scheme with no space before the token", (tok) => `Bearer${tok}`, { status: 401, error: SHAPE }],
    ["the scheme inside a longer word: 'XBearer <token>'", (tok) => `XBearer ${tok}`, { status: 401, error: SHAPE }],
    ["two words after the scheme", (tok) => `Bearer ${tok} extra`, { status: 401, error: SHAPE }],
    ["the token alone, no scheme", (tok) => tok, { status: 401, error: SHAPE }],
    ["a token that is not a JWT", () => "Bearer not-a-jwt", { status: 401, error: "invalid token" }],
  ];
  it.each(rows)("%s", async (_name, header, expected) => {
    const tok = await made();
    expect(await asHeader(header(tok))).toEqual(expected);
  });
});

describe("the token's claims", () => {
  const ok = (me: Record<string, unknown>) => ({ status: 200, me: { name: null, course: null, ...me } });
  const refused = (error: string) => ({ status: 401, error });
  const long = (n: number) => "u".repeat(n);
  const rows: [string, Made, { status: number; me?: unknown; error?: string }][] = [
    ["a student", { claims: { sub: "claims-1", role: "student" } }, ok({ id: "claims-1", role: "student" })],
    ["an instructor of a course", { claims: { sub: "claims-2", role: "instructor", course: "c-claims" } }, ok({ id: "claims-2", role: "instructor", course: "c-claims" })],
    ["a grader of a course, with a name", { claims: { sub: "claims-3", role: "grader", course: "c-claims", name: "Grace" } }, ok({ id: "claims-3", role: "grader", course: "c-claims", name: "Grace" })],
    ["a course that is not a string is no course", { claims: { sub: "claims-4", role: "instructor", course: 123 } }, ok({ id: "claims-4", role: "instructor" })],
    ["a name that is not a string is no name", { claims: { sub: "claims-5", role: "student", name: 42 } }, ok({ id: "claims-5", role: "student" })],
    ["a subject of 200 characters", { claims: { sub: long(200), role: "student" } }, ok({ id: long(200), role: "student" })],
    ["a subject of 201 characters", { claims: { sub: long(201), role: "student" } }, refused("token has no subject")],
    ["no subject", { claims: { role: "student" } }, refused("token has no subject")],
    ["an empty subject", { claims: { sub: "", role: "student" } }, refused("token has no subject")],
    ["no role", { claims: { sub: "claims-6" } }, refused("token has no valid role")],
    ["a role that does not exist", { claims: { sub: "claims-7", role: "admin" } }, refused("token has no valid role")],
    ["a role that is not a string", { claims: { sub: "claims-8", role: 1 } }, refused("token has no valid role")],
    ["a role given as a list", { claims: { sub: "claims-9", role: ["student"] } }, refused("token has no valid role")],
    ["another issuer", { iss: "elsewhere" }, refused("invalid token")],
    ["another audience", { aud: "elsewhere" }, refused("invalid token")],
    ["another secret", { secret: "x".repeat(40) }, refused("invalid token")],
    ["another algorithm (HS512, the same secret)", { alg: "HS512" }, refused("invalid token")],
    ["expired a minute ago", { expIn: -60 }, refused("token expired")],
    ["not valid for another minute", { nbfIn: 60 }, refused("invalid token")],
    ["no expiry at all", { claims: { sub: "claims-10", role: "student" }, expIn: null }, ok({ id: "claims-10", role: "student" })],
  ];
  it.each(rows)("%s", async (_name, m, expected) => {
    const tok = await made(m);
    const got = await asHeader(`Bearer ${tok}`);
    expect(got).toEqual(expected);
    // a refusal never echoes the token
    if (got.error) expect(got.error).not.toContain(tok.split(".")[1]);
  });
});

describe("signToken", () => {
  const cfg: AuthConfig = { secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: DEFAULT_AUDIENCE };
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

  it("writes an HS256 JWT valid for 12 hours by default, with only the claims it has", async () => {
    const tok = await signToken(cfg, { sub: "s1", role: "student", course: "", name: "" });
    const [header, payload] = tok.split(".").map((p, i) => (i < 2 ? decode(p) : p));
    expect(header).toEqual({ alg: "HS256", typ: "JWT" });
    expect(payload).toEqual({ sub: "s1", role: "student", iss: DEFAULT_ISSUER, aud: DEFAULT_AUDIENCE, iat: expect.any(Number), exp: expect.any(Number) });
    expect(payload.exp - payload.iat).toBe(12 * 3600);
    expect(Math.abs(payload.iat - NOW())).toBeLessThanOrEqual(1);
    expect(await asHeader(`Bearer ${tok}`)).toEqual({ status: 200, me: { id: "s1", name: null, role: "student", course: null } });
  });

  it("a token lives exactly as long as asked: refused from its expiry second on, even after it was accepted", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T10:00:00Z"));
    const tok = await signToken(cfg, { sub: "s2", role: "grader", course: "c9", name: "Gus" }, 30);
    expect(await verifyToken(cfg, tok)).toEqual({ sub: "s2", role: "grader", course: "c9", name: "Gus" });
    vi.setSystemTime(new Date("2026-12-01T10:00:29.999Z"));
    expect(await verifyToken(cfg, tok)).toMatchObject({ sub: "s2" });
    vi.setSystemTime(new Date("2026-12-01T10:00:30Z"));
    await expect(verifyToken(cfg, tok)).rejects.toThrow("token expired");
  });
});

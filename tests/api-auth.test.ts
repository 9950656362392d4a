// Token verification: what a verified-token cache must never change — expiry, signatures, configuration.
import { afterEach, describe, expect, it, vi } from "vitest";
import { signToken, verifyToken, type AuthConfig } from "../api/auth.ts";

const cfg: AuthConfig = { secret: "s".repeat(40), issuer: "kubelab", audience: "kubelab-api" };

afterEach(() => {
  vi.useRealTimers();
});

describe("verifyToken", () => {
  it("accepts a valid token repeatedly and rejects it once it has expired, even after it was accepted", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-11-27T00:00:00Z"));
    const token = await signToken(cfg, { sub: "alice", role: "student", course: "c1" }, 60);
    expect(await verifyToken(cfg, token)).toMatchObject({ sub: "alice", role: "student", course: "c1" });
    expect(await verifyToken(cfg, token)).toMatchObject({ sub: "alice" });
    vi.setSystemTime(new Date("2026-11-27T00:01:01Z"));
    await expect(verifyToken(cfg, token)).rejects.toThrow("token expired");
  });

  it("rejects a token whose signature was altered after the genuine one was accepted", async () => {
    const token = await signToken(cfg, { sub: "bob", role: "student" });
    await verifyToken(cfg, token);
    const [h, p, sig] = token.split(".");
    const forged = `${h}.${p}.${sig.slice(0, -2)}${sig.endsWith("AA") ? "BB" : "AA"}`;
    await expect(verifyToken(cfg, forged)).rejects.toThrow("invalid token");
  });

  it("does not accept a token verified under another secret", async () => {
    const token = await signToken(cfg, { sub: "carol", role: "instructor" });
    await verifyToken(cfg, token);
    await expect(verifyToken({ ...cfg, secret: "t".repeat(40) }, token)).rejects.toThrow("invalid token");
  });
});

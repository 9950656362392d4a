// The engine runs in browsers and Workers and must replay deterministically: no Node built-ins, no I/O, no wall
// clock, no Math.random, and nothing from api/ or prisma/. This reads every engine source file and checks.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..", "engine");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

describe("engine purity", () => {
  const files = sources(ROOT);
  it("has sources to check", () => {
    expect(files.length).toBeGreaterThan(20);
  });
  for (const f of files) {
    const rel = relative(ROOT, f);
    it(rel, () => {
      const code = readFileSync(f, "utf8").replace(/\/\/.*$/gm, "");
      const imports = [...code.matchAll(/(?:import|export)[^'"]*?from\s+["']([^"']+)["']/g)].map((m) => m[1]);
      for (const spec of imports) {
        const ok = spec.startsWith("./") || spec.startsWith("../") || spec === "yaml" || spec === "js-yaml";
        expect(ok, `${rel} imports ${spec}`).toBe(true);
        expect(spec.includes("/api/") || spec.includes("/prisma/"), `${rel} imports ${spec}`).toBe(false);
      }
      expect(code, `${rel} uses Math.random`).not.toMatch(/Math\.random/);
      expect(code, `${rel} reads the wall clock`).not.toMatch(/Date\.now\(|new Date\(\s*\)|performance\.now/);
      expect(code, `${rel} does I/O`).not.toMatch(/\b(fetch|setTimeout|setInterval|process\.)\b/);
    });
  }
});

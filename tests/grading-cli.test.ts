// `npm run grade`: offline grading of a command script on a fresh lab cluster, no database.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";


const ROOT = new URL("..", import.meta.url).pathname;

function grade(args: string[], input?: string) {
  const r = spawnSync(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "scripts/grade.ts"), ...args], { cwd: ROOT, input, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("npm run grade", () => {
  const dir = mkdtempSync(join(tmpdir(), "kubelab-grade-"));
  const script = join(dir, "attempt.sh");
  writeFileSync(script, "# my attempt\nkubectl apply -f services-clusterip-demo.yaml\nkubectl describe svc/demoapp-svc\n");

  it("--format json prints score, maxScore and checkpoints (id, passed, points, explanation)", () => {
    const r = grade(["--lab", "clusterip-services", "--commands", script, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ lab: "clusterip-services", score: 6, maxScore: 9 });
    expect(out.checkpoints.map((c: { id: string; passed: boolean }) => [c.id, c.passed])).toEqual([
      ["service-created", true],
      ["endpoints-follow-pods", false],
      ["load-balanced", true],
      ["looked-at-endpoints", true],
    ]);
    expect(out.checkpoints[1].explanation).toContain("Deployment demoapp: spec.replicas is 3, expected 2.");
  }, 30_000);

  it("--format gradescope prints a results.json; --strict fails a partial score; stdin works", () => {
    const r = grade(["--lab", "clusterip-services", "--commands", "-", "--format", "gradescope", "--strict", "--seed", "9"], "kubectl apply -f services-clusterip-demo.yaml\n");
    expect(r.code).toBe(1);
    const g = JSON.parse(r.stdout);
    expect(g.score).toBe(5);
    expect(g.tests).toHaveLength(4);
    expect(g.tests[0]).toMatchObject({ status: "passed", score: 2, max_score: 2 });
  }, 30_000);

  it("--solution with --format junit passes everything", () => {
    const r = grade(["--lab", "external-endpoints", "--solution", "--format", "junit", "--strict"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/<testsuite name="external-endpoints" tests="4" failures="0"/);
  }, 30_000);

  it("usage errors exit 2 with the list of labs", () => {
    const r = grade(["--lab", "nope", "--commands", script]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown lab "nope"[\s\S]*labs: clusterip-services, nodeport-services/);
    expect(grade(["--lab", "labels", "--commands", join(dir, "missing.sh")]).stderr).toMatch(/cannot read/);
  }, 30_000);
});

// The instructor's grade book in a real Chromium: two students submit clusterip-services (the reference solution,
// and a Service selecting app=demo); the teacher sees both with their scores and the failed checkpoint's
// explanation, that checkpoint's pass rate below 100 %, the wrong attempt's transcript and picture; the CSV export
// downloads gradeExport's file with both students; after a check is changed ("fixed"), regrade shows its progress
// and who lost points; a new submit shows up by polling; a grader sees the book read-only, a student gets the
// refusal, another course's instructor sees nothing. Axe and screenshots at 1280×800 and 390×844.
// Skipped with one line when Chromium is missing; failing under CI=true.
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { browserLab, lookAt, requireChromium } from "./helpers/browser.ts";
import { catalog } from "../api/labs-catalog.ts";
import type { LabCatalog } from "../api/labs.ts";
import { getLab } from "../labs/catalog.ts";

const run = requireChromium();
const SLUG = "clusterip-services";
const FIXED = "looked-at-endpoints";

/** The course's catalog, with one check that can be "fixed" (made stricter) after the students submitted. */
let fixed = false;
const labs: LabCatalog = {
  ...catalog,
  grade(slug, cluster, commands) {
    const g = catalog.grade!(slug, cluster, commands);
    if (!fixed || slug !== SLUG) return g;
    const checkpoints = g.checkpoints.map((c) => (c.id === FIXED ? { ...c, passed: false, points: 0, explanation: "the fixed check fails" } : c));
    return { ...g, checkpoints, score: checkpoints.reduce((n, c) => n + c.points, 0) };
  },
};

const WRONG_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: demoapp-svc
spec:
  clusterIP: 10.97.72.1
  selector:
    app: demo
  ports:
  - name: http
    port: 80
    targetPort: 80
`;

describe.skipIf(!run)("the grade book in Chromium", () => {
  const lab = browserLab({ labs });
  const tok: Record<string, string> = {};
  let bobAttempt = "";

  async function submit(who: string, wrong: boolean): Promise<string> {
    const gql = async (q: string, v: Record<string, unknown> = {}) => {
      const r = await lab.srv.t.gql(tok[who], q, v);
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      return r.data;
    };
    const id = (await gql(`mutation { createCluster(input: { name: "lab", labSlug: "${SLUG}", seed: 5 }) { ... on CreateClusterPayload { cluster { id } } } }`)).createCluster.cluster.id;
    for (const e of getLab(SLUG)!.solution) {
      const bad = wrong && e.line === "kubectl apply -f services-clusterip-demo.yaml";
      await gql(`mutation($id: ID!, $c: String!, $h: String, $i: String) { exec(input: { clusterId: $id, command: $c, host: $h, stdin: $i }) { __typename } }`, {
        id,
        c: bad ? "kubectl apply -f -" : e.line,
        h: e.host ?? null,
        i: bad ? WRONG_SERVICE : null,
      });
    }
    return (await gql(`mutation($id: ID!) { submitLab(input: { clusterId: $id }) { ... on SubmitLabPayload { attempt { id } } } }`, { id })).submitLab.attempt.id;
  }

  beforeAll(async () => {
    tok.alice = await lab.srv.t.token({ sub: "alice", role: "student", course: "c1", name: "Alice" });
    tok.bob = await lab.srv.t.token({ sub: "bob", role: "student", course: "c1", name: "Bob" });
    tok.carol = await lab.srv.t.token({ sub: "carol", role: "student", course: "c1", name: "Carol" });
    tok.teacher = await lab.srv.t.token({ sub: "teacher", role: "instructor", course: "c1", name: "Teacher" });
    tok.grader = await lab.srv.t.token({ sub: "ci", role: "grader", course: "c1" });
    tok.other = await lab.srv.t.token({ sub: "prof2", role: "instructor", course: "c2" });
    await submit("alice", false);
    bobAttempt = await submit("bob", true);
  }, 180_000);

  const open = async (who: string, path: string) => {
    const { page, errors } = await lab.open({ token: tok[who], path, acceptDownloads: true });
    return { page, errors };
  };

  it("shows both students, the failed checkpoint's explanation and pass rate, the wrong attempt, the CSV export, regrade and new submits", async () => {
    const { page, errors } = await open("teacher", "/teach");
    const row = page.locator(`tr[data-lab="${SLUG}"]`);
    await expect.poll(() => row.locator("td").allTextContents(), { timeout: 15_000 }).toEqual(["2", "2", expect.stringMatching(/ \/ 9$/), expect.stringMatching(/\d+ (s|min)/)]);
    await lookAt(page, "teach-course");
    await row.getByRole("link").click();

    const table = page.locator("[data-testid=gradebook]");
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: 15_000 }).toBe(2);
    expect(await table.locator("tr[data-user=alice] td.score").textContent()).toBe("9");
    const bobScore = Number(await table.locator("tr[data-user=bob] td.score").textContent());
    expect(bobScore).toBeLessThan(9);
    // bob's failed checkpoint, with the grader's own explanation word for word
    const attempt = (await lab.srv.t.gql(tok.teacher, `query($id: ID!) { attempt(id: $id) { results } }`, { id: bobAttempt })).data.attempt;
    const failed = attempt.results.checkpoints.find((c: { passed: boolean }) => !c.passed);
    const cell = table.locator(`tr[data-user=bob] td[data-checkpoint="${failed.id}"]`);
    expect(await cell.getAttribute("data-state")).toBe("failed");
    await cell.locator("summary").click();
    expect(await cell.locator(".explanation").textContent()).toBe(failed.explanation);
    expect(await table.locator(`tr[data-user=alice] td[data-checkpoint="${failed.id}"]`).getAttribute("data-state")).toBe("passed");
    // that checkpoint's pass rate is below 100 %
    expect(Number(await page.locator(`[data-testid=pass-rates] [data-checkpoint="${failed.id}"]`).getAttribute("data-rate"))).toBe(50);
    // filter: failed that checkpoint
    await page.getByLabel("failed checkpoint").selectOption(failed.id);
    await expect.poll(() => table.locator("tbody tr").count()).toBe(1);
    await page.getByLabel("failed checkpoint").selectOption("");
    await lookAt(page, "teach-gradebook");

    // the CSV export: gradeExport's file, both students
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "CSV" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8");
    const direct = (await lab.srv.t.gql(tok.teacher, `query { gradeExport(courseId: "c1", labSlug: "${SLUG}", format: CSV) { filename text } }`)).data.gradeExport;
    expect(download.suggestedFilename()).toBe(direct.filename);
    expect(csv).toBe(direct.text);
    expect(csv.split("\n").filter((l) => /^(alice|bob),/.test(l))).toHaveLength(2);

    // the wrong attempt: transcript, explanation, picture at its end
    await table.locator("tr[data-user=bob] th a").click();
    await expect.poll(() => page.locator("[data-testid=transcript]").textContent(), { timeout: 15_000 }).toContain("[root@master01 ~]# kubectl apply -f -");
    expect(await page.locator("[data-testid=transcript]").textContent()).toContain("[root@node01 ~]# curl 10.97.72.1");
    expect(await page.locator(`li[data-checkpoint="${failed.id}"] .explanation`).textContent()).toBe(failed.explanation);
    expect(await page.locator(".attempt [data-link='default/demoapp-svc']").count()).toBe(0); // app=demo selects nothing
    expect(await page.locator(".attempt [data-service='demoapp-svc']").getAttribute("aria-label")).toContain("no endpoints");
    await lookAt(page, "teach-attempt");
    await page.goBack();

    // a check is fixed; regrade records it: progress over the pages, then who lost points
    fixed = true;
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Regrade all submitted attempts" }).click();
    const summary = page.locator("[data-testid=regrade-summary]");
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain("Done: 0 gained points, 2 lost points.");
    expect(await summary.locator("li").allTextContents()).toEqual(["alice: 9 → 8 (-1)", `bob: ${bobScore} → ${bobScore - 1} (-1)`]);
    expect(await page.locator("[data-testid=regrade] progress").evaluate((p: HTMLProgressElement) => [p.value, p.max])).toEqual([2, 2]);
    await expect.poll(() => table.locator("tr[data-user=alice] td.score").textContent()).toBe("8");
    await lookAt(page, "teach-regrade");

    // carol submits: the open page shows her after its next poll
    await submit("carol", false);
    await expect.poll(() => table.locator("tr[data-user=carol] td.score").textContent(), { timeout: 30_000 }).toBe("8");
    expect(errors).toEqual([]);
  }, 240_000);

  it("a grader sees the book read-only except regrade; a student gets the refusal; another course sees nothing", async () => {
    const g = await open("grader", `/teach/labs/${SLUG}`);
    await expect.poll(() => g.page.locator("[data-testid=gb-status]").textContent(), { timeout: 15_000 }).toContain("Grader: read-only, except regrade");
    expect(await g.page.getByRole("button", { name: "Regrade all submitted attempts" }).isEnabled()).toBe(true);

    const s = await open("alice", "/teach");
    await expect.poll(() => s.page.locator("[data-testid=instructors-only] h1").textContent(), { timeout: 15_000 }).toBe("Instructors only");
    await lookAt(s.page, "teach-refusal");
    const s2 = await open("alice", `/teach/labs/${SLUG}`);
    await expect.poll(() => s2.page.locator("h1").textContent(), { timeout: 15_000 }).toBe("Instructors only");

    // another course's instructor gets the book of their own course (the token's): none of c1's students
    const o = await open("other", `/teach/labs/${SLUG}`);
    await expect.poll(() => o.page.locator("[data-testid=gradebook] caption").textContent(), { timeout: 15_000 }).toBe("0 of 0 students shown");
    expect(await o.page.locator(".crumbs").textContent()).toContain("Course c2");
    expect(await o.page.locator("[data-testid=score-histogram] figcaption").textContent()).toBe("Score distribution (0 submitted)");
    const oa = await open("other", `/teach/labs/${SLUG}/attempts/${bobAttempt}`);
    await expect.poll(() => oa.page.locator(".attempt p").allTextContents(), { timeout: 15_000 }).toContain("There is no such attempt in your course.");
    for (const x of [g, s, s2, o, oa]) expect(x.errors).toEqual([]);
  }, 120_000);
});

// The web lab in a real Chromium (playwright-core + the system browser), real keystrokes into xterm.js: a student
// does clusterip-services from the lab list to the recorded score, and the page's answers to bad input and failure.
// Skipped with one line when Chromium is missing; failing instead under CI=true (tests/helpers/browser.ts).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { browserLab, lookAt as lookAtSizes, paste, requireChromium, screenRows, screenshot, typeLine, waitForPrompt } from "./helpers/browser.ts";
import { ROOT } from "../api/db/migrate.ts";

const run = requireChromium();

/** The reference solution as (host, line) pairs; `# host: X` switches host, other comments are skipped. */
function solution(slug: string): { host: string; line: string }[] {
  let host = "master01";
  const out: { host: string; line: string }[] = [];
  for (const raw of readFileSync(join(ROOT, "labs", slug, "solution.sh"), "utf8").split("\n")) {
    const h = /^#\s*host:\s*(\S+)/.exec(raw);
    if (h) host = h[1];
    else if (raw.trim() && !raw.trim().startsWith("#")) out.push({ host, line: raw });
  }
  return out;
}

/** Screenshots at both sizes, and the axe check at both (the phone's page whole: the terminal is below the steps). */
const lookAt = (page: Page, name: string) => lookAtSizes(page, name, { fullPage: (w) => w < 600 });

const EXEC = `mutation($id: ID!, $command: String!, $host: String) { exec(input: { clusterId: $id, command: $command, host: $host }) { ... on ExecPayload { stdout stderr exitCode } ... on Error { message } } }`;

describe.skipIf(!run)("the web lab in Chromium", () => {
  const lab = browserLab();
  const open = async (token: string, path = "/") => {
    const { page, errors, external } = await lab.open({ token, path, offline: true, consoleErrors: true });
    return { page, errors, external };
  };

  it("a student does clusterip-services by typing the reference solution, sees exec's output, passes, submits, and gets it all back after a reload", async () => {
    const token = await lab.srv.t.token({ sub: "stu1", role: "student", course: "c1", name: "Student One" });
    const { page, errors, external } = await open(token);
    // the token left the address bar; the list shows the lab, not started
    expect(new URL(page.url()).hash).toBe("");
    const card = page.locator(".card", { hasText: "ClusterIP Services and their Endpoints" });
    await expect.poll(() => card.locator(".badge").textContent()).toBe("Not started");
    await expect.poll(() => card.textContent()).toContain("about 20 min");
    await lookAt(page, "lab-list");
    await card.getByRole("link", { name: /^Start / }).click();
    await waitForPrompt(page);
    expect(page.url()).toBe(`${lab.srv.url}/labs/clusterip-services`);

    // the same lines through exec, on a cluster with the same seed: the terminal must show exactly this
    const mine = (await lab.srv.t.gql(token, `{ myClusters { id seed } }`)).data.myClusters[0];
    const ref = await lab.srv.t.gql(token, `mutation($s: Int!) { createCluster(input: { name: "ref", labSlug: "clusterip-services", seed: $s }) { ... on CreateClusterPayload { cluster { id } } } }`, { s: mine.seed });
    const refId = ref.data.createCluster.cluster.id;

    let host = "master01";
    for (const step of solution("clusterip-services")) {
      if (step.host !== host) {
        await typeLine(page, `ssh ${step.host}`);
        const rows = await waitForPrompt(page);
        expect(rows.filter((r) => r).pop()).toBe(`[root@${step.host} ~]#`);
        host = step.host;
      }
      await typeLine(page, step.line);
      const rows = (await waitForPrompt(page)).filter((r, i, all) => r || all.slice(i).some((x) => x));
      const want = (await lab.srv.t.gql(token, EXEC, { id: refId, command: step.line, host })).data.exec;
      const expected = (want.stdout + want.stderr).split("\n").slice(0, -1).map((l: string) => l.replace(/\s+$/, ""));
      // the rows between the typed line and the new prompt are exec's output, line for line
      const typedAt = rows.map((r) => r.endsWith(`]# ${step.line}`)).lastIndexOf(true);
      const shown = typedAt >= 0 ? rows.slice(typedAt + 1, -1) : rows.slice(0, -1);
      expect(shown.slice(-expected.length), step.line).toEqual(expected.slice(-shown.length));
      expect(shown.length).toBeGreaterThanOrEqual(Math.min(expected.length, 15));
    }
    await screenshot(page, "workspace-after-solution-1280x800");

    await page.getByRole("button", { name: "Check my progress" }).click();
    await expect.poll(() => page.locator(".cp .cp-state").allTextContents(), { timeout: 15_000 }).toEqual(["✔ Passed", "✔ Passed", "✔ Passed", "✔ Passed"]);
    await expect.poll(() => page.locator(".checkpoints .score").textContent()).toBe("Progress: 9 / 9 points.");
    await page.getByRole("button", { name: "Submit…" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, submit");
    await lookAt(page, "workspace-submit-confirm");
    await page.getByRole("button", { name: "Yes, submit" }).click();
    await expect.poll(() => page.locator(".checkpoints .score").textContent()).toMatch(/^Submitted: 9 \/ 9 points recorded /);
    const attempts = (await lab.srv.t.gql(token, `{ attempts(labSlug: "clusterip-services") { score submittedAt } }`)).data.attempts;
    expect(attempts[0].score).toBe(9);

    await page.reload();
    await waitForPrompt(page);
    await expect.poll(() => page.locator(".checkpoints .score").textContent()).toMatch(/^Submitted: 9 \/ 9 points recorded /);
    await page.focus(".xterm-helper-textarea");
    await page.keyboard.press("ArrowUp");
    await expect.poll(async () => (await screenRows(page)).filter((r) => r).pop()).toBe("[root@master01 ~]# curl 10.97.72.1");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await expect.poll(async () => (await screenRows(page)).filter((r) => r).pop()).toBe("[root@master01 ~]# kubectl describe svc/demoapp-svc");
    await page.keyboard.press("Control+C");
    await lookAt(page, "workspace");
    await page.getByRole("link", { name: "Labs" }).click();
    await expect.poll(() => page.locator(".card", { hasText: "ClusterIP Services" }).locator(".badge").textContent()).toBe("Submitted: 9 / 9");
    expect(errors).toEqual([]);
    expect(external).toEqual([]); // nothing asked of another origin
  }, 240_000);

  it("GraphiQL works with no route to the internet: everything it loads comes from the server", async () => {
    const { context, external } = await lab.context({ offline: true });
    const page = await context.newPage();
    await page.goto(`${lab.srv.url}/graphql`);
    await page.waitForSelector(".graphiql-container", { timeout: 60_000 });
    // the editor holds kubelab's first query: its tab is named after the query's first operation
    await expect.poll(() => page.locator(".graphiql-container").first().textContent(), { timeout: 30_000 }).toContain("Create");
    await screenshot(page, "graphiql-offline-1280x800");
    expect(external).toEqual([]);
    await context.close();
  }, 120_000);

  /** A student on a fresh lab cluster, at the prompt. */
  const student = async (sub: string, slug = "clusterip-services") => {
    const { token, page, errors } = await lab.student(sub, { slug, name: sub, offline: true, consoleErrors: true });
    const id = (await lab.srv.t.gql(token, `{ myClusters { id } }`)).data.myClusters[0].id as string;
    const version = async () => (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { version } }`, { id })).data.cluster.version as number;
    return { token, page, errors, id, version };
  };
  const lastRows = async (page: Page, n: number) => (await screenRows(page)).filter((r) => r).slice(-n);

  it("a wrong answer (a Service selecting app=demo, pasted as a here-document) shows the grader's explanation word for word", async () => {
    const { token, page, id, errors } = await student("stu2");
    const manifest = ["apiVersion: v1", "kind: Service", "metadata:", "  name: demoapp-svc", "spec:", "  clusterIP: 10.97.72.1", "  selector:", "    app: demo", "  ports:", "  - port: 80", "    targetPort: 80"];
    // one paste: the here-document's lines are read at "> " prompts, then the apply runs
    await paste(page, ["cat > wrong.yaml <<EOF", ...manifest, "EOF", "kubectl apply -f wrong.yaml", ""].join("\n"));
    await waitForPrompt(page);
    expect(await lastRows(page, 3)).toEqual(["[root@master01 ~]# kubectl apply -f wrong.yaml", "service/demoapp-svc created", "[root@master01 ~]#"]);
    expect((await lab.srv.t.gql(token, EXEC, { id, command: "cat wrong.yaml" })).data.exec.stdout).toBe(manifest.join("\n") + "\n");
    await page.getByRole("button", { name: "Check my progress" }).click();
    const cp = page.locator('[data-checkpoint="service-created"]');
    await expect.poll(() => cp.locator(".cp-state").textContent(), { timeout: 15_000 }).toBe("✘ Not yet");
    const grade = (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { grade { checkpoints { id passed explanation } } } }`, { id })).data.cluster.grade.checkpoints;
    const want = grade.find((c: any) => c.id === "service-created");
    expect(want.passed).toBe(false);
    expect(want.explanation).toMatch(/selector/);
    expect(await cp.locator(".explanation").textContent()).toBe(want.explanation);
    // a hint, revealed and recorded
    await cp.getByRole("button", { name: /Reveal a hint/ }).click();
    await expect.poll(() => cp.locator(".hint").textContent()).toBe("Hint: Apply the course manifest with kubectl apply -f services-clusterip-demo.yaml.");
    expect((await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { openAttempt { hintsUsed } } }`, { id })).data.cluster.openAttempt.hintsUsed).toBe(1);
    await lookAt(page, "workspace-wrong-answer");
    expect(errors).toEqual([]);
  }, 120_000);

  it("keys: Tab completes names from the cluster, Ctrl-C drops the line, Ctrl-L clears the screen, a code block's button types its commands", async () => {
    const { page, id, token } = await student("stu3");
    await page.focus(".xterm-helper-textarea");
    await page.keyboard.type("kubectl g");
    await page.keyboard.press("Tab");
    await expect.poll(async () => (await lastRows(page, 1))[0]).toBe("[root@master01 ~]# kubectl get");
    await page.keyboard.type("deploy");
    await page.keyboard.press("Tab"); // deploy, deployment, deployments: bash lists them
    await expect.poll(() => lastRows(page, 2)).toEqual(["deploy  deployment  deployments", "[root@master01 ~]# kubectl get deploy"]);
    await page.keyboard.type("ments dem");
    await page.keyboard.press("Tab");
    await expect.poll(async () => (await lastRows(page, 1))[0]).toBe("[root@master01 ~]# kubectl get deployments demoapp");
    await page.keyboard.press("Enter");
    const rows = await waitForPrompt(page);
    expect(rows.filter((r) => r).slice(-3, -1)).toEqual((await lab.srv.t.gql(token, EXEC, { id, command: "kubectl get deployments demoapp " })).data.exec.stdout.split("\n").slice(0, 2).map((l: string) => l.trimEnd()));
    await page.keyboard.type("kubectl delete deployment demoapp");
    await page.keyboard.press("Control+C");
    await expect.poll(() => lastRows(page, 2)).toEqual(["[root@master01 ~]# kubectl delete deployment demoapp^C", "[root@master01 ~]#"]);
    await page.keyboard.press("Control+L");
    await expect.poll(async () => (await screenRows(page)).filter((r) => r)).toEqual(["[root@master01 ~]#"]);
    // the second step's block: three commands, typed one after each Enter
    await page.locator(".codeblock").nth(1).getByRole("button", { name: "Type into terminal" }).click();
    await expect.poll(async () => (await lastRows(page, 1))[0]).toBe("[root@master01 ~]# cat services-clusterip-demo.yaml");
    await page.focus(".xterm-helper-textarea");
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await lastRows(page, 1))[0], { timeout: 15_000 }).toBe("[root@master01 ~]# kubectl apply -f services-clusterip-demo.yaml");
    expect((await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { services { name } } }`, { id })).data.cluster.services.map((s: any) => s.name)).toEqual(["kubernetes"]);
    // the keyboard is never trapped: Esc then Tab leaves the terminal
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("xterm-helper-textarea"))).toBe(false);
    expect((await lastRows(page, 1))[0]).toBe("[root@master01 ~]# kubectl apply -f services-clusterip-demo.yaml");
  }, 120_000);

  it("the cursor blinks while the terminal has the keyboard, and a page at the prompt runs no animation (no frame every 16.7 ms)", async () => {
    const { page } = await student("stu-blink");
    await page.focus(".xterm-helper-textarea");
    await page.keyboard.type("kubectl get pods");
    // xterm's own blink was an infinite CSS animation: Chromium rendered a frame at every vsync while it ran, and a
    // line's output waited for that grid's next frame. Nothing may run one on a page that waits for a key.
    const running = () => page.evaluate(() => document.getAnimations().filter((a) => a.playState === "running").map((a) => (a as CSSAnimation).animationName ?? a.id));
    expect(await running()).toEqual([]);
    // the spaces typed went into xterm's hidden textarea (its input event) and out again: Enter has nothing to clear
    expect(await page.evaluate(() => document.querySelector<HTMLTextAreaElement>(".xterm-helper-textarea")!.value)).toBe("");
    // the cursor's cell: the cursor's colour (#ffffff) behind the character when shown; the row's background when not
    const cursorBg = () => page.evaluate(() => getComputedStyle(document.querySelector(".xterm-rows .xterm-cursor")!).backgroundColor);
    const shown = "rgb(255, 255, 255)";
    const blink = { timeout: 10_000 };
    await expect.poll(cursorBg, blink).not.toBe(shown);
    await expect.poll(cursorBg, blink).toBe(shown);
    await expect.poll(cursorBg, blink).not.toBe(shown);
    // a line's answer: the echo and the output in the rows, the cursor shown on the new prompt, still no animation
    await page.keyboard.press("Enter");
    await expect.poll(() => lastRows(page, 1)).toEqual(["[root@master01 ~]#"]);
    expect(await screenRows(page)).toContain("[root@master01 ~]# kubectl get pods");
    await expect.poll(cursorBg, blink).toBe(shown);
    expect(await running()).toEqual([]);
    // without the keyboard the cursor is an outline that does not blink
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    await expect.poll(() => page.evaluate(() => document.querySelector(".term-host")!.classList.contains("cursor-off"))).toBe(false);
    expect(await page.evaluate(() => document.querySelector(".xterm-rows .xterm-cursor")!.className)).toContain("xterm-cursor-outline");
  }, 120_000);

  it("bad input: a 100 KiB paste, an over-limit command and a binary paste each get a clear message and leave the cluster alone", async () => {
    const { page, version } = await student("stu4");
    const v0 = await version();
    await paste(page, "x".repeat(100 * 1024));
    await expect.poll(() => lastRows(page, 2)).toEqual([
      "kubelab: the paste of 100 KiB was not typed: the terminal takes at most 64 KiB at once. Put long text in a file (cat > file.yaml <<'EOF' … EOF) in smaller parts.",
      "[root@master01 ~]#",
    ]);
    await paste(page, "echo " + "a".repeat(9000));
    await page.keyboard.press("Enter");
    await waitForPrompt(page);
    expect((await lastRows(page, 2))[0]).toBe("kubelab: the command is longer than 8192 characters");
    await paste(page, "echo hi\u0000\u0001\u001b[Athere");
    await expect.poll(() => lastRows(page, 2)).toEqual(["(3 control characters in the paste ignored)", "[root@master01 ~]# echo hithere"]);
    await page.keyboard.press("Enter");
    await waitForPrompt(page);
    expect(await lastRows(page, 2)).toEqual(["hithere", "[root@master01 ~]#"]);
    expect(await version()).toBe(v0 + 1); // only the echo ran
  }, 120_000);

  it("a cluster deleted elsewhere: the terminal says so and a new cluster starts from the page", async () => {
    const { page, token, id } = await student("stu5");
    await lab.srv.t.gql(token, `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id });
    await typeLine(page, "kubectl get pods");
    await expect.poll(() => page.getByRole("alert").first().textContent(), { timeout: 15_000 }).toContain("Your cluster for this lab no longer exists");
    // (xterm draws a write in a later task than the one the alert renders in: the row is waited for too)
    await expect.poll(async () => (await lastRows(page, 1))[0]).toMatch(/^kubelab: cluster .* not found\. This cluster no longer exists: start a new one/);
    await lookAt(page, "workspace-cluster-gone");
    await page.getByRole("button", { name: "Start a new cluster" }).click();
    await waitForPrompt(page);
    await typeLine(page, "kubectl get deploy");
    const rows = await waitForPrompt(page);
    expect(rows.filter((r) => r).slice(-3)[0]).toMatch(/^NAME\s+READY/);
    const live = (await lab.srv.t.gql(token, `{ myClusters { id } }`)).data.myClusters;
    expect(live.length).toBe(1);
    expect(live[0].id).not.toBe(id);
  }, 120_000);

  it("the server restarting mid-command: the page says the connection is lost, retries, and the line runs once", async () => {
    const { page, token, id } = await student("stu6");
    await lab.srv.stop();
    await typeLine(page, "kubectl create deployment web --image=nginx");
    await expect.poll(() => page.locator(".term-status").textContent(), { timeout: 15_000 }).toMatch(/^Connection lost — retrying in \d+ s\. What you type is kept\.$/);
    await page.keyboard.type("kubectl get deploy web");
    await page.keyboard.press("Enter");
    await screenshot(page, "workspace-connection-lost-1280x800");
    await lab.srv.start();
    await expect.poll(async () => (await screenRows(page)).some((r) => r === "deployment.apps/web created"), { timeout: 30_000 }).toBe(true);
    const rows = await waitForPrompt(page);
    expect(rows.filter((r) => r).slice(-3, -1)[0]).toMatch(/^NAME\s+READY/);
    const log = (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { commandLog(last: 10) { edges { node { input } } } } }`, { id })).data.cluster.commandLog.edges.map((e: any) => e.node.input);
    expect(log.filter((l: string) => l === "kubectl create deployment web --image=nginx")).toHaveLength(1);
    expect(log.at(-1)).toBe("kubectl get deploy web"); // typed while the server was down: kept, run after
  }, 120_000);

  it("Reset cluster asks first, then puts the lab's start back and says so in the terminal", async () => {
    const { page, token, id } = await student("stu8");
    await typeLine(page, "kubectl delete deployment demoapp");
    await waitForPrompt(page);
    await page.getByRole("button", { name: "Reset cluster…" }).click();
    // the confirmation takes the focus: Enter on it resets
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, reset");
    await lookAt(page, "workspace-reset-confirm");
    await page.getByRole("button", { name: "Yes, reset" }).click();
    await expect.poll(() => lastRows(page, 2), { timeout: 15_000 }).toEqual(["(the cluster was reset to the lab's start)", "[root@master01 ~]#"]);
    const deps = (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { deployments { name } } }`, { id })).data.cluster.deployments;
    expect(deps.map((d: any) => d.name)).toEqual(["demoapp"]);
  }, 120_000);

  it("two tabs on one cluster: both work, and each says when the other changed the cluster", async () => {
    const a = await student("stu7");
    const { page: b } = await open(a.token, "/labs/clusterip-services");
    await waitForPrompt(b);
    await typeLine(b, "kubectl scale deployment demoapp --replicas=2");
    await waitForPrompt(b);
    await typeLine(a.page, "kubectl get deploy demoapp");
    const rows = await waitForPrompt(a.page);
    const shown = rows.filter((r) => r);
    expect(shown.slice(-5)).toEqual([
      "[root@master01 ~]# kubectl get deploy demoapp",
      "(the cluster also changed elsewhere — another tab or window — since your last command)",
      expect.stringMatching(/^NAME\s+READY/),
      expect.stringMatching(/^demoapp\s+\d\/2\s/),
      "[root@master01 ~]#",
    ]);
  }, 120_000);

  it("signing in: no token, an expired one, one from another deployment — each says what is wrong and what to do", async () => {
    const { context: ctx } = await lab.context();
    const page = await ctx.newPage();
    await page.goto(`${lab.srv.url}/`);
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("You are not signed in.");
    expect(await page.locator(".signin").textContent()).toContain("Open the lab again from your course's page");
    await lookAt(page, "sign-in");
    const { signToken, DEFAULT_ISSUER } = await import("../api/auth.ts");
    const { TEST_SECRET } = await import("./helpers/db-app.ts");
    const expired = await signToken({ secret: TEST_SECRET, issuer: DEFAULT_ISSUER, audience: "kubelab-api" }, { sub: "old", role: "student", course: "c1", name: "Old" }, -60);
    await page.goto(`${lab.srv.url}/labs/clusterip-services#token=${expired}`);
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Your sign-in (Old) has expired.");
    const foreign = await signToken({ secret: "another-course-server-secret-0123456789", issuer: DEFAULT_ISSUER, audience: "kubelab-api" }, { sub: "x", role: "student", course: "c9" });
    await page.goto(`${lab.srv.url}/labs/clusterip-services#token=${foreign}`);
    await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 15_000 }).toMatch(/^The lab server refused your sign-in: /);
    await page.goto(`${lab.srv.url}/#token=not.a-token`);
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("The sign-in link is damaged: its token cannot be read.");
    await ctx.close();
  }, 120_000);
});

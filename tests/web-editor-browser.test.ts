// The web lab's editor panel in a real Chromium: `kubectl edit` and `vi` typed into xterm.js open an editor over the
// terminal; the edited text is saved through exec (Ctrl-S, or the Save button) and the terminal shows what the save
// printed. Skipped with one line when Chromium is missing; failing instead under CI=true (tests/helpers/browser.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { launch, requireChromium, screenRows, screenshot, startWebServer, typeLine, waitForPrompt, type WebServer } from "./helpers/browser.ts";

const run = requireChromium();

async function axe(page: Page, name: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
}

/** The rows from the last typed `line` on, empty rows dropped. */
async function after(page: Page, line: string): Promise<string[]> {
  const rows = (await screenRows(page)).filter((r) => r);
  return rows.slice(rows.map((r) => r.endsWith(`]# ${line}`)).lastIndexOf(true));
}

describe.skipIf(!run)("the editor panel in Chromium", () => {
  let srv: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    srv = await startWebServer();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  it("kubectl edit: change replicas in the panel, Ctrl-S → edited, and the Deployment has 2; vi notes.txt → Save → cat shows it", async () => {
    const token = await srv.t.token({ sub: "ed1", role: "student", course: "c1", name: "Editor Student" });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${srv.url}/labs/clusterip-services#token=${token}`);
    await waitForPrompt(page);

    await typeLine(page, "kubectl edit deploy/demoapp");
    const editor = page.getByRole("textbox", { name: /^vi — \/tmp\/kubectl-edit-\d+\.yaml$/ });
    await editor.waitFor({ timeout: 15_000 });
    // the panel has the keyboard; the terminal says what is going on
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("editor-text");
    expect(await page.locator(".term-status").textContent()).toMatch(/^Editing \/tmp\/kubectl-edit-\d+\.yaml — Ctrl-S saves, Esc cancels$/);
    const content = await editor.inputValue();
    expect(content).toMatch(/^# Please edit the object below\./);
    expect(content).toContain("  replicas: 3\n");
    // edit as a student does: find the line, select the 3, type a 2
    const at = content.indexOf("  replicas: 3") + "  replicas: ".length;
    await editor.evaluate((el: HTMLTextAreaElement, i) => el.setSelectionRange(i, i + 1), at);
    await page.keyboard.type("2");
    expect(await editor.inputValue()).toContain("  replicas: 2\n");
    for (const [w, h] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(150);
      await page.locator(".ws-terminal").scrollIntoViewIfNeeded();
      await screenshot(page, `editor-kubectl-edit-${w}x${h}`);
      await axe(page, `editor at ${w}x${h}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await editor.focus();
    await page.keyboard.press("Control+s");
    await waitForPrompt(page);
    expect(await page.locator(".editor-panel").count()).toBe(0);
    expect(await after(page, "kubectl edit deploy/demoapp")).toEqual(["[root@master01 ~]# kubectl edit deploy/demoapp", "deployment.apps/demoapp edited", "[root@master01 ~]#"]);
    // the keyboard is back in the terminal: type straight on
    await expect.poll(() => page.evaluate(() => document.activeElement?.className)).toContain("xterm-helper-textarea");
    await page.keyboard.type("kubectl get deploy");
    await page.keyboard.press("Enter");
    await waitForPrompt(page);
    expect(await after(page, "kubectl get deploy")).toEqual([
      "[root@master01 ~]# kubectl get deploy",
      expect.stringMatching(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$/),
      expect.stringMatching(/^demoapp +2\/2 +2 +2 +\S+$/),
      "[root@master01 ~]#",
    ]);

    // Esc leaves kubectl edit without a change: kubectl's own words
    await typeLine(page, "kubectl edit deploy/demoapp");
    await editor.waitFor({ timeout: 15_000 });
    await page.keyboard.press("Escape");
    await waitForPrompt(page);
    expect(await after(page, "kubectl edit deploy/demoapp")).toEqual(["[root@master01 ~]# kubectl edit deploy/demoapp", "Edit cancelled, no changes made.", "[root@master01 ~]#"]);

    // vi on a new file: type, press Save
    await typeLine(page, "vi notes.txt");
    const vi = page.getByRole("textbox", { name: "vi — /root/notes.txt" });
    await vi.waitFor({ timeout: 15_000 });
    expect(await vi.inputValue()).toBe("");
    await page.keyboard.type("Service: demoapp-svc\nport 80\n");
    await page.locator(".ws-terminal").scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector(".ws-terminal")!.scrollIntoView({ block: "start" }));
    await screenshot(page, "editor-vi-1280x800");
    await page.getByRole("button", { name: "Save" }).click();
    await waitForPrompt(page);
    await typeLine(page, "cat notes.txt");
    await waitForPrompt(page);
    expect(await after(page, "cat notes.txt")).toEqual(["[root@master01 ~]# cat notes.txt", "Service: demoapp-svc", "port 80", "[root@master01 ~]#"]);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

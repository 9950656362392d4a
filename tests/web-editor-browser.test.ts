// The web lab's editor in a real Chromium, typed at as a student types: `vim FILE`, `nano FILE` and `kubectl edit`
// in xterm.js open vim's or nano's screen over the terminal (a lazy chunk, CodeMirror with YAML highlighting);
// vim's i/Esc/dd/:w/:wq/:q/:q!/ZZ and E37, nano's ^O/^X/^K/^U/^W and its Save-modified-buffer question; what is
// written is what `cat` prints after, kubectl edit applies on quit; the keyboard goes back to the terminal. Console
// errors fail a test too: a style or script the page's CSP refused would show there.
// Skipped with one line when Chromium is missing; failing instead under CI=true (tests/helpers/browser.ts).
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserLab, lookAt, requireChromium, screenRows, typeLine, waitForPrompt } from "./helpers/browser.ts";

const run = requireChromium();

/** The rows from the last typed `line` on, empty rows dropped. */
async function after(page: Page, line: string): Promise<string[]> {
  const rows = (await screenRows(page)).filter((r) => r);
  return rows.slice(rows.map((r) => r.endsWith(`]# ${line}`)).lastIndexOf(true));
}

/** Runs a line at the prompt and returns what it printed (the rows between the line and the next prompt). */
async function shell(page: Page, line: string): Promise<string[]> {
  await typeLine(page, line);
  await waitForPrompt(page);
  return (await after(page, line)).slice(1, -1);
}

const text = (page: Page) => page.locator(".cm-content");
const lastLine = (page: Page) => page.locator("[data-testid=vim-last-line] .vim-msg");
const nanoStatus = (page: Page) => page.locator("[data-testid=nano-status]");
const focused = (page: Page) => page.evaluate(() => document.activeElement?.className ?? "");
/** The editor's text as its lines show it. */
const lines = (page: Page) => page.locator(".cm-line").allTextContents();

/** An ex command typed on vim's command line. */
async function ex(page: Page, command: string) {
  await page.keyboard.type(`:${command}`);
  await expect.poll(() => page.locator(".cm-vim-panel input").inputValue()).toBe(command);
  await page.keyboard.press("Enter");
}

/** Quitting gives the terminal the keyboard back, at a prompt with nothing printed since `line`. */
async function backAtPrompt(page: Page, line: string, printed: string[] = []) {
  await waitForPrompt(page);
  expect(await page.locator(".editor-panel").count()).toBe(0);
  expect(await after(page, line)).toEqual([`[root@master01 ~]# ${line}`, ...printed, "[root@master01 ~]#"]);
  await expect.poll(() => focused(page)).toContain("xterm-helper-textarea");
}

describe.skipIf(!run)("the editor in Chromium", () => {
  const lab = browserLab();

  it("vim: i, typing, Esc, :wq writes what cat prints; :q on a changed buffer says E37, :q! leaves it; :w then :q; ZZ", async () => {
    const { page, errors } = await lab.student("ed-vim", { consoleErrors: true });
    // the editor is a lazy chunk: not loaded until an editor opens
    const scripts: string[] = [];
    page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
    expect(scripts.filter((s) => s.includes("ScreenEditor"))).toEqual([]);

    await typeLine(page, "vim notes.txt");
    await page.getByRole("textbox", { name: "vim — /root/notes.txt" }).waitFor({ timeout: 15_000 });
    expect(scripts.filter((s) => /\/assets\/ScreenEditor-\w+\.js$/.test(s))).toHaveLength(1);
    await expect.poll(() => focused(page)).toContain("cm-content");
    expect(await page.locator(".term-status").textContent()).toBe("Editing /root/notes.txt in vim — :wq writes and quits, :q! quits without writing");
    expect(await lastLine(page).textContent()).toBe('"notes.txt" [New]');
    await page.keyboard.press("i");
    await expect.poll(() => lastLine(page).textContent()).toBe("-- INSERT --");
    await page.keyboard.type("Service: demoapp-svc");
    await page.keyboard.press("Enter");
    await page.keyboard.type("port 80");
    await page.keyboard.press("Escape");
    await expect.poll(() => lastLine(page).textContent()).toBe("");
    expect(await lines(page)).toEqual(["Service: demoapp-svc", "port 80"]);
    await ex(page, "wq");
    await backAtPrompt(page, "vim notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["Service: demoapp-svc", "port 80"]);
    expect(await shell(page, "wc -c notes.txt")).toEqual(["29 notes.txt"]);

    // a changed buffer: :q refuses with vim's E37, :q! leaves without writing
    await typeLine(page, "vi notes.txt");
    await page.getByRole("textbox", { name: "vi — /root/notes.txt" }).waitFor({ timeout: 15_000 });
    expect(await lastLine(page).textContent()).toBe('"notes.txt" 2L, 29B');
    await page.keyboard.type("dd");
    await expect.poll(() => lines(page)).toEqual(["port 80"]);
    await ex(page, "q");
    await expect.poll(() => lastLine(page).textContent()).toBe("E37: No write since last change (add ! to override)");
    expect(await page.locator(".editor-panel").count()).toBe(1);
    await lookAt(page, "editor-vim-E37", { before: (p) => p.locator(".ws-terminal").scrollIntoViewIfNeeded() });
    await text(page).focus();
    await ex(page, "q!");
    await backAtPrompt(page, "vi notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["Service: demoapp-svc", "port 80"]);

    // :w writes and stays (vim's "written" line), then :q leaves without a word; u undoes, yy p copies, ZZ writes and quits
    await typeLine(page, "vim notes.txt");
    await text(page).waitFor({ timeout: 15_000 });
    await page.keyboard.type("dd");
    await ex(page, "w");
    await expect.poll(() => lastLine(page).textContent()).toBe('"notes.txt" 1L, 8B written');
    expect(await page.locator(".editor-panel").count()).toBe(1);
    await ex(page, "q");
    await backAtPrompt(page, "vim notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["port 80"]);
    await typeLine(page, "vim notes.txt");
    await text(page).waitFor({ timeout: 15_000 });
    await page.keyboard.type("yyp");
    await expect.poll(() => lines(page)).toEqual(["port 80", "port 80"]);
    await page.keyboard.type("u");
    await expect.poll(() => lines(page)).toEqual(["port 80"]);
    await page.keyboard.type("A/tcp");
    await page.keyboard.press("Escape");
    await page.keyboard.type("ZZ");
    await backAtPrompt(page, "vim notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["port 80/tcp"]);
    expect(errors).toEqual([]);
  }, 180_000);

  it("kubectl edit (vi, the default EDITOR): YAML highlighted, /replicas then r2 and :wq → deployment.apps/demoapp edited; :q unchanged → Edit cancelled", async () => {
    const { page, errors, token } = await lab.student("ed-kubectl", { consoleErrors: true });
    await typeLine(page, "kubectl edit deploy/demoapp");
    const editor = page.getByRole("textbox", { name: /^vi — \/tmp\/kubectl-edit-\d+\.yaml$/ });
    await editor.waitFor({ timeout: 15_000 });
    await expect.poll(() => lastLine(page).textContent()).toMatch(/^"\/tmp\/kubectl-edit-\d+\.yaml" \d+L, \d+B$/);
    const shown = await lines(page);
    expect(shown[0]).toBe("# Please edit the object below. Lines beginning with a '#' will be ignored,");
    // the comment in its own colour
    expect(await page.locator(".cm-line").first().locator("span").first().evaluate((e) => getComputedStyle(e).color)).toBe("rgb(168, 168, 168)");
    await lookAt(page, "editor-kubectl-edit-vim", { before: (p) => p.locator(".ws-terminal").scrollIntoViewIfNeeded() });
    await text(page).focus();

    // spec comes after metadata's managedFields (line ~100 of ~150): vim's search brings it into view
    await page.keyboard.type("/replicas: 3");
    await page.keyboard.press("Enter");
    await expect.poll(() => lines(page)).toContain("  replicas: 3");
    // YAML highlighting: the key and its value each in their own colour
    const replicas = page.locator(".cm-line", { hasText: /^  replicas: 3$/ });
    const colour = (el: string) => replicas.locator("span", { hasText: new RegExp(`^${el}$`) }).first().evaluate((e) => getComputedStyle(e).color);
    expect(await colour("replicas")).toBe("rgb(126, 231, 135)");
    expect(await colour("3")).toBe("rgb(121, 192, 255)");
    await page.keyboard.type("$r2");
    await expect.poll(() => lines(page)).toContain("  replicas: 2");
    await ex(page, "wq");
    await backAtPrompt(page, "kubectl edit deploy/demoapp", ["deployment.apps/demoapp edited"]);
    const id = (await lab.srv.t.gql(token, `{ myClusters { id } }`)).data.myClusters[0].id;
    const deps = (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { deployments { name replicas } } }`, { id })).data.cluster.deployments;
    expect(deps.find((d: { name: string }) => d.name === "demoapp").replicas).toBe(2);

    await typeLine(page, "kubectl edit deploy/demoapp");
    await editor.waitFor({ timeout: 15_000 });
    await ex(page, "q");
    await backAtPrompt(page, "kubectl edit deploy/demoapp", ["Edit cancelled, no changes made."]);
    expect(errors).toEqual([]);
  }, 180_000);

  it("nano: ^O Enter writes ([ Wrote 2 lines ]), ^X leaves; ^K cuts, ^U pastes, ^W finds; ^X on a changed buffer asks, N discards, Y writes", async () => {
    const { page, errors } = await lab.student("ed-nano", { consoleErrors: true });
    await typeLine(page, "nano notes.txt");
    await page.getByRole("textbox", { name: "nano — /root/notes.txt" }).waitFor({ timeout: 15_000 });
    expect(await page.locator(".term-status").textContent()).toBe("Editing /root/notes.txt in nano — ^O writes, ^X exits");
    expect(await nanoStatus(page).textContent()).toBe("[ New File ]");
    expect(await page.locator(".nano-help-row").allTextContents()).toEqual([
      "^G Help^O Write Out^W Where Is^K Cut^T Execute^C Location",
      "^X Exit^R Read File^\\ Replace^U Paste^J Justify^_ Go To Line",
    ]);
    await page.keyboard.type("first line");
    await page.keyboard.press("Enter");
    await page.keyboard.type("second line");
    await expect.poll(() => page.locator(".nano-title").textContent()).toContain("Modified");
    await lookAt(page, "editor-nano", { before: (p) => p.locator(".ws-terminal").scrollIntoViewIfNeeded() });
    await text(page).focus();
    await page.keyboard.press("Control+O");
    const name = page.getByRole("textbox", { name: "File Name to Write:" });
    await expect.poll(() => name.inputValue()).toBe("notes.txt");
    await lookAt(page, "editor-nano-write-out", { before: (p) => p.locator(".ws-terminal").scrollIntoViewIfNeeded() });
    await name.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => nanoStatus(page).textContent()).toBe("[ Wrote 2 lines ]");
    expect(await page.locator(".nano-title").textContent()).not.toContain("Modified");
    await page.keyboard.press("Control+X");
    await backAtPrompt(page, "nano notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["first line", "second line"]);

    await typeLine(page, "nano notes.txt");
    await text(page).waitFor({ timeout: 15_000 });
    expect(await nanoStatus(page).textContent()).toBe("[ Read 2 lines ]");
    await page.keyboard.press("Control+K");
    await expect.poll(() => lines(page)).toEqual(["second line", ""]);
    await page.keyboard.press("Control+W");
    await page.keyboard.type("LINE");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+C");
    await expect.poll(() => nanoStatus(page).textContent()).toBe("[ line 1/2 (50%), col 8/12 (66%), char 8/13 (61%) ]");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Control+U");
    await expect.poll(() => lines(page)).toEqual(["second line", "first line", ""]);
    await page.keyboard.press("Control+X");
    const question = page.getByRole("group", { name: "Save modified buffer?" });
    await question.waitFor();
    await lookAt(page, "editor-nano-save-modified", { before: (p) => p.locator(".ws-terminal").scrollIntoViewIfNeeded() });
    await question.focus();
    await page.keyboard.press("n");
    await backAtPrompt(page, "nano notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["first line", "second line"]);

    // ^X, Y, Enter: written under its name, then nano leaves
    await typeLine(page, "nano notes.txt");
    await text(page).waitFor({ timeout: 15_000 });
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+X");
    await question.waitFor();
    await page.keyboard.press("y");
    await expect.poll(() => name.inputValue()).toBe("notes.txt");
    await page.keyboard.press("Enter");
    await backAtPrompt(page, "nano notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["second line"]);
    expect(errors).toEqual([]);
  }, 180_000);

  it("nano: Y and Enter queued back to back (the page busy between them) still write under the name and leave", async () => {
    const { page, errors } = await lab.student("ed-nano-queued", { consoleErrors: true });
    expect(await shell(page, "printf 'one\\ntwo\\n' > notes.txt")).toEqual([]);
    await typeLine(page, "nano notes.txt");
    await text(page).waitFor({ timeout: 15_000 });
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+X");
    await page.getByRole("group", { name: "Save modified buffer?" }).waitFor();
    // Y, then Enter as the next task, before the page paints: each goes to whatever has the keyboard then
    const targets = await page.evaluate(async () => {
      const press = (key: string) => {
        const at = document.activeElement ?? document.body;
        at.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
        return at.tagName;
      };
      const y = press("y");
      await new Promise((r) => setTimeout(r, 0));
      return [y, press("Enter")];
    });
    expect(targets).toEqual(["DIV", "INPUT"]);
    await backAtPrompt(page, "nano notes.txt");
    expect(await shell(page, "cat notes.txt")).toEqual(["two"]);
    expect(errors).toEqual([]);
  }, 180_000);

  it("kubectl edit with EDITOR=nano: ^O then ^X applies it; ^X without a write cancels", async () => {
    const { page, errors, token } = await lab.student("ed-kubectl-nano", { consoleErrors: true });
    await typeLine(page, "EDITOR=nano kubectl edit deploy/demoapp");
    await page.getByRole("textbox", { name: /^nano — \/tmp\/kubectl-edit-\d+\.yaml$/ }).waitFor({ timeout: 15_000 });
    await page.keyboard.press("Control+W");
    await page.keyboard.type("replicas: 3");
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("1");
    await page.keyboard.press("Control+O");
    await page.keyboard.press("Enter");
    await expect.poll(() => nanoStatus(page).textContent()).toMatch(/^\[ Wrote \d+ lines \]$/);
    await page.keyboard.press("Control+X");
    await backAtPrompt(page, "EDITOR=nano kubectl edit deploy/demoapp", ["deployment.apps/demoapp edited"]);
    const id = (await lab.srv.t.gql(token, `{ myClusters { id } }`)).data.myClusters[0].id;
    const deps = (await lab.srv.t.gql(token, `query($id: ID!) { cluster(id: $id) { deployments { name replicas } } }`, { id })).data.cluster.deployments;
    expect(deps.find((d: { name: string }) => d.name === "demoapp").replicas).toBe(1);
    await typeLine(page, "KUBE_EDITOR=nano kubectl edit deploy/demoapp");
    await text(page).waitFor({ timeout: 15_000 });
    await page.keyboard.press("Control+X");
    await backAtPrompt(page, "KUBE_EDITOR=nano kubectl edit deploy/demoapp", ["Edit cancelled, no changes made."]);
    expect(errors).toEqual([]);
  }, 180_000);
});

// "`npm run dev` with the network cut serves the lab and GraphiQL completely", taken literally: `npm run dev` runs in
// a network namespace that has nothing but loopback (`unshare -n`; the embedded database and a fresh data directory,
// as on a new machine), and Chromium runs in the same namespace (nsenter). The lab list, a lab page (its terminal runs
// a command) and GraphiQL load with no request failing. Without unshare/nsenter/ip (or not as root) the test is
// skipped with one line; under CI=true it fails instead, like the other real-client tests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page, Request as PwRequest } from "playwright-core";
import { launchInNetworkNamespace, requireChromium, screenRows, typeLine, waitForPrompt } from "./helpers/browser.ts";
import { ROOT } from "../api/db/migrate.ts";

/** Why a loopback-only namespace cannot be made here, or null when it can. */
function namespaceUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "not running as root (unshare -n and nsenter need it)";
  const r = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up && ip -o link show lo"], { encoding: "utf8" });
  if (r.error) return `unshare: ${r.error.message} (apt-get install util-linux iproute2)`;
  if (r.status !== 0) return `unshare -n failed: ${(r.stderr || r.stdout).trim()}`;
  if (!/[<,]UP[,>]/.test(r.stdout)) return `loopback did not come up in the namespace: ${r.stdout.trim()}`;
  const n = spawnSync("nsenter", ["--version"], { encoding: "utf8" });
  if (n.error) return `nsenter: ${n.error.message} (apt-get install util-linux)`;
  return null;
}

function requireNamespace(): boolean {
  const why = namespaceUnavailable();
  if (!why) return true;
  const line = `network-namespace test: ${why}`;
  if (process.env.CI === "true") throw new Error(`${line} — CI must run it`);
  console.log(`${line} — skipped`);
  return false;
}

const run = requireChromium() && requireNamespace();

/** The dev server's output until `pattern` shows (or it exits, or the time is up). */
function waitForOutput(child: ChildProcess, out: { text: string }, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(out.text);
      if (m) {
        clearInterval(timer);
        clearTimeout(limit);
        child.off("exit", exited);
        resolve(m);
      }
    };
    const exited = (code: number | null) => {
      clearInterval(timer);
      clearTimeout(limit);
      reject(new Error(`npm run dev exited (${code}) before ${pattern}:\n${out.text}`));
    };
    const timer = setInterval(check, 100);
    const limit = setTimeout(() => {
      clearInterval(timer);
      child.off("exit", exited);
      reject(new Error(`no ${pattern} from npm run dev in ${ms / 1000} s:\n${out.text}`));
    }, ms);
    child.once("exit", exited);
    check();
  });
}

describe.skipIf(!run)("npm run dev with no route to the internet (a network namespace with only loopback)", () => {
  let dev: ChildProcess;
  let browser: Browser;
  let dataDir: string;
  const out = { text: "" };
  let labUrl: URL;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "kubelab-dev-offline-"));
    // as on a student's machine: no DATABASE_URL (the embedded database), no JWT_SECRET, no proxy
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JWT_SECRET|NODE_ENV|PORT|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$/.test(k)));
    dev = spawn("unshare", ["-n", "sh", "-c", "ip link set lo up && exec npm run dev"], {
      cwd: ROOT,
      env: { ...env, KUBELAB_DATA_DIR: dataDir },
      detached: true, // its own process group: npm, sh and node stop together
      stdio: ["ignore", "pipe", "pipe"],
    });
    dev.stdout!.on("data", (b: Buffer) => (out.text += b.toString()));
    dev.stderr!.on("data", (b: Buffer) => (out.text += b.toString()));
    const m = await waitForOutput(dev, out, /student alice: +(http:\/\/localhost:\d+\/#token=\S+)/, 170_000);
    labUrl = new URL(m[1]);
    browser = await launchInNetworkNamespace(dev.pid!);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (dev?.pid && dev.exitCode === null) {
      const exited = new Promise((r) => dev.once("exit", r));
      process.kill(-dev.pid, "SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (dev.exitCode === null) process.kill(-dev.pid, "SIGKILL");
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  /** A page in the namespace that records every failed request, every answer ≥ 400 and every script error. */
  async function open(path: string): Promise<{ page: Page; problems: string[]; answered: () => Promise<void> }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    // the requests still waiting for their answer: "every request answered" is this set empty (playwright's
    // networkidle, 500 ms without any connection, timed out on a loaded machine while every request was answered).
    // Only requests that go to a server count: GraphiQL starts a worker from a blob: URL (the page's own memory),
    // whose request Chromium reports begun but, now and then, never finished (seen once in a full PostgreSQL run).
    const waiting = new Set<PwRequest>();
    page.on("request", (r) => /^https?:/.test(r.url()) && waiting.add(r));
    page.on("requestfinished", (r) => waiting.delete(r));
    page.on("requestfailed", (r) => waiting.delete(r));
    const answered = () => expect.poll(() => [...waiting].map((r) => r.url()), { timeout: 60_000 }).toEqual([]);
    page.on("requestfailed", (r) => problems.push(`failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.request().method()} ${r.url()}`));
    page.on("pageerror", (e) => problems.push(`script error: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
    await page.goto(new URL(path, labUrl).href, { waitUntil: "load" });
    return { page, problems, answered };
  }

  /** Closes a page without counting what closing it cuts (the lab page's event stream). */
  async function close(page: Page): Promise<void> {
    page.removeAllListeners();
    await page.close();
  }

  it("the namespace has loopback only, and no route", () => {
    const r = spawnSync("nsenter", [`--net=/proc/${dev.pid}/ns/net`, "--", "ip", "route", "show"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("");
    const links = spawnSync("nsenter", [`--net=/proc/${dev.pid}/ns/net`, "--", "ip", "-o", "link", "show"], { encoding: "utf8" }).stdout.trim().split("\n");
    expect(links.map((l) => l.split(":")[1].trim())).toEqual(["lo"]);
  });

  it("the lab list loads signed in, every request answered", async () => {
    const { page, problems, answered } = await open(`/${labUrl.hash}`);
    await expect.poll(() => page.locator(".card", { hasText: "ClusterIP Services and their Endpoints" }).locator(".badge").textContent(), { timeout: 30_000 }).toBe("Not started");
    expect(new URL(page.url()).hash).toBe("");
    await answered();
    expect(problems).toEqual([]);
    await close(page);
  }, 60_000);

  it("a lab page loads, opens a cluster and its terminal runs a command, every request answered", async () => {
    const { page, problems } = await open(`/labs/clusterip-services${labUrl.hash}`);
    await waitForPrompt(page, undefined, 60_000);
    await typeLine(page, "kubectl get svc");
    await waitForPrompt(page);
    const rows = await screenRows(page);
    expect(rows.some((r) => /^kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\S+$/.test(r))).toBe(true);
    // the steps, and the cluster's live picture (its event stream) are there too
    await expect.poll(() => page.locator("#lab-title").textContent()).toBe("ClusterIP Services and their Endpoints");
    await expect.poll(() => page.locator("[data-testid=picture-status]").getAttribute("data-state"), { timeout: 30_000 }).toBe("live");
    expect(problems).toEqual([]);
    await close(page);
  }, 120_000);

  it("GraphiQL renders from the server alone (its scripts, styles and the schema it reads), every request answered", async () => {
    const { page, problems, answered } = await open("/graphql");
    await page.waitForSelector(".graphiql-container", { timeout: 60_000 });
    await expect.poll(() => page.locator(".graphiql-container").first().textContent(), { timeout: 30_000 }).toContain("Create");
    await answered();
    expect(problems).toEqual([]);
    await close(page);
  }, 120_000);
});

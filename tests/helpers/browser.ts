// Browser tests' harness: the system Chromium (playwright-core drives it; Playwright's own download cannot work
// here), the API with the web lab served over real HTTP on 127.0.0.1, and helpers that read xterm's screen.
// A test file's set-up is `const lab = browserLab()` inside its describe: the server and the browser start before
// its tests and close after; `lab.open(…)` signs a page in, `lab.student(…)` opens a lab at its first prompt, and
// `axe`/`lookAt` check and photograph a page at the two sizes every page must work at.
//   KUBELAB_CHROMIUM      the browser (default /usr/bin/chromium). Missing: the tests skip with one line, or fail
//                         when CI=true (.ci/run installs it: apt-get install -y chromium).
//   KUBELAB_BROWSER_PORT  the port the page is served on (default: any free one).
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createTestApp, type TestApp } from "./db-app.ts";
import { loadWebAssets } from "../../api/node/web-build.ts";
import type { App, AppEnv } from "../../api/app.ts";
import { serveGraphQLSocket } from "../../api/node/socket.ts";
import { ROOT } from "../../api/db/migrate.ts";

export const CHROMIUM = process.env.KUBELAB_CHROMIUM || "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const ARTIFACTS = join(ROOT, "test-artifacts", "web");

/** One line when the browser is missing (skip), or a failure under CI=true. */
export function requireChromium(): boolean {
  if (HAVE_CHROMIUM) return true;
  const line = `browser tests: no Chromium at ${CHROMIUM} (set KUBELAB_CHROMIUM, or: apt-get install -y chromium)`;
  if (process.env.CI === "true") throw new Error(`${line} — CI must run them`);
  console.log(`${line} — skipped`);
  return false;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

export interface WebServer {
  t: TestApp;
  url: string;
  /** Stops answering (a server going down): open connections are cut. */
  stop(): Promise<void>;
  /** Serves again on the same port, as a restarted server (a new app on the same database). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebServer(overrides: Partial<AppEnv> = {}): Promise<WebServer> {
  // built from web/ now, so a test never looks at a stale page
  const web = await loadWebAssets({ rebuild: true, write: false });
  // as api/server.ts serves it in development: GraphiQL from the package
  const t = await createTestApp({ web, renderGraphiQL, ...overrides });
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = Number(process.env.KUBELAB_BROWSER_PORT ?? 0);
  const listen = (handler: RequestListener) =>
    new Promise<void>((resolve, reject) => {
      server = createServer(handler);
      // the terminal's socket (api/node/socket.ts), as api/server.ts serves it
      serveGraphQLSocket(server, handler as unknown as App);
      server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
      });
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  await listen(t.app as unknown as RequestListener);
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  return {
    t,
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    stop,
    start: () => listen(t.restart({ web, renderGraphiQL, ...overrides }) as unknown as RequestListener),
    async close() {
      await stop();
      await t.close();
    },
  };
}

/** xterm's visible rows (DOM renderer), trailing spaces trimmed. */
export async function screenRows(page: Page): Promise<string[]> {
  return page.$$eval(".xterm-rows > div", (rows) => rows.map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").replace(/\s+$/, "")));
}

/**
 * How long the screen and the status bar must stay as they are before the terminal counts as idle: longer than the
 * page waits before it shows a line's echo (ECHO_HOLD_MS, 50) or "Running" (BUSY_DELAY_MS, 150). A line of a paste
 * answered sooner than those shows neither, so "a prompt and Ready" alone can be the prompt between two of its lines.
 */
const SETTLED_MS = 300;

/**
 * Waits until the last non-empty row (trimmed) is a prompt, the terminal says Ready, and neither has changed for
 * SETTLED_MS; returns the rows.
 */
export async function waitForPrompt(page: Page, prompt = /\[root@[^\]]+\]#$/, timeout = 30_000): Promise<string[]> {
  await page.waitForFunction(
    ({ src, settledMs }) => {
      const rows = [...document.querySelectorAll(".xterm-rows > div")].map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").replace(/\s+$/, ""));
      const last = rows.filter((r) => r).pop() ?? "";
      const status = document.querySelector(".term-status")?.textContent ?? "";
      const now = performance.now();
      const seen = `${status}\n${rows.join("\n")}`;
      const w = window as unknown as { __settle?: { seen: string; since: number } };
      if (w.__settle?.seen !== seen) w.__settle = { seen, since: now };
      return status === "Ready" && new RegExp(src).test(last) && now - w.__settle.since >= settledMs;
    },
    { src: prompt.source, settledMs: SETTLED_MS },
    { timeout, polling: 25 },
  );
  return screenRows(page);
}

/** Types a line into the terminal with real keystrokes and presses Enter. */
export async function typeLine(page: Page, line: string): Promise<void> {
  await page.focus(".xterm-helper-textarea");
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** A paste as the browser delivers one (a ClipboardEvent on xterm's textarea): xterm turns its line breaks into \r. */
export async function paste(page: Page, text: string): Promise<void> {
  await page.focus(".xterm-helper-textarea");
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", t);
    document.querySelector(".xterm-helper-textarea")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/** The two sizes every page is looked at: a laptop and a phone. */
export const SIZES = [
  [1280, 800],
  [390, 844],
] as const;

/** axe on the page (or the part `include` selects): no serious or critical violation, each named for the failure. */
export async function axe(page: Page, name: string, include?: string): Promise<void> {
  const builder = new AxeBuilder({ page });
  const r = await (include ? builder.include(include) : builder).analyze();
  const bad = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)).toEqual([]);
}

/**
 * Screenshots (test-artifacts/web/NAME-WxH.png) and the axe check at both sizes, then back to 1280×800. `before`
 * runs after each resize (to scroll a part into view); `fullPage` says for which width the whole page is taken.
 */
export async function lookAt(
  page: Page,
  name: string,
  opts: { include?: string; before?: (page: Page) => Promise<void>; fullPage?: (width: number) => boolean } = {},
): Promise<void> {
  for (const [w, h] of SIZES) {
    await page.setViewportSize({ width: w, height: h });
    await opts.before?.(page);
    await page.waitForTimeout(150);
    await screenshot(page, `${name}-${w}x${h}`, opts.fullPage?.(w) ?? false);
    await axe(page, `${name} at ${w}x${h}`, opts.include);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

export interface OpenOptions {
  /** Signs in with this token (in the URL fragment, as course portals link). */
  token?: string;
  /** Default `/`. */
  path?: string;
  /** No route anywhere but the lab server (a classroom without internet); what was asked elsewhere is in `external`. */
  offline?: boolean;
  /** Console errors count as errors too (not only uncaught page errors). */
  consoleErrors?: boolean;
  acceptDownloads?: boolean;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors (and console errors with `consoleErrors`). */
  errors: string[];
  /** Requests to another origin, refused (with `offline`). */
  external: string[];
}

export interface BrowserLab {
  readonly srv: WebServer;
  readonly browser: Browser;
  /** A new 1280×800 context at `path`; nothing loaded until `goto` when neither token nor path is given. */
  context(opts?: Pick<OpenOptions, "offline" | "acceptDownloads">): Promise<{ context: BrowserContext; external: string[] }>;
  open(opts?: OpenOptions): Promise<OpenedPage>;
  /** A student of course c1 (a token for `sub`) on a lab's page, at its first prompt. */
  student(sub: string, opts?: { slug?: string; name?: string } & Omit<OpenOptions, "token" | "path">): Promise<OpenedPage & { token: string }>;
}

/** Starts the server (with `env` over the test defaults) and Chromium before the describe's tests, closes them after. */
export function browserLab(env: Partial<AppEnv> = {}): BrowserLab {
  let srv: WebServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    srv = await startWebServer(env);
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });
  const lab: BrowserLab = {
    get srv() {
      if (!srv) throw new Error("browserLab: the server is not started (use it inside the tests)");
      return srv;
    },
    get browser() {
      if (!browser) throw new Error("browserLab: the browser is not started (use it inside the tests)");
      return browser;
    },
    async context(opts = {}) {
      const context = await lab.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: opts.acceptDownloads });
      const external: string[] = [];
      if (opts.offline) {
        const origin = new URL(lab.srv.url).origin;
        await context.route(
          (url) => url.origin !== origin,
          (route) => {
            external.push(route.request().url());
            return route.abort("internetdisconnected");
          },
        );
      }
      return { context, external };
    },
    async open(opts = {}) {
      const { context, external } = await lab.context(opts);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      if (opts.consoleErrors) page.on("console", (m) => m.type() === "error" && !/Failed to load resource/.test(m.text()) && errors.push(m.text()));
      await page.goto(`${lab.srv.url}${opts.path ?? "/"}${opts.token ? `#token=${opts.token}` : ""}`);
      return { context, page, errors, external };
    },
    async student(sub, opts = {}) {
      const token = await lab.srv.t.token({ sub, role: "student", course: "c1", ...(opts.name ? { name: opts.name } : {}) });
      const opened = await lab.open({ ...opts, token, path: `/labs/${opts.slug ?? "clusterip-services"}` });
      await waitForPrompt(opened.page);
      return { ...opened, token };
    },
  };
  return lab;
}

/**
 * Chromium inside the network namespace of process `pid` (through nsenter, which needs root), driven from here over
 * its pipe like `launch()`: the page reaches only what that process reaches (tests/web-netns-offline.test.ts).
 */
export async function launchInNetworkNamespace(pid: number): Promise<Browser> {
  const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dir = mkdtempSync(join(tmpdir(), "kubelab-netns-"));
  const wrapper = join(dir, "chromium");
  writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=/proc/${pid}/ns/net -- ${JSON.stringify(CHROMIUM)} "$@"\n`, { mode: 0o755 });
  const browser = await chromium.launch({ executablePath: wrapper, args: ["--no-sandbox"] });
  browser.on("disconnected", () => rmSync(dir, { recursive: true, force: true }));
  return browser;
}

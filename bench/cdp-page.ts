// A page driven over the DevTools protocol with no domain enabled but Page (bench/page.ts, BENCH_PAGE_DRIVER=cdp): the
// system Chromium started on its own, one tab, and the few calls bench/page.ts makes of a Playwright page (evaluate,
// the keyboard, focus, navigation, an init script, a function waited for on animation frames).
//
// Why: Playwright enables the Network and Runtime domains (among others) on every page it drives, so the renderer
// reports each request, each WebSocket frame sent and received and each console message to the browser process, which
// writes it to Playwright's pipe, where the bench's Node process parses it — CPU on the same two cores, in the middle
// of the terminal's round trip, that no student's browser spends. Here nothing is reported. (Measured 2026-12-07,
// page3: no difference from Playwright's numbers at load 1.3–3.6 — the instrumentation is not where the browser's
// round trip loses its time; bench/README.md.)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface CdpPage {
  evaluate<R, A = undefined>(fn: string | ((arg: A) => R | Promise<R>), arg?: A): Promise<R>;
  addInitScript(fn: () => void): Promise<void>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  focus(selector: string): Promise<void>;
  waitForTimeout(ms: number): Promise<void>;
  waitForFunction<R>(fn: () => R, arg: null, opts: { polling: "raf"; timeout: number }): Promise<{ jsonValue(): Promise<R> }>;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void>; down(key: string): Promise<void>; up(key: string): Promise<void> };
}

/** Keys as Chromium's input takes them (the few the bench presses). */
const KEYS: Record<string, { key: string; code: string; vk: number; text?: string }> = {
  Enter: { key: "Enter", code: "Enter", vk: 13, text: "\r" },
  Control: { key: "Control", code: "ControlLeft", vk: 17 },
};
const charKey = (c: string) => {
  if (c === " ") return { key: " ", code: "Space", vk: 32, text: " " };
  if (/[a-z]/.test(c)) return { key: c, code: `Key${c.toUpperCase()}`, vk: c.toUpperCase().charCodeAt(0), text: c };
  if (/[A-Z]/.test(c)) return { key: c, code: `Key${c}`, vk: c.charCodeAt(0), text: c };
  if (/[0-9]/.test(c)) return { key: c, code: `Digit${c}`, vk: c.charCodeAt(0), text: c };
  if (c === "-") return { key: c, code: "Minus", vk: 189, text: c };
  if (c === "/") return { key: c, code: "Slash", vk: 191, text: c };
  if (c === ".") return { key: c, code: "Period", vk: 190, text: c };
  throw new Error(`cdp-page: no key for ${JSON.stringify(c)}`);
};

export async function launchCdpPage(chromium: string, viewport = { width: 1280, height: 800 }): Promise<{ page: CdpPage; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "kubelab-cdp-"));
  const proc: ChildProcess = spawn(
    chromium,
    ["--headless", "--no-sandbox", "--no-first-run", "--no-default-browser-check", `--user-data-dir=${dir}`, "--remote-debugging-port=0", `--window-size=${viewport.width},${viewport.height}`, "about:blank"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const kill = () => proc.kill("SIGKILL");
  process.once("exit", kill);
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = "";
    const t = setTimeout(() => reject(new Error(`chromium did not start: ${err.slice(-1000)}`)), 30_000);
    proc.stderr!.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    });
    proc.once("exit", (code) => reject(new Error(`chromium exited (${code}): ${err.slice(-1000)}`)));
  });
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
  await new Promise((r, j) => (ws.once("open", r), ws.once("error", j)));
  let seq = 0;
  const pending = new Map<number, Pending>();
  ws.on("message", (data) => {
    const m = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(m.error.message));
    else p.resolve(m.result);
  });
  const send = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  const { targetInfos } = await send<{ targetInfos: { targetId: string; type: string }[] }>("Target.getTargets");
  const targetId = targetInfos.find((t) => t.type === "page")!.targetId;
  const { sessionId } = await send<{ sessionId: string }>("Target.attachToTarget", { targetId, flatten: true });
  const s = <T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}) => send<T>(method, params, sessionId);
  // Page only (the init script and navigation): its events come at navigations, not per request or frame
  await s("Page.enable");
  // the viewport Playwright gives the bench's page (it sets it the same way)
  await s("Emulation.setDeviceMetricsOverride", { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false });
  // tsx names the functions it compiles (__name(…)): the page gets that helper
  const NAME = "globalThis.__name = (f) => f;";
  await s("Page.addScriptToEvaluateOnNewDocument", { source: NAME });

  const evaluate = async <R, A>(fn: string | ((arg: A) => R | Promise<R>), arg?: A): Promise<R> => {
    const expression = typeof fn === "string" ? fn : `${NAME} (${fn.toString()})(${arg === undefined ? "" : JSON.stringify(arg)})`;
    const r = await s<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>("Runtime.evaluate", {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as R;
  };
  const loaded = async () => {
    for (const t0 = Date.now(); Date.now() - t0 < 60_000; await new Promise((r) => setTimeout(r, 20))) {
      try {
        if ((await evaluate("document.readyState")) === "complete") return;
      } catch {
        // (the context is being replaced)
      }
    }
    throw new Error("cdp-page: no load in 60 s");
  };
  const key = async (type: "keyDown" | "keyUp", k: { key: string; code: string; vk: number; text?: string }, modifiers = 0) => {
    const text = modifiers & 2 ? undefined : k.text;
    await s("Input.dispatchKeyEvent", {
      type: type === "keyDown" && !text ? "rawKeyDown" : type,
      key: k.key,
      code: k.code,
      windowsVirtualKeyCode: k.vk,
      modifiers,
      ...(type === "keyDown" && text ? { text, unmodifiedText: text } : {}),
    });
  };
  const named = (name: string) => KEYS[name] ?? charKey(name.length === 1 ? name : name.toLowerCase());

  const page: CdpPage = {
    evaluate,
    async addInitScript(fn) {
      await s("Page.addScriptToEvaluateOnNewDocument", { source: `${NAME} (${fn.toString()})()` });
    },
    async goto(url) {
      await s("Page.navigate", { url });
      await loaded();
    },
    async reload() {
      await s("Page.reload");
      await new Promise((r) => setTimeout(r, 50));
      await loaded();
    },
    async focus(selector) {
      await evaluate((sel: string) => (document.querySelector(sel) as HTMLElement).focus(), selector);
    },
    waitForTimeout: (ms) => new Promise((r) => setTimeout(r, ms)),
    async waitForFunction(fn, _arg, opts) {
      const value = await evaluate(
        ({ src, timeout }: { src: string; timeout: number }) =>
          new Promise((resolve, reject) => {
            // eslint-disable-next-line no-new-func
            const f = new Function(`return (${src})()`) as () => unknown;
            const t0 = performance.now();
            const poll = () => {
              const v = f();
              if (v) return resolve(v);
              if (performance.now() - t0 > timeout) return reject(new Error("waitForFunction: timed out"));
              requestAnimationFrame(poll);
            };
            poll();
          }),
        { src: fn.toString(), timeout: opts.timeout },
      );
      return { jsonValue: async () => value as never };
    },
    keyboard: {
      async press(combo) {
        const parts = combo.split("+");
        const mods = parts.slice(0, -1);
        const mask = mods.includes("Control") ? 2 : 0;
        for (const m of mods) await key("keyDown", named(m), mask);
        const k = named(parts.at(-1)!);
        await key("keyDown", k, mask);
        await key("keyUp", k, mask);
        for (const m of mods.reverse()) await key("keyUp", named(m), 0);
      },
      async type(text) {
        for (const c of text) {
          const k = charKey(c);
          await key("keyDown", k);
          await key("keyUp", k);
        }
      },
      down: (name) => key("keyDown", named(name)),
      up: (name) => key("keyUp", named(name)),
    },
  };
  return {
    page,
    async close() {
      ws.close();
      proc.kill("SIGTERM");
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once("exit", r)));
      process.removeListener("exit", kill);
      // (Chromium's helpers may still be writing its profile: retried, and left behind if it will not go)
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      } catch {}
    },
  };
}

// One look at where the page's terminal round-trip goes, frame by frame: the same rounds as bench/page.ts (screen
// cleared, `kubectl get pods` typed, the page idle, Enter; no spreading of the keys over the frame grid), recorded
// with Chromium's performance trace. Per round it prints, in ms after the Enter keydown: the exec answer's JSON in the
// page (and the request's responseEnd), xterm asking for a frame after it, the frames begun (the renderer's
// BeginMainFrame) up to the one that changed xterm's rows, and how many frames began after the answer before that
// one (0: the output made the first frame it could); then the counts, and the main thread's time in the first frame
// after Enter and in the painting frame. The trace file opens in Chrome's DevTools (Performance) or Perfetto.
//   npx tsx bench/page-trace.ts [rounds] [trace.json]     (DATABASE_URL: a PostgreSQL server; BENCH_PAGE_PORT)
//   PAGE_TRACE_MARKS=1    also every mark of each round (the fetch, the JSON, each animation frame asked for and run)
//   PAGE_TRACE_DEV=1      the unminified build (function names in the trace's stacks)
//   PAGE_TRACE_PROFILE=1  with V8's CPU samples (100 µs) in the trace
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadWebAssets } from "../api/node/web-build.ts";
import { CHROMIUM, startPageBench } from "./page-server.ts";

const rounds = Number(process.argv[2] ?? 8);
const out = process.argv[3] ?? join(tmpdir(), "kubelab-page-trace.json");

// the server logs when its socket messages come in and go out (bench/socket-times.ts), on the trace's clock
const socketLog = join(tmpdir(), `kubelab-page-trace-socket-${process.pid}.jsonl`);
rmSync(socketLog, { force: true });
process.env.BENCH_PAGE_SOCKET_LOG = socketLog;
const web = process.env.PAGE_TRACE_DEV ? await import("../scripts/build-web.mjs").then((m) => m.buildWeb({ dev: true, log: false, write: false })) : await loadWebAssets({ rebuild: true, write: false });
const bench = await startPageBench("kubelab_bench_trace", web);
const { base, token, browser } = bench;
const results: { ms: number; marks: Record<string, number> }[] = [];
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  // marks in the trace (blink.user_timing): the exec answer's arrival and JSON, and every animation frame asked for
  await page.addInitScript(() => {
    // the terminal's socket (web/api/socket-client.ts): its subscribe message out, and its answer ("next") in — a
    // listener first in line, before the page's own
    // (graphql-ws sets the socket's onmessage when it makes the socket, so a listener added later runs after the
    // page's whole handling of the answer — the terminal's write and xterm's parse, in microtasks: "sock:answer".
    // A listener added in the constructor runs before it: "sock:arrive", when the answer's task began)
    const WS = window.WebSocket;
    window.WebSocket = class extends WS {
      constructor(...a: ConstructorParameters<typeof WebSocket>) {
        super(...a);
        this.addEventListener("message", (e) => {
          if (typeof e.data === "string" && e.data.includes('"next"')) performance.mark(`sock:arrive:${JSON.parse(e.data).id}`);
        });
      }
    };
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      if (typeof data === "string" && data.includes('"subscribe"')) performance.mark(`sock:sent:${JSON.parse(data).id}`);
      if (!(this as unknown as { __marked?: boolean }).__marked) {
        (this as unknown as { __marked?: boolean }).__marked = true;
        this.addEventListener("message", (e) => {
          if (typeof e.data === "string" && e.data.includes('"next"')) performance.mark(`sock:answer:${JSON.parse(e.data).id}`);
        });
      }
      return send.call(this, data);
    };
    const f = window.fetch;
    window.fetch = async (...a) => {
      const r = await f(...a);
      performance.mark("fetch:response");
      const json = r.json.bind(r);
      r.json = async () => {
        const j = await json();
        performance.mark("fetch:json");
        return j;
      };
      return r;
    };
    const raf = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (cb) => {
      const who = (new Error().stack ?? "").split("\n")[2]?.trim().slice(0, 80) ?? "";
      performance.mark(`raf:${who}`);
      return raf((t) => {
        performance.mark(`raf-run:${who}`);
        cb(t);
      });
    };
  });
  await page.goto(`${base}/labs/clusterip-services#token=${token}`);
  await page.waitForFunction(() => document.querySelector(".term-status")?.textContent === "Ready", null, { timeout: 60_000 });
  await page.focus(".xterm-helper-textarea");
  await page.waitForTimeout(1000);
  await browser.startTracing(page, {
    // PAGE_TRACE_LIGHT=1: the marks only (the timeline's categories cost every process CPU, the server's neighbours)
    categories: process.env.PAGE_TRACE_LIGHT ? ["blink.user_timing"] : ["devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame", "blink.user_timing", "v8.execute", "toplevel", "cc", "viz", "benchmark", "input", "blink", "loading", "disabled-by-default-devtools.timeline.stack", "devtools.timeline.async", ...(process.env.PAGE_TRACE_PROFILE ? ["disabled-by-default-v8.cpu_profiler", "disabled-by-default-v8.cpu_profiler.hires"] : [])],
  });
  for (let i = 0; i < rounds; i++) {
    await page.keyboard.press("Control+L");
    await page.keyboard.type("kubectl get pods");
    await page.evaluate(() => {
      const w = window as unknown as { __bench?: Promise<{ ms: number; marks: Record<string, number> }> };
      w.__bench = new Promise((resolve) => {
        const ta = document.querySelector(".xterm-helper-textarea")!;
        let enter = 0;
        ta.addEventListener("keydown", (e) => void ((e as KeyboardEvent).key === "Enter" && (enter = e.timeStamp, performance.mark("enter", { startTime: e.timeStamp }))), { capture: true, once: true });
        const rowsEl = document.querySelector(".xterm-rows")!;
        const obs = new MutationObserver(() => {
          const rows = [...rowsEl.children].map((r) => (r.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()).filter((r) => r);
          if (!enter || !/\]#$/.test(rows.at(-1)!) || !rows.some((r) => /^NAME\s/.test(r))) return;
          obs.disconnect();
          performance.mark("rows-changed");
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            const painted = performance.now();
            performance.mark("painted");
            const marks: Record<string, number> = {};
            for (const m of performance.getEntriesByType("mark")) if (m.startTime >= enter) marks[`${(m.startTime - enter).toFixed(2).padStart(7)} ${m.name}`] = m.startTime - enter;
            const req = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).find((e) => e.name.endsWith("/graphql") && e.initiatorType === "fetch" && e.startTime >= enter);
            if (req) for (const k of ["startTime", "requestStart", "responseStart", "responseEnd"] as const) marks[`${(req[k] - enter).toFixed(2).padStart(7)} request ${k}`] = req[k] - enter;
            performance.clearMarks();
            resolve({ ms: painted - enter, marks });
          };
          ch.port2.postMessage(null);
        });
        obs.observe(rowsEl, { childList: true, subtree: true, characterData: true });
      });
    });
    await page.waitForTimeout(300);
    await page.evaluate(() => new Promise<void>((r) => requestIdleCallback(() => r(), { timeout: 1000 })));
    await page.evaluate(() => (performance.clearMarks(), performance.clearResourceTimings()));
    // as bench/page.ts drives it: the wait asked for first, Enter down, up once painted (the driver shares the
    // server's process: no CDP traffic on its thread while the request runs)
    const waiting = page.evaluate(() => (window as unknown as { __bench: Promise<{ ms: number; marks: Record<string, number> }> }).__bench) as Promise<{ ms: number; marks: Record<string, number> }>;
    // PAGE_TRACE_SPREAD=1: a further 0–1000 ms before the key, spread as bench/page.ts spreads it
    await new Promise((r) => setTimeout(r, process.env.PAGE_TRACE_SPREAD ? Math.floor(((i * 0.6180339887) % 1) * 1000) || 1 : 1));
    await page.keyboard.down("Enter");
    results.push(await waiting);
    await page.keyboard.up("Enter");
  }
  const trace = await browser.stopTracing();
  writeFileSync(out, trace);
  console.log(`trace: ${out}`);
  const parsed = JSON.parse(trace.toString());
  const rows = analyse(parsed);
  for (const [i, r] of results.entries()) {
    const a = rows[i];
    const end = Object.entries(r.marks).find(([k]) => k.endsWith("request responseEnd"))?.[1];
    console.log(
      `round ${String(i).padStart(2)}: Enter → painted ${r.ms.toFixed(1).padStart(6)} ms` +
        (a ? ` | frames: after Enter ${a.framesFromEnter}, after the answer ${a.framesFromAnswer} | answer ${f(a.answer)} (responseEnd ${end === undefined ? "-" : end.toFixed(1)}) · xterm asks a frame ${f(a.rafAsked)} · frames ${a.frames.map(f).join(" ")} · rows ${f(a.rows)}` : ""),
    );
  }
  const count = (k: "framesFromEnter" | "framesFromAnswer") => {
    const c = new Map<number, number>();
    for (const a of rows) c.set(a[k], (c.get(a[k]) ?? 0) + 1);
    return [...c].sort((x, y) => x[0] - y[0]).map(([n, m]) => `${n}: ${m}×`).join(", ");
  };
  console.log(`frames from Enter to the painting one (inclusive): ${count("framesFromEnter")}`);
  console.log(`frames begun between the answer's JSON and the painting one: ${count("framesFromAnswer")}`);
  const median = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)].toFixed(2) : "-";
  };
  console.log(
    `main thread, p50: the first frame after Enter ${median(rows.map((a) => a.firstFrameMs))} ms; the painting frame ${median(rows.map((a) => a.paintFrameMs))} ms; its start → painted ${median(rows.map((a) => a.paintedAfterFrame))} ms`,
  );
  if (process.env.PAGE_TRACE_MARKS) for (const [i, r] of results.entries()) console.log(`round ${i}\n` + Object.keys(r.marks).sort((a, b) => r.marks[a] - r.marks[b]).map((k) => `   ${k}`).join("\n"));
  // the socket's rounds against the server's own times (its log is written when it stops)
  await bench.close();
  if (existsSync(socketLog)) socketRounds(parsed, readFileSync(socketLog, "utf8"));
} finally {
  await bench.close();
}
process.exit(0);

function f(ms: number | null): string {
  return ms === null ? "-" : ms.toFixed(1);
}

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Per round, from the trace (ms after the Enter keydown's timeStamp): the exec answer's JSON, xterm asking for a
 * frame after it, the frames begun (the renderer's BeginMainFrame) up to the one that changed xterm's rows, and how
 * many frames began after the answer before the painting one (0: the output made the first frame it could).
 */
function analyse(trace: { traceEvents: TraceEvent[] } | TraceEvent[]) {
  const ev = Array.isArray(trace) ? trace : trace.traceEvents;
  const marks = ev.filter((e) => e.cat?.includes("user_timing") && e.ph !== "M");
  const main = marks.find((m) => m.name === "enter");
  if (!main) return [];
  const onMain = (e: TraceEvent) => e.pid === main.pid && e.tid === main.tid;
  const frames = ev.filter((e) => onMain(e) && e.name === "ProxyMain::BeginMainFrame" && e.ph === "X").map((e) => [e.ts, e.ts + (e.dur ?? 0)] as const);
  const at = (name: (n: string) => boolean, from: number, to: number) => marks.find((m) => name(m.name) && m.ts >= from && m.ts <= to)?.ts ?? null;
  const enters = [...new Set(marks.filter((m) => m.name === "enter").map((m) => m.ts))].sort((a, b) => a - b);
  return enters.map((t0) => {
    const painted = at((n) => n === "painted", t0, Infinity) ?? t0 + 1e6;
    const answer = at((n) => n === "fetch:json" || n.startsWith("sock:answer:"), t0, painted);
    const rows = at((n) => n === "rows-changed", t0, painted);
    const rafAsked = answer === null ? null : at((n) => n.startsWith("raf:") && n.includes(".refresh"), answer, painted);
    const within = frames.filter(([s]) => s >= t0 && s <= (rows ?? painted));
    const ms = (t: number | null) => (t === null ? null : (t - t0) / 1000);
    const first = within[0];
    const last = within.at(-1);
    return {
      firstFrameMs: first ? (first[1] - first[0]) / 1000 : null,
      paintFrameMs: last ? (last[1] - last[0]) / 1000 : null,
      paintedAfterFrame: last ? (painted - last[0]) / 1000 : null,
      answer: ms(answer),
      rafAsked: ms(rafAsked),
      rows: ms(rows),
      frames: within.map(([s]) => ms(s)!),
      framesFromEnter: within.length,
      framesFromAnswer: answer === null ? -1 : within.filter(([s]) => s > answer).length - 1,
    };
  });
}

/**
 * The socket's rounds, split by the server's log (bench/socket-times.ts; Node's hrtime and the trace share
 * CLOCK_MONOTONIC): Enter → the page's subscribe message sent, → the server has it, → the server sends the answer,
 * → the page's first listener has it; and the renderer main thread's top-level tasks that ran between the server's
 * send and the page's listener (what the answer may have waited behind).
 */
function socketRounds(trace: { traceEvents: TraceEvent[] } | TraceEvent[], log: string) {
  const ev = Array.isArray(trace) ? trace : trace.traceEvents;
  const srv = log.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as { ev: string; ts: number; type: string; id: string | null });
  const marks = ev.filter((e) => e.cat?.includes("user_timing") && e.ph !== "M");
  const main = marks.find((m) => m.name === "enter");
  if (!main) return;
  const tasks = ev
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.name === "ThreadControllerImpl::RunTask")
    .map((e) => ({ ts: e.ts, end: e.ts + (e.dur ?? 0), src: String((e.args as { src_func?: string; src_file?: string } | undefined)?.src_func ?? "") }));
  const inside = (t: { ts: number; end: number }) => ev.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X" && e.ts >= t.ts && e.ts < t.end && e.name !== "ThreadControllerImpl::RunTask" && (e.dur ?? 0) > 100).map((e) => e.name);
  const enters = [...new Set(marks.filter((m) => m.name === "enter").map((m) => m.ts))].sort((a, b) => a - b);
  const parts: number[][] = [];
  console.log("socket rounds (ms after Enter): sent · server in · server out (flushed) · the answer's task begins · the page has handled it · rows changed · painted | main-thread tasks between the server's send and the page's handling");
  for (const [i, t0] of enters.entries()) {
    const next = enters[i + 1] ?? Infinity;
    const sent = marks.find((m) => m.name.startsWith("sock:sent:") && m.ts >= t0 && m.ts < next);
    if (!sent) continue;
    const id = sent.name.slice("sock:sent:".length);
    const answer = marks.find((m) => m.name === `sock:answer:${id}` && m.ts >= t0 && m.ts < next);
    const arrive = marks.find((m) => m.name === `sock:arrive:${id}` && m.ts >= t0 && m.ts < next);
    const painted = marks.find((m) => m.name === "painted" && m.ts >= t0 && m.ts < next);
    const rowsAt = marks.find((m) => m.name === "rows-changed" && m.ts >= t0 && m.ts < next);
    const sIn = srv.find((l) => l.ev === "in" && l.type === "subscribe" && l.id === id && l.ts >= sent.ts - 5000 && l.ts < next);
    const sOut = srv.find((l) => l.ev === "out" && l.type === "next" && l.id === id && sIn && l.ts >= sIn.ts);
    const sFlushed = srv.find((l) => l.ev === "flushed" && l.type === "next" && l.id === id && sIn && l.ts >= sIn.ts);
    if (!answer || !sIn || !sOut || !arrive || !painted || !rowsAt) continue;
    const r = (t: number) => ((t - t0) / 1000).toFixed(2);
    const between = tasks.filter((t) => t.end > sOut.ts && t.ts < answer.ts);
    parts.push([(sent.ts - t0) / 1000, (sIn.ts - sent.ts) / 1000, (sOut.ts - sIn.ts) / 1000, (arrive.ts - sOut.ts) / 1000, (answer.ts - arrive.ts) / 1000, (rowsAt.ts - answer.ts) / 1000, (painted.ts - rowsAt.ts) / 1000, (painted.ts - t0) / 1000]);
    console.log(
      `round ${String(i).padStart(2)}: ${r(sent.ts)} · ${r(sIn.ts)} · ${r(sOut.ts)} (${sFlushed ? r(sFlushed.ts) : "-"}) · ${r(arrive.ts)} · ${r(answer.ts)} · ${r(rowsAt.ts)} · ${r(painted.ts)} | ` +
        between.map((t) => `${r(t.ts)}+${((t.end - t.ts) / 1000).toFixed(2)} ${t.src}${inside(t).length ? ` [${[...new Set(inside(t))].slice(0, 4).join(", ")}]` : ""}`).join("; "),
    );
  }
  const med = (k: number) => {
    const v = parts.map((p) => p[k]).sort((a, b) => a - b);
    return v.length ? v[Math.floor(v.length / 2)].toFixed(2) : "-";
  };
  console.log(
    `socket, p50 over ${parts.length} rounds: Enter → sent ${med(0)} ms; sent → server has it ${med(1)}; server ${med(2)}; server sends → the answer's task ${med(3)}; ` +
      `the page's handling in it ${med(4)}; → rows changed ${med(5)}; → painted ${med(6)}; Enter → painted ${med(7)}`,
  );
}

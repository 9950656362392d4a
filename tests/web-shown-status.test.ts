// The terminal's status bar (web/terminal/shown-status.ts): the model's status, with "Running" held back until a
// line has run for BUSY_DELAY_MS, so a line answered sooner never flashes it (nor re-renders the bar).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signal } from "@preact/signals";
import type { TerminalStatus } from "../web/models/terminal.ts";
import { BUSY_DELAY_MS, shownStatus } from "../web/terminal/shown-status.ts";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const running = (line: string): TerminalStatus => ({ kind: "running", line });

describe("shownStatus", () => {
  it("a line answered within the delay never shows Running, and the bar does not change at all", () => {
    const status = signal<TerminalStatus>({ kind: "ready" });
    const bar = shownStatus(status);
    const seen: TerminalStatus[] = [];
    const stop = bar.shown.subscribe((s) => seen.push(s));
    status.value = running("kubectl get pods");
    vi.advanceTimersByTime(BUSY_DELAY_MS - 1);
    status.value = { kind: "ready" };
    vi.advanceTimersByTime(BUSY_DELAY_MS * 2);
    expect(seen).toEqual([{ kind: "ready" }]); // the first value only: no change was published
    stop();
    bar.dispose();
  });

  it("a slower line shows Running once the delay has passed, then Ready when it ends", () => {
    const status = signal<TerminalStatus>({ kind: "ready" });
    const bar = shownStatus(status);
    status.value = running("sleep 30");
    vi.advanceTimersByTime(BUSY_DELAY_MS - 1);
    expect(bar.shown.value).toEqual({ kind: "ready" });
    vi.advanceTimersByTime(1);
    expect(bar.shown.value).toEqual(running("sleep 30"));
    status.value = { kind: "ready" };
    expect(bar.shown.value).toEqual({ kind: "ready" });
    bar.dispose();
  });

  it("shows every other status at once: a lost connection, the line again after it, an editor, a gone cluster", () => {
    const status = signal<TerminalStatus>({ kind: "loading" });
    const bar = shownStatus(status);
    expect(bar.shown.value).toEqual({ kind: "loading" });
    status.value = { kind: "ready" };
    expect(bar.shown.value).toEqual({ kind: "ready" });
    status.value = running("kubectl get pods");
    status.value = { kind: "lost", line: "kubectl get pods", retryInSeconds: 1 };
    expect(bar.shown.value).toEqual({ kind: "lost", line: "kubectl get pods", retryInSeconds: 1 });
    status.value = running("kubectl get pods"); // back: no delay after a lost connection
    expect(bar.shown.value).toEqual(running("kubectl get pods"));
    status.value = { kind: "editing", path: "/root/a.txt", editor: "vi" };
    expect(bar.shown.value).toEqual({ kind: "editing", path: "/root/a.txt", editor: "vi" });
    status.value = { kind: "gone", message: "cluster \"x\" not found" };
    expect(bar.shown.value).toEqual({ kind: "gone", message: "cluster \"x\" not found" });
    bar.dispose();
  });

  it("after dispose, a pending Running is never shown", () => {
    const status = signal<TerminalStatus>({ kind: "ready" });
    const bar = shownStatus(status);
    status.value = running("sleep 30");
    bar.dispose();
    vi.advanceTimersByTime(BUSY_DELAY_MS * 2);
    expect(bar.shown.value).toEqual({ kind: "ready" });
  });
});

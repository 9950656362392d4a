// What the terminal's status bar shows: the model's status, except that "Running" waits until a line has run for
// BUSY_DELAY_MS. A line answered sooner (most: ~10 ms) never flashes "Running: …" then "Ready" — no re-render of the
// bar, no layout of it, no screen-reader announcement, and nothing of the bar's in the animation frames that draw
// the line's echo and its output. A slower line still says that it runs; a lost connection says so at once.
import { effect, signal, type ReadonlySignal } from "@preact/signals";
import type { TerminalStatus } from "../models/terminal.ts";

export const BUSY_DELAY_MS = 150;

const same = (a: TerminalStatus, b: TerminalStatus) => JSON.stringify(a) === JSON.stringify(b);

export function shownStatus(status: ReadonlySignal<TerminalStatus>, delayMs = BUSY_DELAY_MS): { shown: ReadonlySignal<TerminalStatus>; dispose: () => void } {
  const shown = signal(status.peek());
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = effect(() => {
    const s = status.value;
    clearTimeout(timer);
    timer = undefined;
    const from = shown.peek().kind;
    // from a quiet bar (ready, or an editor's note) "Running" waits; after a lost connection it comes back at once
    if (s.kind === "running" && (from === "ready" || from === "editing")) timer = setTimeout(() => (shown.value = status.peek()), delayMs);
    else if (!same(shown.peek(), s)) shown.value = s;
  });
  return {
    shown,
    dispose() {
      clearTimeout(timer);
      stop();
    },
  };
}

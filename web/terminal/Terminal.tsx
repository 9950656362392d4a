// The terminal's view: the only module that imports xterm.js. It creates the terminal in an effect, loads the fit
// addon before open(), refits on a ResizeObserver (once per frame), forwards onData chunks to the model and writes
// what the model gives it — a turn's writes as one (coalesced-writes.ts), parsed in the same task (parseNow), so a
// line's answer asks for its frame as soon as it is in; the status bar shows "Running" only for a line that takes a
// while (shown-status.ts); the cursor blinks by a timer, not a CSS animation (cursor-blink.ts), and Enter finds
// xterm's hidden input empty (empty-textarea.ts): a page waiting for an answer renders nothing. Kubectl's wide tables
// are never wrapped: the screen is at least MIN_COLS wide and its box scrolls sideways. Resizing stays local (there is
// no pty on the other side).
import { useEffect, useMemo, useRef } from "preact/hooks";
import { Terminal as XTerm } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import type { TerminalModelType, TerminalStatus } from "../models/terminal.ts";
import { EditorPanel } from "../components/EditorPanel.tsx";
import { coalescedWrites } from "./coalesced-writes.ts";
import { shownStatus } from "./shown-status.ts";
import { blinkCursor } from "./cursor-blink.ts";
import { keepTextareaEmpty } from "./empty-textarea.ts";

/** The screen is never narrower than this; a longer output line widens it (up to MAX_COLS) rather than wrapping. */
export const MIN_COLS = 120;
export const MAX_COLS = 400;

/** The widest line of some output, escape sequences not counted. */
export function widestLine(text: string): number {
  let w = 0;
  for (const line of text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").split("\n")) w = Math.max(w, line.replace(/\r$/, "").length);
  return w;
}

/**
 * xterm parses a write in a task of its own (setTimeout), and only then asks for an animation frame to draw it: when
 * the answer to a line comes in just before a frame, the frame's task (or another: the picture's SSE message comes
 * ~1 ms after the answer) can run before the parse, and the output waits a frame (16.7 ms) more. xterm parses the
 * first write after the user's own input at once (in the same task), to keep typing latency low; a line's output
 * answers the user's Enter, so the page says "the user typed" — `input("", true)`, public API: no data reaches
 * onData's listener (it drops the empty chunk) — and the write that follows is parsed at once and its frame asked
 * for in the same task. Not when the user has text selected or has scrolled back: that call would clear the
 * selection and scroll to the bottom, as real typing does; there the output is parsed a task later, as before. (That
 * xterm parses at once after input is its behaviour, not its API: if a later xterm stops, the write is parsed a task
 * later — correct, possibly a frame slower.)
 */
function parseNow(term: XTerm) {
  const b = term.buffer.active;
  if (term.hasSelection() || b.viewportY !== b.baseY) return;
  term.input("", true);
}

function statusText(s: TerminalStatus): string {
  switch (s.kind) {
    case "loading":
      return "Connecting to your cluster…";
    case "ready":
      return "Ready";
    case "running":
      return `Running: ${s.line.length > 60 ? s.line.slice(0, 57) + "…" : s.line}`;
    case "lost":
      return `Connection lost — retrying in ${s.retryInSeconds} s. What you type is kept.`;
    case "editing":
      return `Editing ${s.path} in ${s.editor} — ${s.editor === "nano" ? "^O writes, ^X exits" : ":wq writes and quits, :q! quits without writing"}`;
    case "gone":
      return `Stopped: ${s.message}`;
  }
}

export function Terminal({ model }: { model: TerminalModelType }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const term = new XTerm({
      convertEol: true,
      // blinked by a timer (cursor-blink.ts): xterm's blink is a CSS animation that renders a frame every 16.7 ms
      cursorBlink: false,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      scrollback: 5000,
      screenReaderMode: false,
      // colours that keep WCAG AA contrast on the dark background (the page's messages use red and bright black)
      theme: { background: "#1e1e1e", foreground: "#e6e6e6", red: "#ff7b72", brightRed: "#ffa198", brightBlack: "#a8a8a8", blue: "#79c0ff", brightBlue: "#a5d6ff" },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    const stopBlink = blinkCursor(term, el);
    const stopEmptying = term.textarea ? keepTextareaEmpty(term.textarea) : () => {};
    const refit = () => {
      const d = fit.proposeDimensions();
      if (!d || !Number.isFinite(d.cols) || !Number.isFinite(d.rows)) return;
      const cols = Math.max(d.cols, MIN_COLS, widest);
      if (cols !== term.cols || d.rows !== term.rows) term.resize(cols, Math.max(d.rows, 5));
    };
    let widest = 0;
    refit();
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(refit);
    });
    ro.observe(el.parentElement ?? el);
    // Tab completes inside the terminal; Esc then Tab (or Shift-Tab) leaves it, so the keyboard is never trapped
    let escaped = false;
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown") return !(escaped && e.key === "Tab");
      if (e.key === "Escape") {
        escaped = true;
        return false;
      }
      if (e.key === "Tab" && (escaped || e.shiftKey)) {
        escaped = false;
        return false;
      }
      escaped = false;
      return true;
    });
    // (an empty chunk is parseNow's: nothing typed)
    const data = term.onData((chunk) => chunk && model.input(chunk));
    // after the render that caused it (the screen is inert while an editor covers it)
    const stopFocus = model.focusRequests.subscribe((n) => n > 0 && setTimeout(() => term.focus()));
    const writes = coalescedWrites((text, done) => {
      const w = Math.min(widestLine(text), MAX_COLS);
      if (w > term.cols) {
        widest = Math.max(widest, w);
        term.resize(w, term.rows);
      }
      parseNow(term);
      term.write(text, done);
    });
    model.attach(writes.write, writes.whenWritten);
    term.focus();
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      data.dispose();
      stopFocus();
      model.attach(() => {});
      writes.dispose();
      stopBlink();
      stopEmptying();
      term.dispose();
    };
  }, [model]);
  const bar = useMemo(() => shownStatus(model.status), [model]);
  useEffect(() => bar.dispose, [bar]);
  const s = bar.shown.value;
  return (
    <div class="terminal">
      <div class="term-bar">
        <span class="term-status" data-state={s.kind === "running" ? "busy" : s.kind} role="status" aria-live="polite">
          {s.kind === "running" && <span class="spinner" aria-hidden="true" />}
          {statusText(s)}
        </span>
        <span class="muted" id="term-keys">
          Tab completes · Esc then Tab leaves the terminal
        </span>
      </div>
      <div class="term-stack">
        <div class="term-scroll" inert={model.editing.value !== null}>
          <div class="term-host" ref={host} data-testid="terminal" />
        </div>
        <EditorPanel model={model} />
      </div>
    </div>
  );
}

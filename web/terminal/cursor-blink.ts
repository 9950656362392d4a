// The terminal cursor's blink, driven by a timer instead of xterm's CSS animation.
//
// xterm's DOM renderer blinks the cursor with an infinite CSS animation (`1s step-end infinite` on background-color).
// Chromium services such an animation in every animation frame, so a page showing a focused terminal rendered a frame
// every 16.7 ms for as long as it was open: the main thread was never idle, and the frame that paints a line's output
// always waited for the display's next frame on that grid (0–16.7 ms, 8.3 on average). Blinking by timer renders
// two frames a second (a class toggled on a 500 ms tick); in between the page asks for no frame, and the one a
// line's answer asks for begins as soon as it is asked for. What the student sees is what xterm drew: the cursor
// shown, then hidden, on a 500 ms tick (hidden, its cell is what xterm's animation shows at 50%: the row's background,
// the character in the cursor's colour — styles.css, `.cursor-off`), shown at once whenever xterm redraws (a key
// typed, output), left as it is for at least 500 ms after a key or a redraw, blinking only while the terminal has the
// keyboard (unfocused, xterm draws an outline that does not blink). A key or a redraw costs no timer call: the tick
// looks at when the last one was (nothing sits between Enter and the line's request).
import type { Terminal } from "@xterm/xterm";

/** Half of xterm's 1 s blink period: shown, then hidden, this long each. */
export const BLINK_MS = 500;

/** The class on `host` that hides the cursor (the blink's "off" half). */
export const CURSOR_OFF = "cursor-off";

/** Blinks `term`'s cursor (created with `cursorBlink: false`) by toggling CURSOR_OFF on `host`; returns the stop. */
export function blinkCursor(term: Terminal, host: HTMLElement, textarea: HTMLTextAreaElement | undefined = term.textarea): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  let off = false;
  /** When the cursor was last drawn or a key typed: it shows for BLINK_MS from then. */
  let active = 0;
  const show = (hidden: boolean) => {
    if (off === hidden) return;
    off = hidden;
    host.classList.toggle(CURSOR_OFF, hidden);
  };
  // nothing changes within BLINK_MS of a key or a redraw: not while a line's request is out (Enter's echo waits for
  // the answer, whose redraw shows the cursor), when a frame would put the answer's on the display's grid
  const tick = () => {
    if (performance.now() - active >= BLINK_MS) show(!off);
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    show(false);
  };
  const start = () => {
    stop();
    active = performance.now();
    if (document.activeElement === textarea) timer = setInterval(tick, BLINK_MS);
  };
  // a redraw shows the cursor in the frame that draws it (xterm fires onRender from its animation frame)
  const rendered = term.onRender(() => {
    active = performance.now();
    show(false);
  });
  // a key typed keeps the cursor as it is for BLINK_MS, with nothing drawn
  const typed = term.onData(() => void (active = performance.now()));
  textarea?.addEventListener("focus", start);
  textarea?.addEventListener("blur", stop);
  start();
  return () => {
    stop();
    rendered.dispose();
    typed.dispose();
    textarea?.removeEventListener("focus", start);
    textarea?.removeEventListener("blur", stop);
  };
}

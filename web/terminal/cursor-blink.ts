// The terminal cursor's blink, driven by a timer instead of xterm's CSS animation.
//
// xterm's DOM renderer blinks the cursor with an infinite CSS animation (`1s step-end infinite` on background-color).
// Chromium services such an animation in every animation frame, so a page showing a focused terminal rendered a frame
// every 16.7 ms for as long as it was open: the main thread was never idle, and the frame that paints a line's output
// always waited for the display's next frame on that grid (0–16.7 ms, 8.3 on average). Blinking by timer renders
// two frames a second (a class toggled every 500 ms); in between the page asks for no frame, and the one a line's
// answer asks for begins as soon as it is asked for. What the student sees is what xterm drew: the cursor shown for
// 500 ms, hidden for 500 ms (its cell as xterm's animation shows it at 50%: the row's background, the character in
// the cursor's colour — styles.css, `.cursor-off`), shown again at once whenever xterm redraws (a key typed, output),
// blinking only while the terminal has the keyboard (unfocused, xterm draws an outline that does not blink). A key
// typed while it shows keeps it shown a period more without drawing anything: Enter, whose echo waits for the line's
// answer (held-echo.ts), renders no frame while the request is out.
import type { Terminal } from "@xterm/xterm";

/** Half of xterm's 1 s blink period: shown, then hidden, this long each. */
export const BLINK_MS = 500;

/** The class on `host` that hides the cursor (the blink's "off" half). */
export const CURSOR_OFF = "cursor-off";

/** Blinks `term`'s cursor (created with `cursorBlink: false`) by toggling CURSOR_OFF on `host`; returns the stop. */
export function blinkCursor(term: Terminal, host: HTMLElement, textarea: HTMLTextAreaElement | undefined = term.textarea): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  let off = false;
  const show = (hidden: boolean) => {
    if (off === hidden) return;
    off = hidden;
    host.classList.toggle(CURSOR_OFF, hidden);
  };
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    show(false);
  };
  /** Shown now, the blink's period starting again (what a redraw does to xterm's animation). */
  const restart = () => {
    stop();
    if (document.activeElement === textarea) timer = setInterval(() => show(!off), BLINK_MS);
  };
  /** A key typed while the cursor shows: it stays shown a whole period more, with nothing drawn (no frame). */
  const postpone = () => {
    if (off || timer === undefined) return;
    clearInterval(timer);
    timer = setInterval(() => show(!off), BLINK_MS);
  };
  const rendered = term.onRender(restart);
  const typed = term.onData(postpone);
  textarea?.addEventListener("focus", restart);
  textarea?.addEventListener("blur", stop);
  restart();
  return () => {
    stop();
    rendered.dispose();
    typed.dispose();
    textarea?.removeEventListener("focus", restart);
    textarea?.removeEventListener("blur", stop);
  };
}

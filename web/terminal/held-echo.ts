// A line's echo (what the student typed and the Enter's new line), held until the line's answer or ECHO_HOLD_MS.
//
// The echo of Enter used to be drawn at once, in a frame of its own: a frame the browser renders while the request is
// out, whose rendering can hold the main thread when the answer comes in, and after which Chromium keeps to the
// display's frame grid for a frame more — so the answer that follows it ~10 ms later waited for that grid's next
// frame. Held, the echo goes out with the first thing written after it (the output, in the same write and frame) or
// after ECHO_HOLD_MS if the answer is slow, as a remote shell's echo comes back with the round trip. Nothing
// reorders: any write first lets out what is held.

/** How long an echo waits for the line's answer: under what can be seen, over what a command usually takes. */
export const ECHO_HOLD_MS = 50;

export interface HeldEcho {
  /** Writes `text` after whatever echo is held. */
  write(text: string): void;
  /** Holds `echo` (after letting out any echo held before it) until the next write or `ms`. */
  hold(echo: string): void;
}

export function heldEcho(write: (text: string) => void, ms = ECHO_HOLD_MS): HeldEcho {
  let held = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const release = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!held) return;
    const t = held;
    held = "";
    write(t);
  };
  return {
    write(text) {
      release();
      write(text);
    },
    hold(echo) {
      release();
      if (!echo) return;
      held = echo;
      // the timer is set once this turn is over: the line's request goes out first (it is sent in this turn)
      queueMicrotask(() => {
        if (held === echo && timer === undefined) timer = setTimeout(release, ms);
      });
    },
  };
}

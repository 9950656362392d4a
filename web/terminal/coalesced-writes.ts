// The terminal's writes, gathered: what the model writes in one turn of the event loop (a line's output, the notes
// before it, the next prompt, and the "shown" callback that sets the status bar's Ready) goes to xterm as ONE write,
// at the end of that turn (a microtask: before any other task and before the next frame). One write because xterm
// parses at once only the first write after the user's input (Terminal.tsx, parseNow); output and prompt written
// apart would be parsed in two tasks, and the prompt could miss the frame that paints the output.

/** `write(text, done)`: the view's one write (`done`, when given, once xterm has parsed it); `schedule`: when. */
export function coalescedWrites(write: (text: string, done?: () => void) => void, schedule: (fn: () => void) => void = queueMicrotask) {
  let text = "";
  let done: (() => void)[] = [];
  let queued = false;
  let live = true;
  const flush = () => {
    queued = false;
    if (!live || (!text && !done.length)) return;
    const t = text;
    const fns = done;
    text = "";
    done = [];
    write(t, fns.length ? () => fns.forEach((fn) => fn()) : undefined);
  };
  const queue = () => {
    if (queued) return;
    queued = true;
    schedule(flush);
  };
  return {
    /** Gathers `t` for this turn's write. */
    write(t: string) {
      text += t;
      queue();
    },
    /** Runs `fn` once everything written so far is parsed (xterm's write callback). */
    whenWritten(fn: () => void) {
      done.push(fn);
      queue();
    },
    /** The view is gone: what is still gathered is dropped. */
    dispose() {
      live = false;
    },
  };
}

// Keeps xterm's hidden input (its helper textarea) empty between keys, so that Enter changes nothing on the page.
//
// Some keys reach xterm through the textarea's `input` event (a space, for one) and stay in it as text; on Enter (and
// Ctrl-C) xterm empties it (`textarea.value = ""`, for screen readers, whose mode the page leaves off). Emptying a
// textarea that holds text is a DOM change: the page rendered a frame for it as the line's request went out, and
// after a frame Chromium keeps the display's frame grid for two more, so the line's answer, ~10 ms later, waited for
// that grid's next frame (0–16.7 ms) instead of being drawn in a frame begun at once. Emptied as each such key comes
// (in the frame that draws the key's echo anyway), Enter finds nothing to clear.
//
// Text typed through an input method (a composition, or keys with keyCode 229, which xterm reads back from the
// textarea's value a task later) is left alone until the next plain key.

/** Empties `textarea` after each plain key's `input` event; returns the stop. */
export function keepTextareaEmpty(textarea: HTMLTextAreaElement): () => void {
  /** The key being typed goes through an input method (or one did since the last plain key): hands off. */
  let ime = false;
  const keydown = (e: KeyboardEvent) => void (ime = e.isComposing || e.keyCode === 229);
  const compositionstart = () => void (ime = true);
  const input = (e: Event) => {
    if (ime || (e as InputEvent).isComposing || !textarea.value) return;
    textarea.value = "";
  };
  textarea.addEventListener("keydown", keydown);
  textarea.addEventListener("compositionstart", compositionstart);
  textarea.addEventListener("input", input);
  return () => {
    textarea.removeEventListener("keydown", keydown);
    textarea.removeEventListener("compositionstart", compositionstart);
    textarea.removeEventListener("input", input);
  };
}

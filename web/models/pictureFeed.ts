// The picture's feeds: live from the clusterChanged subscription (the picture again after every change of the
// cluster), or one picture read once (an attempt's end, in the grade book). A live picture is drawn a little later,
// when the page is idle: the change that brings it is usually a terminal line, whose output arrives at the same moment
// and is painted first; a burst of changes (a pasted block) draws only the last picture.
import { signal } from "@preact/signals";
import { watchCluster, type WatchState } from "../api/events.ts";
import { PICTURE_FIELDS, type FeedState, type PictureData, type PictureFeed } from "./clusterPicture.ts";

/** How long a live picture waits before it is drawn (then for an idle period): the line's output goes first. */
export const PICTURE_DELAY_MS = 50;

/**
 * Runs `fn` PICTURE_DELAY_MS later, once the page is idle (at the latest `timeout` ms after that); returns the cancel.
 * The change that brings a picture is usually a terminal line whose output arrives within a few milliseconds of it
 * (before or after: the two answers come on two connections) and is painted in the next frame; a picture drawn before
 * that frame (a Preact render of the SVG, milliseconds) would hold it back. Nothing here asks for an animation frame:
 * a frame asked for while the line's answer is on its way puts the page on the display's frame grid, and the frame
 * that paints the output then waits for the grid's next one (up to 16.7 ms) instead of beginning at once.
 */
export function whenIdle(fn: () => void, timeout = 300): () => void {
  let idle: number | undefined;
  let t: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    t = undefined;
    if (typeof requestIdleCallback === "function") idle = requestIdleCallback(fn, { timeout });
    else t = setTimeout(fn); // no idle callbacks (Safari): a task later
  }, PICTURE_DELAY_MS);
  return () => {
    if (idle !== undefined) cancelIdleCallback(idle);
    clearTimeout(t);
  };
}

export function livePictureFeed(token: () => string | null, clusterId: string): PictureFeed {
  const state = signal<FeedState>("connecting");
  const error = signal<string | null>(null);
  return {
    state,
    error,
    start(onData) {
      let latest: PictureData | null = null;
      let cancel: (() => void) | null = null;
      const draw = () => {
        cancel = null;
        onData(latest);
      };
      const w = watchCluster<{ picture: PictureData }>({
        token,
        clusterId,
        selection: `{ picture ${PICTURE_FIELDS} }`,
        onData: (c) => {
          latest = c ? c.picture : null;
          cancel ??= whenIdle(draw);
        },
      });
      const stopState = w.state.subscribe((s: WatchState) => (state.value = s));
      const stopError = w.error.subscribe((e) => (error.value = e));
      return () => {
        cancel?.();
        stopState();
        stopError();
        w.dispose();
      };
    },
  };
}

/** A picture known already: nothing to watch. */
export function staticPictureFeed(picture: PictureData | null): PictureFeed {
  return { state: signal<FeedState>("static"), error: signal(null), start: (onData) => (onData(picture), () => {}) };
}

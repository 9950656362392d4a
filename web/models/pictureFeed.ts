// The picture's feeds: live from the clusterChanged subscription (the picture again after every change of the
// cluster), or one picture read once (an attempt's end, in the grade book). A live picture is drawn when the page is
// idle: the change that brings it is usually a terminal line, whose output arrives at the same moment and is painted
// first; a burst of changes (a pasted block) draws only the last picture.
import { signal } from "@preact/signals";
import { watchCluster, type WatchState } from "../api/events.ts";
import { PICTURE_FIELDS, type FeedState, type PictureData, type PictureFeed } from "./clusterPicture.ts";

/**
 * Runs `fn` once the frames already asked for have been painted and the page is idle (at the latest `timeout` ms
 * later); returns the cancel. The change that brings a picture is usually a terminal line whose output arrives just
 * before it: an idle period can come before the frame that paints that output (xterm parses a write in a task, then
 * paints in the next animation frame), and a picture drawn there (a Preact render of the SVG, milliseconds) would
 * hold that frame back. So: the next frame, then the one after it, then idle.
 */
export function whenIdle(fn: () => void, timeout = 300): () => void {
  let idle: number | undefined;
  let t: ReturnType<typeof setTimeout> | undefined;
  let f = requestAnimationFrame(() => {
    f = requestAnimationFrame(() => {
      if (typeof requestIdleCallback === "function") idle = requestIdleCallback(fn, { timeout });
      else t = setTimeout(fn); // no idle callbacks (Safari): right after that frame
    });
  });
  return () => {
    cancelAnimationFrame(f);
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

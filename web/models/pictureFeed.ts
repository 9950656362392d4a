// The picture's feeds: live from the clusterChanged subscription (the picture again after every change of the
// cluster), or one picture read once (an attempt's end, in the grade book).
import { signal } from "@preact/signals";
import { watchCluster, type WatchState } from "../api/events.ts";
import { PICTURE_FIELDS, type FeedState, type PictureData, type PictureFeed } from "./clusterPicture.ts";

export function livePictureFeed(token: () => string | null, clusterId: string): PictureFeed {
  const state = signal<FeedState>("connecting");
  const error = signal<string | null>(null);
  return {
    state,
    error,
    start(onData) {
      const w = watchCluster<{ picture: PictureData }>({
        token,
        clusterId,
        selection: `{ picture ${PICTURE_FIELDS} }`,
        onData: (c) => onData(c ? c.picture : null),
      });
      const stopState = w.state.subscribe((s: WatchState) => (state.value = s));
      const stopError = w.error.subscribe((e) => (error.value = e));
      return () => {
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

// The virtual clock: the cluster's time is an integer count of seconds since the Unix epoch stored in its state.
// These helpers only format and parse; nothing here reads the host's clock.

/** RFC3339 in UTC with second precision, as the apiserver writes timestamps (`2021-12-05T17:05:13Z`). */
let lastEpoch = NaN;
let lastText = "";

export function rfc3339(epochSeconds: number): string {
  // Controllers stamp many objects with the same "now": remember the last conversion.
  if (epochSeconds !== lastEpoch) {
    lastText = new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    lastEpoch = epochSeconds;
  }
  return lastText;
}

export function parseRfc3339(text: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`invalid timestamp ${JSON.stringify(text)}`);
  return Math.floor(ms / 1000);
}

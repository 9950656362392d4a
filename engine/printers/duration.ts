// kubectl's ages: apimachinery's duration.HumanDuration (via translateTimestampSince), in virtual seconds.

export function humanDuration(seconds: number): string {
  const s = Math.trunc(seconds);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 60 * 2) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) {
    const rem = s % 60;
    return rem === 0 ? `${minutes}m` : `${minutes}m${rem}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Parse an RFC3339 timestamp (second precision, UTC or offset) to epoch seconds without the host clock. */
export function epochOf(ts: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, se, tz] = m;
  let t = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se) / 1000;
  if (tz !== "Z") {
    const sign = tz[0] === "+" ? 1 : -1;
    t -= sign * (Number(tz.slice(1, 3)) * 3600 + Number(tz.slice(4, 6)) * 60);
  }
  return t;
}

/** translateTimestampSince: `<unknown>` for a missing timestamp, else the age. */
export function ageSince(ts: string | undefined | null, nowSeconds: number): string {
  if (!ts) return "<unknown>";
  const t = epochOf(ts);
  if (Number.isNaN(t)) return "<unknown>";
  return humanDuration(nowSeconds - t);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go's time.RFC1123Z in UTC: `Sun, 05 Dec 2021 17:05:13 +0000`. */
export function rfc1123z(ts: string): string {
  const t = epochOf(ts);
  if (Number.isNaN(t)) return ts;
  const d = new Date(t * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

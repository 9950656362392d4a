// The header lines curl 7.29 sends (lib/http.c): its own User-Agent, Host and Accept, each left out when a -H header
// of the same name (any case) replaces it; then the -H headers in the order given — "Name: value" is sent,
// "Name:" only removes curl's own header of that name, "Name;" sends the header empty; then, with a body, its
// Content-Length and Content-Type (application/x-www-form-urlencoded), each unless a -H header names it.

export interface CurlHeaderInput {
  userAgent: string;
  /** `host` or `host:port` (the port left out when it is 80). */
  host: string;
  /** The -H arguments as typed. */
  custom: string[];
  body?: string;
}

/** The headers in the order curl sends them (and prints them with -v). */
export function curlHeaders(input: CurlHeaderInput): [string, string][] {
  const named = new Set<string>();
  const extra: [string, string][] = [];
  for (const h of input.custom) {
    const colon = h.indexOf(":");
    const semi = h.indexOf(";");
    if (colon > 0 && (semi < 0 || colon < semi)) {
      const name = h.slice(0, colon).trim();
      const value = h.slice(colon + 1).trim();
      named.add(name.toLowerCase());
      if (value !== "") extra.push([name, value]);
    } else if (semi > 0 && h.slice(semi + 1).trim() === "") {
      const name = h.slice(0, semi).trim();
      named.add(name.toLowerCase());
      extra.push([name, ""]);
    }
  }
  const own = (name: string, value: string): [string, string][] => (named.has(name.toLowerCase()) ? [] : [[name, value]]);
  const lines: [string, string][] = [...own("User-Agent", input.userAgent), ...own("Host", input.host), ...own("Accept", "*/*"), ...extra];
  if (input.body !== undefined) lines.push(...own("Content-Length", String(new TextEncoder().encode(input.body).length)), ...own("Content-Type", "application/x-www-form-urlencoded"));
  return lines;
}

// HTTP header names are case-insensitive (RFC 7230 §3.2): a request's headers are looked up without regard to case.

/** The value of the header `name` in `headers`, whatever the case it was sent in (undefined when there is none). */
export function headerOf(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

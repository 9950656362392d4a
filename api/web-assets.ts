// The web lab's files, served by the API's own fetch handler (Node and Workers): index.html for every page route
// (`/`, `/labs/<slug>`, `/teach…`), the content-hashed bundles under /assets/ with a year-long immutable cache, and
// on every one a Content-Security-Policy that allows no inline script and nothing from another origin.
// The files come from web/dist/assets.json (scripts/build-web.mjs): read from disk under Node, bundled into the Worker.
import type { Plugin } from "graphql-yoga";

export interface WebFile {
  type: string;
  body: string;
}

export interface WebAssets {
  /** By URL path: `/assets/main-3F2A….js`. */
  files: Record<string, WebFile>;
  /** index.html, naming the current hashed files. */
  index: string;
  /** The scripts the page loads at once (main and its static chunks); the other .js files are lazy chunks. */
  initial?: string[];
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // xterm.js and Preact set element styles, and xterm adds a <style> for its theme: styles may be inline, scripts not
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Paths that are pages of the lab (the page's router takes it from there). */
export function isPagePath(pathname: string): boolean {
  return pathname === "/" || /^\/labs\/[^/]+\/?$/.test(pathname) || pathname === "/teach" || pathname.startsWith("/teach/");
}

/** The response for a web path, or undefined when the path is not the page's (GraphQL, /health…). */
export function serveWeb(assets: WebAssets, request: Request): Response | undefined {
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;
  const { pathname } = new URL(request.url);
  const head = request.method === "HEAD";
  if (isPagePath(pathname)) {
    return new Response(head ? null : assets.index, {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache", ...SECURITY_HEADERS },
    });
  }
  if (pathname === "/favicon.ico") {
    const icon = Object.keys(assets.files).find((p) => p.startsWith("/assets/favicon-"));
    if (icon) return new Response(null, { status: 301, headers: { location: icon, "cache-control": "public, max-age=86400" } });
  }
  if (!pathname.startsWith("/assets/")) return undefined;
  const file = assets.files[pathname];
  if (!file) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...SECURITY_HEADERS } });
  return new Response(head ? null : file.body, {
    status: 200,
    headers: { "content-type": file.type, "cache-control": "public, max-age=31536000, immutable", ...SECURITY_HEADERS },
  });
}

/** A yoga plugin that answers the page's paths before GraphQL sees them. */
export function useWebAssets(assets: WebAssets): Plugin<Record<string, unknown>> {
  return {
    onRequest({ request, endResponse }) {
      const res = serveWeb(assets, request);
      if (res) endResponse(res);
    },
  };
}

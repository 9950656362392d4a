// The web lab's files through the API's own fetch handler: the page at every route, hashed assets with a long
// cache, a CSP with no inline script and no other origin, the first load's scripts within budget and the editor a
// lazy chunk, GraphQL untouched beside them, GraphiQL from the package.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gzipSync } from "node:zlib";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { loadWebAssets } from "../api/node/web-build.ts";
import type { WebAssets } from "../api/web-assets.ts";

let t: TestApp;
let web: WebAssets;
beforeAll(async () => {
  web = await loadWebAssets({ rebuild: true, write: false });
  t = await createTestApp({ web, renderGraphiQL });
});
afterAll(() => t?.close());

const get = (path: string, init: RequestInit = {}) => t.app.fetch(`http://kubelab.test${path}`, init);

describe("the web lab's files", () => {
  it("serves index.html at every page route, never cached, naming the hashed bundles", async () => {
    for (const path of ["/", "/labs/clusterip-services", "/teach", "/teach/labs/clusterip-services"]) {
      const r = await get(path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(r.headers.get("cache-control")).toBe("no-cache");
      const html = await r.text();
      expect(html).toMatch(/<script type="module" src="\/assets\/main-[A-Z0-9]+\.js"><\/script>/);
      expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/main-[A-Z0-9]+\.css"/);
    }
  });

  it("sends a CSP that allows no inline script and nothing from another origin, and the page has no inline script", async () => {
    const r = await get("/");
    const csp = r.headers.get("content-security-policy")!;
    const directives = Object.fromEntries(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["default-src"]).toEqual(["'self'"]);
    expect(directives["connect-src"]).toEqual(["'self'"]);
    expect(directives["object-src"]).toEqual(["'none'"]);
    for (const [k, v] of Object.entries(directives)) for (const src of v) expect(src, k).not.toMatch(/^(https?:|\*|wss?:)/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await r.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script has a src
    expect(html).not.toMatch(/https?:\/\//);
  });

  it("serves each asset immutable for a year, with its type; an unknown one is a 404", async () => {
    const html = await (await get("/")).text();
    const js = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(html)![1];
    const rj = await get(js);
    expect(rj.status).toBe(200);
    expect(rj.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(rj.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const body = await rj.text();
    expect(body).toBe(web.files[js].body);
    expect(body).not.toMatch(/\bfetch\(\s*["']https?:/);
    expect((await get(css)).headers.get("content-type")).toBe("text/css; charset=utf-8");
    const head = await get(js, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const missing = await get("/assets/main-NOSUCHHASH.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("loads main and the chunks it imports at once (preloaded, ≤ 250 KiB gzip); the editor (CodeMirror, vim) is a lazy chunk", async () => {
    const html = await (await get("/")).text();
    const main = /<script type="module" src="(\/assets\/main-[A-Z0-9]+\.js)"><\/script>/.exec(html)![1];
    const initial = web.initial!;
    expect(initial[0]).toBe(main);
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)" \/>/g)].map((m) => m[1]);
    expect(preloaded).toEqual(initial.slice(1));
    for (const p of initial) expect((await get(p)).status, p).toBe(200);
    // every static import of an initial script is itself initial (nothing loaded late by the first paint)
    for (const p of initial) for (const m of web.files[p].body.matchAll(/\bfrom\s*"\.\/([^"]+\.js)"/g)) expect(initial, `${p} imports ${m[1]}`).toContain(`/assets/${m[1]}`);
    const gzip = initial.reduce((n, p) => n + gzipSync(web.files[p].body).length, 0);
    expect(gzip / 1024).toBeLessThanOrEqual(250);
    const lazy = Object.keys(web.files).filter((p) => p.endsWith(".js") && !initial.includes(p));
    const editor = lazy.filter((p) => /\/ScreenEditor-[A-Z0-9]+\.js$/.test(p));
    expect(editor).toHaveLength(1);
    expect(web.files[editor[0]].body).toContain("cm-vim-panel");
    for (const p of initial) expect(web.files[p].body, p).not.toContain("cm-vim-panel");
    // main loads it by a relative dynamic import, from this server (CSP script-src 'self')
    expect(initial.some((p) => web.files[p].body.includes(`import("./${editor[0].slice("/assets/".length)}")`))).toBe(true);
  });

  it("leaves GraphQL and unknown paths alone", async () => {
    const alice = await t.token({ sub: "alice", role: "student", course: "c1" });
    const r = await t.gql(alice, `{ me { id } }`);
    expect(r.status).toBe(200);
    expect(r.data.me.id).toBe("alice");
    expect((await get("/nope")).status).toBe(404);
    // a POST to a page path is not the page
    expect((await get("/", { method: "POST", body: "x" })).headers.get("content-type")).not.toBe("text/html; charset=utf-8");
  });

  it("serves GraphiQL from the package: no CDN address in the page", async () => {
    const r = await get("/graphql", { headers: { accept: "text/html" } });
    expect(r.status).toBe(200);
    const html = await r.text();
    expect(html).toContain("YogaGraphiQL.renderYogaGraphiQL");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toContain("unpkg.com");
    expect(html).not.toContain("cdn.jsdelivr");
  });
});

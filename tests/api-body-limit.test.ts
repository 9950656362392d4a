// The request body limit (api/body-limit.ts, limits.requestBytes = 1 MiB) over real HTTP: a body with a
// Content-Length is checked by its header alone; a chunked body (no Content-Length) is counted as it arrives and
// refused past the limit with the same 413 answer; a malformed Content-Length is a 400.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";

let t: TestApp;
let server: Server;
let port: number;
let alice: string;
beforeAll(async () => {
  t = await createTestApp();
  alice = await t.token({ sub: "alice", role: "student" });
  server = createServer(t.app);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.close();
});

/** POST /graphql with the body in `chunks` (chunked transfer encoding unless a content-length header is given). */
function post(chunks: string[], headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/graphql", method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${alice}`, connection: "close", ...headers } }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe("request body limit", () => {
  it("a chunked body under the limit is served", async () => {
    const body = JSON.stringify({ query: "{ me { id } }" });
    const r = await post([body.slice(0, 5), body.slice(5)]);
    expect(r.status).toBe(200);
    expect(r.body.data.me.id).toBe("alice");
  });

  it("a chunked body past the limit is refused with 413, as a Content-Length past it is", async () => {
    const pad = "x".repeat(64 * 1024);
    const head = `{"query":"{ me { id } }","variables":{"pad":"`;
    const chunks = [head, ...Array.from({ length: 17 }, () => pad), `"}}`]; // > 1 MiB
    const chunked = await post(chunks);
    expect(chunked.status).toBe(413);
    expect(chunked.body.errors[0]).toMatchObject({ message: "Request body is larger than 1048576 bytes", extensions: { code: "PAYLOAD_TOO_LARGE" } });
    const declared = await post([head], { "content-length": String(2 * 1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(declared.body.errors[0].message).toBe("Request body is larger than 1048576 bytes");
  });

  it("a malformed Content-Length is a 400", async () => {
    const res = await t.app.fetch("http://x/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${alice}`, "content-length": "12abc" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { message: string }[] }).errors[0].message).toBe("Content-Length header is invalid.");
  });
});

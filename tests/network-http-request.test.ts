// The HTTP request a backend receives from `Cluster.request` (what the grader and the web lab send): curl 7.29's
// defaults — Host is the address as given, with ":port" unless it is 80; User-Agent curl/7.29.0; Accept */*; a body
// makes it a POST with Content-Type application/x-www-form-urlencoded unless the caller set a content type (any
// case); caller headers win. demoapp's /user-agent echoes that header, and POST /readyz changes its readiness flag.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

function setup() {
  const c = Cluster.create({ seed: 6 });
  c.apply([
    { apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { nodeName: "node01", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } },
    { apiVersion: "v1", kind: "Pod", metadata: { name: "alt" }, spec: { nodeName: "node02", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0", env: [{ name: "PORT", value: "8080" }] }] } },
  ]);
  c.advance(30);
  const ip = (n: string) => (c.get("Pod", n, "default") as { status: { podIP: string } }).status.podIP;
  return { c, web: ip("web"), alt: ip("alt") };
}

const FROM = { kind: "node", node: "master01" } as const;

describe("the request a backend sees", () => {
  const { c, web, alt } = setup();

  // demoapp v1.0 shows a request's User-Agent (/user-agent) and nothing else of its headers (its demo.py has no
  // /headers route), so that is what can be seen of the defaults from a backend
  it.each([
    ["curl's own User-Agent, on port 80", "web", 80, {}, "User-Agent: curl/7.29.0\n"],
    ["curl's own User-Agent, on another port", "alt", 8080, {}, "User-Agent: curl/7.29.0\n"],
    ["a caller's User-Agent replaces it", "web", 80, { "User-Agent": "probe/1", "X-Trace": "7" }, "User-Agent: probe/1\n"],
  ] as const)("%s", (_n, pod, port, headers, want) => {
    const host = pod === "web" ? web : alt;
    const r = c.request({ from: FROM, host, port, path: "/user-agent", headers: { ...headers } });
    expect(r.ok).toBe(true);
    expect(r.body).toBe(want);
  });

  it("a body without a method is a POST; GET is the default without one", () => {
    expect(c.request({ from: FROM, host: web, path: "/readyz" }).status).toBe(200);
    c.request({ from: FROM, host: web, path: "/readyz", method: "GET", body: "readyz=FAIL" });
    expect(c.request({ from: FROM, host: web, path: "/readyz" }).body).toBe("OK");
    c.request({ from: FROM, host: web, path: "/readyz", body: "readyz=FAIL" });
    const r = c.request({ from: FROM, host: web, path: "/readyz" });
    expect([r.status, r.body]).toEqual([500, "FAIL"]);
    c.request({ from: FROM, host: web, path: "/readyz", body: "readyz=OK" });
    expect(c.request({ from: FROM, host: web, path: "/readyz" }).body).toBe("OK");
  });

  it("the path defaults to /", () => {
    expect(c.request({ from: FROM, host: web }).body).toBe(`iKubernetes demoapp v1.0 !! ClientIP: 10.244.0.0, ServerName: web, ServerIP: ${web}!\n`);
  });
});

// The request headers curl 7.29 (CentOS 7's, the course's) sends and prints with -v: its own User-Agent, Host and
// Accept, each replaced by a -H header of the same name in any case; "Name:" removes curl's own header, "Name;"
// sends one empty; with -d, Content-Length (bytes) and Content-Type unless -H names them. demoapp's /user-agent shows
// the one User-Agent the backend got.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { curlHeaders } from "../engine/shell/curl-headers.ts";

describe("curlHeaders: what curl sends, in its order", () => {
  const base = { userAgent: "curl/7.29.0", host: "10.0.0.1" };
  const table: [string, string[], string | undefined, [string, string][]][] = [
    ["curl's own three", [], undefined, [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"]]],
    ["a -H header comes after them", ["X-Trace: 7"], undefined, [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"], ["X-Trace", "7"]]],
    ["a User-Agent in another case replaces curl's, at its own place", ["user-agent: probe/1"], undefined, [["Host", "10.0.0.1"], ["Accept", "*/*"], ["user-agent", "probe/1"]]],
    ["Name: with no value removes curl's header", ["Accept:"], undefined, [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"]]],
    ["Name; sends it empty", ["X-Empty;"], undefined, [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"], ["X-Empty", ""]]],
    ["a Host header replaces curl's", ["Host: web.example"], undefined, [["User-Agent", "curl/7.29.0"], ["Accept", "*/*"], ["Host", "web.example"]]],
    ["a body: its length in bytes and the form type", [], "a=é", [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"], ["Content-Length", "4"], ["Content-Type", "application/x-www-form-urlencoded"]]],
    ["a body with its own content type", ["content-type: application/json"], "{}", [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"], ["content-type", "application/json"], ["Content-Length", "2"]]],
    ["a line without a colon or a semicolon is not sent", ["garbage"], undefined, [["User-Agent", "curl/7.29.0"], ["Host", "10.0.0.1"], ["Accept", "*/*"]]],
  ];
  it.each(table)("%s", (_what, custom, body, want) => {
    expect(curlHeaders({ ...base, custom, body })).toEqual(want);
  });
});

describe("curl through the terminal: one User-Agent reaches the backend, -v shows what was sent", () => {
  const c = Cluster.create({ seed: 6 });
  c.apply([{ apiVersion: "v1", kind: "Pod", metadata: { name: "web" }, spec: { nodeName: "node01", containers: [{ name: "demoapp", image: "ikubernetes/demoapp:v1.0" }] } }]);
  c.advance(30);
  const ip = (c.get("Pod", "web", "default") as { status: { podIP: string } }).status.podIP;
  const sh = (line: string) => c.exec(line, { host: "master01" });

  it("-H 'user-agent: …' in lower case replaces curl's (the backend used to see curl/7.29.0)", () => {
    expect(sh(`curl -s -H 'user-agent: probe/2' ${ip}/user-agent`).stdout).toBe("User-Agent: probe/2\n");
    expect(sh(`curl -s -A kubelab ${ip}/user-agent`).stdout).toBe("User-Agent: kubelab\n");
    // -H wins over -A, as curl's own header gives way to a custom one
    expect(sh(`curl -s -A kubelab -H 'User-Agent: mine' ${ip}/user-agent`).stdout).toBe("User-Agent: mine\n");
  });

  it("Cluster.request: a caller's header replaces curl's default of the same name in any case", () => {
    const r = c.request({ from: { kind: "node", node: "master01" }, host: ip, path: "/user-agent", headers: { "user-agent": "lower/1" } });
    expect(r.body).toBe("User-Agent: lower/1\n");
    const upper = c.request({ from: { kind: "node", node: "master01" }, host: ip, path: "/user-agent", headers: { "USER-AGENT": "upper/1" } });
    expect(upper.body).toBe("User-Agent: upper/1\n");
    expect(c.request({ from: { kind: "node", node: "master01" }, host: ip, path: "/user-agent" }).body).toBe("User-Agent: curl/7.29.0\n");
  });

  it("-v lists the request headers in curl 7.29's order", () => {
    const r = sh(`curl -sv -H 'user-agent: probe/2' -H 'Accept:' -H 'X-Empty;' -d 'readyz=OK' ${ip}/readyz`);
    const sent = r.stderr.split("\n").filter((l) => l.startsWith("> "));
    expect(sent).toEqual(["> POST /readyz HTTP/1.1", `> Host: ${ip}`, "> user-agent: probe/2", "> X-Empty: ", "> Content-Length: 9", "> Content-Type: application/x-www-form-urlencoded", "> "]);
    // the response: Werkzeug answers HTTP/1.0, which 7.29 notes before its status line; the blank line ends it
    const got = r.stderr.split("\n");
    const status = got.findIndex((l) => l.startsWith("< HTTP/1.0 "));
    expect(got[status - 1]).toBe("* HTTP 1.0, assume close after body");
    expect(got).toContain("< ");
  });
});

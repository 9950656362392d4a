// The simulated applications (engine/network/apps.ts) as a client meets them: which image answers as which app, on
// which ports, what each of demoapp's paths returns, and the bytes on the wire (Content-Length is a count of UTF-8
// bytes; a WSGI server reads header bytes as ISO-8859-1, so demoapp echoes non-ASCII text as Werkzeug does).
//
// Outside hosts (the topology's externalHosts) answer with the app of their image without any pod, so the image
// table needs no scheduling; the listening-ports table needs pods (an outside host answers on its listed ports).
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import type { ExternalHostInput, Pod } from "../engine/index.ts";

const NGINX = "nginx/1.21.4";
const WERKZEUG = "Werkzeug/1.0.0 Python/3.8.2";
const GENERIC = "kubelab-generic";
const MYSQL = "mysql greeting";
type Answer = typeof NGINX | typeof WERKZEUG | typeof GENERIC | typeof MYSQL;

// image → which app answers, and (demoapp) the version it reports: the image's tag, `latest` without one.
const IMAGES: { image: string; app: Answer; version?: string }[] = [
  { image: "nginx", app: NGINX },
  { image: "nginx:1.21", app: NGINX },
  { image: "docker.io/library/nginx:alpine", app: NGINX },
  { image: "library/nginx", app: NGINX },
  // index.docker.io is Docker Hub's legacy name: the same images
  { image: "index.docker.io/nginx", app: NGINX },
  { image: "index.docker.io/library/mysql:5.7", app: MYSQL },
  { image: "index.docker.io/ikubernetes/demoapp:v1.0", app: WERKZEUG, version: "v1.0" },
  // any registry's or account's …/nginx is nginx; only docker.io/ and library/ at the start are Docker Hub's names
  { image: "mirror.docker.io/nginx", app: NGINX },
  { image: "mylibrary/nginx", app: NGINX },
  { image: "bitnami/nginx:1.21", app: NGINX },
  // a registry with a port: the tag is what follows the LAST colon, and only when no slash follows it
  { image: "localhost:5000/nginx:1.21", app: NGINX },
  { image: "my-nginx", app: GENERIC },
  { image: "nginxdemos/hello", app: GENERIC },
  { image: "mysql:5.7", app: MYSQL },
  { image: "docker.io/mysql", app: MYSQL },
  { image: "library/mysql:8", app: MYSQL },
  { image: "mariadb:10.5", app: MYSQL },
  { image: "docker.io/library/mariadb", app: MYSQL },
  { image: "bitnami/mysql", app: GENERIC },
  { image: "ikubernetes/demoapp:v1.1", app: WERKZEUG, version: "v1.1" },
  { image: "docker.io/ikubernetes/demoapp:v1.2", app: WERKZEUG, version: "v1.2" },
  { image: "ikubernetes/demoapp", app: WERKZEUG, version: "latest" },
  { image: "ikubernetes/demoapp:v1.0@sha256:6698b205eb18fb0171398927f3a35fe27676c6bf5757ef57a35a4b055badf2c3", app: WERKZEUG, version: "v1.0" },
  { image: "ikubernetes/demoapp-admin:v1.0", app: GENERIC },
  { image: "busybox", app: GENERIC },
];

const hostIP = (i: number) => `192.168.3.${10 + i}`;
const HOSTS: ExternalHostInput[] = IMAGES.map((r, i) => ({ name: `host${i}`, ip: hostIP(i), image: r.image, ports: [80] }));

describe("which application answers, by image (an outside host of that image, curl from node01)", () => {
  let c: Cluster;
  beforeAll(() => {
    c = Cluster.create({ seed: 7, topology: { externalHosts: HOSTS } });
  });
  it.each(IMAGES.map((r, i) => [r.image, r, i] as const))("%s", (_image, row, i) => {
    const r = c.request({ from: { kind: "node", node: "node01" }, host: hostIP(i), path: "/" });
    expect(r.ok).toBe(true);
    if (row.app === MYSQL) {
      // MySQL speaks first: its greeting carries the server version, NUL-terminated; there is no HTTP status.
      expect({ status: r.status, headers: r.headers, body: r.body }).toEqual({ status: 0, headers: {}, body: "5.7.36\u0000" });
      return;
    }
    expect(r.status).toBe(200);
    expect(r.headers?.Server).toBe(row.app);
    if (row.app === WERKZEUG) expect(r.body).toBe(`iKubernetes demoapp ${row.version} !! ClientIP: 192.168.2.2, ServerName: host${i}, ServerIP: ${hostIP(i)}!\n`);
    if (row.app === NGINX) expect(r.body).toMatch(/^<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!<\/title>\n/);
    if (row.app === GENERIC) expect(r.body).toBe(`host${i} (${row.image}) on port 80\n`);
  });
});

describe("the bytes on the wire: status line, headers, Content-Length (curl -i from node01)", () => {
  let c: Cluster;
  const sh = (line: string) => c.exec(line, { host: "node01" });
  beforeAll(() => {
    c = Cluster.create({
      seed: 7,
      topology: {
        externalHosts: [
          { name: "web", ip: "192.168.3.1", image: "nginx:1.21.4", ports: [80] },
          { name: "app", ip: "192.168.3.2", image: "ikubernetes/demoapp:v1.0", ports: [80] },
          { name: "thing", ip: "192.168.3.3", image: "example/thing:2", ports: [8080] },
        ],
      },
    });
  });
  const DATE = "Date: Sun, 05 Dec 2021 16:00:00 GMT";
  const NOT_FOUND =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
  const rows: { what: string; line: string; head: string[]; body: string }[] = [
    {
      what: "nginx: HTTP/1.1, text/html without a charset, its 615-byte welcome page",
      line: "curl -si 192.168.3.1",
      head: ["HTTP/1.1 200 OK", "Content-Type: text/html", "Content-Length: 615", `Server: ${NGINX}`],
      body: "",
    },
    {
      what: "demoapp (Werkzeug's development server): HTTP/1.0",
      line: "curl -si 192.168.3.2/hostname",
      head: ["HTTP/1.0 200 OK", "Content-Type: text/html; charset=utf-8", "Content-Length: 16", `Server: ${WERKZEUG}`],
      body: "ServerName: app\n",
    },
    {
      // demo.py has no /headers route (/, /hostname, /user-agent, /configs, /livez, /readyz)
      what: "demoapp: an unknown path is Werkzeug's 404 page, its reason phrase in capitals",
      line: "curl -si 192.168.3.2/headers",
      head: ["HTTP/1.0 404 NOT FOUND", "Content-Type: text/html; charset=utf-8", "Content-Length: 232", `Server: ${WERKZEUG}`],
      body: NOT_FOUND,
    },
    {
      what: "an image the lab does not know: it answers on its listed ports, naming itself",
      line: "curl -si 192.168.3.3:8080/anything",
      head: ["HTTP/1.1 200 OK", "Content-Type: text/html; charset=utf-8", "Content-Length: 37", `Server: ${GENERIC}`],
      body: "thing (example/thing:2) on port 8080\n",
    },
  ];
  it.each(rows)("$what", ({ line, head, body }) => {
    const r = sh(line);
    expect(r.stderr).toBe("");
    const [headText, ...rest] = r.stdout.split("\r\n\r\n");
    expect(headText.split("\r\n")).toEqual([...head, DATE]);
    if (body) expect(rest.join("\r\n\r\n")).toBe(body);
  });
  it("the nginx page's Content-Length is its length in bytes", () => {
    const body = sh("curl -s 192.168.3.1").stdout;
    expect(body).toContain("<h1>Welcome to nginx!</h1>");
    expect(body.length).toBe(615);
  });
});

describe("demoapp's paths (ikubernetes/demoapp:v1.0 as an outside host, curl from node01)", () => {
  let c: Cluster;
  const sh = (line: string) => c.exec(line, { host: "node01" });
  beforeAll(() => {
    c = Cluster.create({ seed: 7, topology: { externalHosts: [{ name: "app", ip: "192.168.3.2", image: "ikubernetes/demoapp:v1.0", ports: [80] }] } });
  });
  const rows: { line: string; out: string }[] = [
    { line: "curl -s 192.168.3.2", out: "iKubernetes demoapp v1.0 !! ClientIP: 192.168.2.2, ServerName: app, ServerIP: 192.168.3.2!\n" },
    { line: "curl -s '192.168.3.2/?x=1'", out: "iKubernetes demoapp v1.0 !! ClientIP: 192.168.2.2, ServerName: app, ServerIP: 192.168.3.2!\n" },
    { line: "curl -s 192.168.3.2/hostname", out: "ServerName: app\n" },
    { line: "curl -s '192.168.3.2/hostname?verbose=1'", out: "ServerName: app\n" },
    { line: "curl -s 192.168.3.2/user-agent", out: "User-Agent: curl/7.29.0\n" },
    { line: "curl -s -A 'kubelab/1.0 (lab)' 192.168.3.2/user-agent", out: "User-Agent: kubelab/1.0 (lab)\n" },
    { line: "curl -s 192.168.3.2/configs", out: "DEPLOYENV: None\nRELEASE: None\n" },
    { line: "curl -s 192.168.3.2/livez", out: "OK" },
    { line: "curl -s 192.168.3.2/readyz", out: "OK" },
    { line: "curl -s -o /dev/null -w '%{http_code}' 192.168.3.2/livez", out: "200" },
  ];
  it.each(rows)("$line", ({ line, out }) => {
    expect(sh(line)).toEqual({ stdout: out, stderr: "", exitCode: 0 });
  });
});

// An outside host's application keeps no state between requests in the lab; a pod's keeps its flags in the pod record.
describe("demoapp's health flags (a pod, curl from node01)", () => {
  let c: Cluster;
  let ip = "";
  const sh = (line: string) => c.exec(line, { host: "node01" });
  beforeAll(() => {
    c = Cluster.create({ seed: 7 });
    c.apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  containers:\n  - name: demoapp\n    image: ikubernetes/demoapp:v1.0\n");
    c.advance(30);
    ip = (c.get("Pod", "demo") as Pod).status.podIP!;
  });
  const code = (path: string) => sh(`curl -s -o /dev/null -w '%{http_code}' ${ip}${path}`).stdout;
  const post = (path: string, data: string) => sh(`curl -s -w '%{http_code}' -d '${data}' ${ip}${path}`).stdout;
  const BAD_REQUEST =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n';
  it("POST /readyz and /livez set each flag from its own form field; a form without it is a 400 and changes nothing", () => {
    expect(post("/readyz", "readyz=FAIL")).toBe("200");
    expect([code("/readyz"), code("/livez"), sh(`curl -s ${ip}/readyz`).stdout]).toEqual(["500", "200", "FAIL"]);
    // the field of the other flag, or none at all: Flask's request.form['readyz'] raises, Werkzeug answers 400
    expect(sh(`curl -s -d 'livez=OK' ${ip}/readyz`)).toEqual({ stdout: BAD_REQUEST, stderr: "", exitCode: 0 });
    expect(sh(`curl -s -w ' %{http_code}' -XPOST ${ip}/readyz`).stdout).toBe(`${BAD_REQUEST} 400`);
    expect(code("/readyz")).toBe("500");
    // whatever value is posted is kept: only OK is healthy, and the error's body is the value
    expect(post("/readyz", "readyz=maintenance")).toBe("200");
    expect(sh(`curl -s -w ' %{http_code}' ${ip}/readyz`).stdout).toBe("maintenance 500");
    expect(post("/readyz", "x=1&readyz=OK")).toBe("200");
    expect([code("/readyz"), sh(`curl -s ${ip}/readyz`).stdout]).toEqual(["200", "OK"]);
    post("/livez", "livez=FAIL");
    expect([code("/readyz"), code("/livez")]).toEqual(["200", "500"]);
    post("/livez", "livez=OK");
  });
  it("a failing /livez: a 500 whose body says FAIL", () => {
    post("/livez", "livez=FAIL");
    const r = sh(`curl -si ${ip}/livez`);
    expect(r.stdout).toBe(
      `HTTP/1.0 500 INTERNAL SERVER ERROR\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 4\r\nServer: ${WERKZEUG}\r\n${"Date: Sun, 05 Dec 2021 16:00:30 GMT"}\r\n\r\nFAIL`,
    );
    post("/livez", "livez=OK");
    expect(sh(`curl -s ${ip}/livez`).stdout).toBe("OK");
  });
});

// What demoapp echoes of a header: the UTF-8 bytes curl sent, each read as one ISO-8859-1 character (PEP 3333;
// Werkzeug 1.0 hands them to Flask as is), sent back UTF-8 encoded — so each byte of 0x80 and above costs two bytes
// in the response's Content-Length.
describe("non-ASCII text: demoapp echoes header bytes as Werkzeug does, Content-Length counts UTF-8 bytes", () => {
  let c: Cluster;
  beforeAll(() => {
    c = Cluster.create({ seed: 7, topology: { externalHosts: [{ name: "app", ip: "192.168.3.2", image: "ikubernetes/demoapp:v1.0", ports: [80] }] } });
  });
  const ua = (agent: string) => c.request({ from: { kind: "node", node: "node01" }, host: "192.168.3.2", path: "/user-agent", headers: { "User-Agent": agent } });
  // agent → what demoapp echoes, and the response's Content-Length ("User-Agent: " is 12 bytes, "\n" one)
  const rows: { what: string; agent: string; echoed: string; length: number }[] = [
    { what: "ASCII, up to U+007F: one byte each, echoed as is", agent: "a~\u007f", echoed: "a~\u007f", length: 16 },
    { what: "U+0080, the first two-byte character", agent: "\u0080", echoed: "\u00c2\u0080", length: 17 },
    { what: "é (U+00E9)", agent: "caf\u00e9", echoed: "caf\u00c3\u00a9", length: 20 },
    { what: "U+07FF, the last two-byte character", agent: "\u07ff", echoed: "\u00df\u00bf", length: 17 },
    { what: "U+0800, the first three-byte character", agent: "\u0800", echoed: "\u00e0\u00a0\u0080", length: 19 },
    { what: "☕ (U+2615)", agent: "\u2615", echoed: "\u00e2\u0098\u0095", length: 19 },
    { what: "U+FFFF, the last three-byte character", agent: "\uffff", echoed: "\u00ef\u00bf\u00bf", length: 19 },
    { what: "U+10000, the first four-byte character (a surrogate pair)", agent: "\u{10000}", echoed: "\u00f0\u0090\u0080\u0080", length: 21 },
    { what: "😀 (U+1F600)", agent: "\u{1f600}", echoed: "\u00f0\u009f\u0098\u0080", length: 21 },
    { what: "U+10FFFF, the last character", agent: "\u{10ffff}", echoed: "\u00f4\u008f\u00bf\u00bf", length: 21 },
  ];
  it.each(rows)("$what", ({ agent, echoed, length }) => {
    const r = ua(agent);
    expect(r.body).toBe(`User-Agent: ${echoed}\n`);
    expect(r.headers?.["Content-Length"]).toBe(String(length));
  });
  it("through the terminal: curl -A 'café ☕ 😀'", () => {
    const r = c.exec("curl -si -A 'café ☕ 😀' 192.168.3.2/user-agent", { host: "node01" });
    expect(r.stdout).toContain("\r\nContent-Length: 36\r\n");
    expect(r.stdout.endsWith("\r\n\r\nUser-Agent: caf\u00c3\u00a9 \u00e2\u0098\u0095 \u00f0\u009f\u0098\u0080\n")).toBe(true);
  });
});

// demo.py's /configs prints two environment variables; Python reads the environment as UTF-8, so the text comes
// back as it was set, and Content-Length counts its bytes (1 to 4 each).
describe("non-ASCII text from the environment: demoapp's /configs (a pod)", () => {
  it("DEPLOYENV and RELEASE, each character counted in UTF-8 bytes", () => {
    const c = Cluster.create({ seed: 7 });
    c.apply(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  containers:\n  - name: demoapp\n    image: ikubernetes/demoapp:v1.0\n    env:\n    - name: DEPLOYENV\n      value: café\n    - name: RELEASE\n      value: v2 ☕ 😀\n",
    );
    c.advance(30);
    const ip = (c.get("Pod", "demo") as Pod).status.podIP!;
    const r = c.request({ from: { kind: "node", node: "node01" }, host: ip, path: "/configs" });
    // "DEPLOYENV: " 11 + café 5 + "\n" 1 + "RELEASE: " 9 + "v2 " 3 + ☕ 3 + " " 1 + 😀 4 + "\n" 1
    expect({ body: r.body, length: r.headers?.["Content-Length"] }).toEqual({ body: "DEPLOYENV: café\nRELEASE: v2 ☕ 😀\n", length: "38" });
  });
});

describe("which ports a pod's application listens on (curl from node01 to the pod IP)", () => {
  let c: Cluster;
  const podIP = (name: string) => (c.get("Pod", name) as Pod).status.podIP!;
  const pod = (name: string, image: string, extra: string[] = []) =>
    ["---", "apiVersion: v1", "kind: Pod", "metadata:", `  name: ${name}`, "spec:", "  containers:", `  - name: main`, `    image: ${image}`, ...extra].join("\n");
  beforeAll(() => {
    c = Cluster.create({ seed: 7 });
    const applied = c.apply(
      [
        pod("demo", "ikubernetes/demoapp:v1.0"),
        pod("demo8080", "ikubernetes/demoapp:v1.0", ["    env:", "    - name: HOST", "      value: 0.0.0.0", "    - name: PORT", "      value: \"8080\""]),
        pod("demofrom", "ikubernetes/demoapp:v1.0", ["    env:", "    - name: PORT", "      valueFrom:", "        fieldRef:", "          fieldPath: metadata.name"]),
        // nginx listens on 80 whatever containerPort says: the field documents, it does not configure
        pod("web", "nginx:1.21", ["    ports:", "    - containerPort: 8080"]),
        pod("db", "mariadb:10.5"),
        pod("thing", "example/thing:2", ["    ports:", "    - containerPort: 8080", "    - containerPort: 9090"]),
        pod("bare", "example/thing:2"),
        "",
      ].join("\n"),
    );
    expect(applied.map((a) => a.error)).toEqual(applied.map(() => undefined));
    c.advance(30);
  });
  const rows: { pod: string; answers: Record<number, string | RegExp>; refuses: number[] }[] = [
    { pod: "demo", answers: { 80: /^iKubernetes demoapp v1\.0 !! ClientIP: 10\.244\.\d+\.[01], ServerName: demo, ServerIP: / }, refuses: [8080, 3306] },
    { pod: "demo8080", answers: { 8080: /^iKubernetes demoapp v1\.0 !! .*ServerName: demo8080, / }, refuses: [80] },
    // a variable from valueFrom has no value the lab can compute: demoapp keeps its default port
    { pod: "demofrom", answers: { 80: /ServerName: demofrom, / }, refuses: [8080] },
    { pod: "web", answers: { 80: /<title>Welcome to nginx!<\/title>/ }, refuses: [8080, 3306] },
    { pod: "thing", answers: { 8080: "thing (example/thing:2) on port 8080\n", 9090: "thing (example/thing:2) on port 9090\n" }, refuses: [80] },
    { pod: "bare", answers: {}, refuses: [80, 8080] },
  ];
  it.each(rows)("$pod", ({ pod: name, answers, refuses }) => {
    const ip = podIP(name);
    for (const [port, body] of Object.entries(answers)) {
      const r = c.exec(`curl -s ${ip}:${port}/`, { host: "node01" });
      expect(r.exitCode, `${name}:${port}`).toBe(0);
      if (typeof body === "string") expect(r.stdout).toBe(body);
      else expect(r.stdout).toMatch(body);
    }
    for (const port of refuses)
      expect(c.exec(`curl ${ip}:${port}/`, { host: "node01" })).toEqual({ stdout: "", stderr: `curl: (7) Failed connect to ${ip}:${port}; Connection refused\n`, exitCode: 7 });
  });
  it("a MariaDB pod answers the mysql client on 3306 and nothing on 80", () => {
    const ip = podIP("db");
    const r = c.exec(`mysql -h${ip} -p123 -e "select version()"`, { host: "node01" });
    expect(r).toEqual({ stdout: "version()\n5.7.36\n", stderr: "", exitCode: 0 });
    expect(c.exec(`mysql -h${ip} -P80 -e status`, { host: "node01" }).stderr).toBe(`ERROR 2003 (HY000): Can't connect to MySQL server on '${ip}' (111)\n`);
    // demoapp is no MySQL server: the client gives up on its answer
    expect(c.exec(`mysql -h${podIP("demo")} -P80 -e status`, { host: "node01" }).stderr).toBe(
      "ERROR 2013 (HY000): Lost connection to MySQL server at 'reading initial communication packet', system error: 0\n",
    );
  });
});

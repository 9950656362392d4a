// The simulated applications behind pods and external hosts, looked up by image. Each answers an HTTP request
// (or refuses the connection) from its own small state: demoapp's readyz/livez flags live in the pod record.
// demoapp is a Flask app (demo.py) on Werkzeug's development server, with the routes /, /hostname, /user-agent,
// /configs, /livez and /readyz; any other path is Werkzeug's 404 page.
import { headerOf } from "./headers.ts";
import type { Container } from "../objects.ts";
import type { ExternalHostInput } from "../types.ts";
import { memoize } from "../memo.ts";

export interface AppRequest {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
  clientIP: string;
  /** The address the server was reached on. */
  serverIP: string;
  port: number;
}

export interface AppResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

export interface AppInstance {
  /** Pod name (demoapp's ServerName) or external host name. */
  name: string;
  image: string;
  containerPorts: number[];
  env: Record<string, string>;
  /** Mutable app state (persisted in the pod record). */
  state: Record<string, string>;
}

const STATUS_TEXT: Record<number, string> = { 200: "OK", 400: "BAD REQUEST", 404: "NOT FOUND", 405: "METHOD NOT ALLOWED", 500: "INTERNAL SERVER ERROR" };

function res(status: number, body: string, server: string, contentType = "text/html; charset=utf-8"): AppResponse {
  return {
    status,
    statusText: STATUS_TEXT[status] ?? "OK",
    headers: { "Content-Type": contentType, "Content-Length": String(utf8Bytes(body).length), Server: server },
    body,
  };
}

/**
 * A text's UTF-8 encoding, one character per byte (each byte read as ISO-8859-1). Its length is the Content-Length
 * of a body sent as UTF-8; and it is what a WSGI server hands an app for a header (PEP 3333: header bytes decoded as
 * ISO-8859-1), so `curl -A café` reaches demoapp's Werkzeug as `cafÃ©` and is echoed that way.
 */
function utf8Bytes(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp < 0x800) out += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return out;
}

export type AppKind = "demoapp" | "nginx" | "mysql" | "generic";

export const appKind = memoize(computeAppKind, 10_000);

function computeAppKind(image: string): AppKind {
  // Docker Hub is docker.io, or index.docker.io by its legacy name; its official images live under library/.
  const repo = image.split("@")[0].replace(/:[^/:]*$/, "").replace(/^(?:index\.)?docker\.io\//, "").replace(/^library\//, "");
  if (repo === "ikubernetes/demoapp") return "demoapp";
  if (repo === "nginx" || repo.endsWith("/nginx")) return "nginx";
  if (repo === "mysql" || repo === "mariadb") return "mysql";
  return "generic";
}

/** An image's tag (`latest` when it has none), as demoapp reports its version; memoised like appKind. */
const imageTag = memoize(computeImageTag, 10_000);

function computeImageTag(image: string): string {
  const m = /:([^/:@]+)$/.exec(image.split("@")[0]);
  return m ? m[1] : "latest";
}

/** The ports an application listens on. */
export function listeningPorts(app: AppInstance): number[] {
  switch (appKind(app.image)) {
    case "demoapp":
      return [Number(app.env.PORT) || 80];
    case "nginx":
      return [80];
    case "mysql":
      return [3306];
    default:
      return app.containerPorts;
  }
}

export function listensOn(app: AppInstance, port: number): boolean {
  return listeningPorts(app).includes(port);
}

/** Handle one HTTP request. Mutates `app.state` for demoapp's POST /readyz and /livez. */
export function serveHttp(app: AppInstance, req: AppRequest): AppResponse {
  switch (appKind(app.image)) {
    case "demoapp":
      return demoapp(app, req);
    case "nginx":
      // nginx types .html as text/html from mime.types and adds no charset unless told to (`charset utf-8;`).
      return res(200, NGINX_WELCOME, "nginx/1.21.4", "text/html");
    case "mysql":
      return { status: 0, statusText: "", headers: {}, body: "5.7.36\u0000" };
    default:
      return res(200, `${app.name} (${app.image}) on port ${req.port}\n`, "kubelab-generic");
  }
}

const SERVER = "Werkzeug/1.0.0 Python/3.8.2";

function demoapp(app: AppInstance, req: AppRequest): AppResponse {
  const version = imageTag(app.image);
  const path = req.path.split("?")[0];
  switch (path) {
    case "/":
      return res(200, `iKubernetes demoapp ${version} !! ClientIP: ${req.clientIP}, ServerName: ${app.name}, ServerIP: ${req.serverIP}!\n`, SERVER);
    case "/hostname":
      return res(200, `ServerName: ${app.name}\n`, SERVER);
    case "/user-agent":
      return res(200, `User-Agent: ${utf8Bytes(headerOf(req.headers, "User-Agent") ?? "")}\n`, SERVER);
    case "/configs":
      // os.environ.get(...) formatted by Python: an unset variable prints as None
      return res(200, `DEPLOYENV: ${app.env.DEPLOYENV ?? "None"}\nRELEASE: ${app.env.RELEASE ?? "None"}\n`, SERVER);
    case "/readyz":
    case "/livez": {
      // demo.py keeps whatever value was posted (request.form[k]) and answers OK with 200, anything else with an
      // error carrying that value; a form without the field is Flask's KeyError, answered 400 by Werkzeug.
      const k = path.slice(1) as "readyz" | "livez";
      if (req.method === "POST") {
        const m = new RegExp(`(?:^|&)${k}=([^&]*)`).exec(req.body ?? "");
        if (!m) return res(400, BAD_REQUEST, SERVER);
        app.state[k] = m[1];
        return res(200, "", SERVER);
      }
      const v = app.state[k] ?? "OK";
      return res(v === "OK" ? 200 : 500, v, SERVER);
    }
    default:
      return res(404, NOT_FOUND, SERVER);
  }
}

export function externalApp(h: ExternalHostInput): AppInstance {
  return { name: h.name, image: h.image, containerPorts: h.ports, env: {}, state: {} };
}

export function podApp(name: string, c: Container, state: Record<string, string>): AppInstance {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return { name, image: c.image, containerPorts: (c.ports ?? []).map((p) => p.containerPort), env, state };
}

const BAD_REQUEST =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n';

const NOT_FOUND =
  '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

// Network tools: curl (as curl 7.29 on CentOS 7 prints), ip addr, nslookup/dig/host, and a mysql client enough
// for the course's `mysql -h… -p… -e "status"`. Requests go through the engine's kube-proxy model from the host
// the command runs on, so node01 and master01 see different client IPs exactly as in the course.
import { curlHeaders } from "./curl-headers.ts";
import type { CmdResult, CommandFn, ShellCtx } from "./context.ts";
import { fail, ok, podHost, requestSource, hostName, resolvePath } from "./context.ts";
import type { RequestResult } from "../types.ts";
import { readHostFile, writeHostFile } from "./fs.ts";
import { rfc1123z } from "../printers/duration.ts";
import { ClientError, KubeError } from "../errors.ts";
import { isIPv4 } from "../ipnet.ts";
import { CLUSTER_DNS_IP, NODE_RESOLVER_IP } from "../network/dns.ts";

function httpDate(ctx: ShellCtx): string {
  // Go/Werkzeug style `Sun, 05 Dec 2021 17:05:13 GMT`
  return rfc1123z(ctx.c.now()).replace("+0000", "GMT");
}

interface Url {
  host: string;
  port: number;
  path: string;
  scheme: string;
}

export function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]*)(?::(\d*))?([/?#].*)?$/.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? "http").toLowerCase();
  const host = m[2];
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 443 : 80;
  let path = m[4] ?? "/";
  if (path.startsWith("?")) path = "/" + path;
  path = path.split("#")[0];
  return { host, port, path, scheme };
}

function protoLine(r: RequestResult): string {
  const server = r.headers?.Server ?? r.headers?.server ?? "";
  return `${server.includes("Werkzeug") ? "HTTP/1.0" : "HTTP/1.1"} ${r.status} ${r.statusText ?? ""}`;
}

function headerBlock(ctx: ShellCtx, r: RequestResult): string[] {
  const lines = [protoLine(r)];
  for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push(`Date: ${httpDate(ctx)}`);
  return lines;
}

/**
 * What curl says when a request fails. The nodes' curl is CentOS 7's 7.29 (`Failed connect to HOST:PORT; …`, the host
 * as typed; a name it cannot resolve gets the resolver's words); the pods' images carry a newer curl (`Failed to connect
 * to IP port PORT: …`). A connection nobody answers fails when the kernel gives up (exit 7), or at -m/--connect-timeout
 * (exit 28).
 */
function curlError(r: RequestResult, url: Url, opts: { legacy: boolean; timeoutSeconds?: number }): { code: number; text: string } {
  const e = r.error!;
  const ip = r.dest?.ip ?? url.host;
  const failed = (why: string) => (opts.legacy ? `curl: (7) Failed connect to ${url.host}:${url.port}; ${why}` : `curl: (7) Failed to connect to ${ip} port ${url.port}: ${why}`);
  switch (e.code) {
    case "resolve":
      return { code: 6, text: `curl: (6) ${e.message}${opts.legacy ? "; Name or service not known" : ""}` };
    case "timeout":
      if (opts.timeoutSeconds !== undefined) return { code: 28, text: `curl: (28) Connection timed out after ${Math.round(opts.timeoutSeconds * 1000) + 1} milliseconds` };
      return { code: 7, text: failed("Connection timed out") };
    case "unreachable":
      return { code: 7, text: failed("No route to host") };
    default:
      return { code: 7, text: opts.legacy ? failed("Connection refused") : `curl: (7) ${e.message}` };
  }
}

const CURL_USAGE = "curl: try 'curl --help' or 'curl --manual' for more information";

const curl: CommandFn = (ctx, argv) => {
  let method: string | undefined;
  const data: string[] = [];
  const custom: string[] = [];
  let userAgent = "curl/7.29.0";
  let timeoutSeconds: number | undefined;
  let silent = false, showErr = false, head = false, include = false, verbose = false, failFlag = false;
  let output: string | undefined;
  let writeOut: string | undefined;
  const urls: string[] = [];
  const args = argv.slice(1);
  const needs = (opt: string, i: number): string | undefined => (i + 1 < args.length ? args[i + 1] : undefined);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--")) {
      const [name, inline] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
      const val = () => {
        if (inline !== undefined) return inline;
        const v = needs(name, i);
        if (v === undefined) return undefined;
        i++;
        return v;
      };
      switch (name) {
        case "--request": { const v = val(); if (v === undefined) return fail(`curl: option ${name}: requires parameter\n${CURL_USAGE}`, 2); method = v; break; }
        case "--data": case "--data-raw": case "--data-binary": case "--data-urlencode": { const v = val(); if (v === undefined) return fail(`curl: option ${name}: requires parameter\n${CURL_USAGE}`, 2); data.push(v); break; }
        case "--header": { const v = val(); if (v === undefined) return fail(`curl: option ${name}: requires parameter\n${CURL_USAGE}`, 2); custom.push(v); break; }
        case "--silent": silent = true; break;
        case "--show-error": showErr = true; break;
        case "--head": head = true; break;
        case "--include": include = true; break;
        case "--verbose": verbose = true; break;
        case "--fail": failFlag = true; break;
        case "--output": output = val(); break;
        case "--write-out": writeOut = val(); break;
        case "--max-time": case "--connect-timeout": case "--retry": case "--user-agent": {
          const v = val();
          if (name === "--user-agent" && v) userAgent = v;
          if ((name === "--max-time" || name === "--connect-timeout") && v !== undefined && Number.isFinite(Number(v))) timeoutSeconds = Number(v);
          break;
        }
        case "--location": case "--insecure": case "--compressed": case "--no-keepalive": case "--http1.1": case "--http1.0": break;
        case "--url": { const v = val(); if (v) urls.push(v); break; }
        default:
          return fail(`curl: option ${a}: is unknown\n${CURL_USAGE}`, 2);
      }
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      let j = 1;
      while (j < a.length) {
        const ch = a[j];
        const rest = a.slice(j + 1);
        const takeVal = (): string | undefined => {
          if (rest) {
            j = a.length;
            return rest;
          }
          j = a.length;
          const v = needs(ch, i);
          if (v !== undefined) i++;
          return v;
        };
        switch (ch) {
          case "X": { const v = takeVal(); if (v === undefined) return fail(`curl: option -X: requires parameter\n${CURL_USAGE}`, 2); method = v; continue; }
          case "d": { const v = takeVal(); if (v === undefined) return fail(`curl: option -d: requires parameter\n${CURL_USAGE}`, 2); data.push(v); continue; }
          case "H": { const v = takeVal(); if (v === undefined) return fail(`curl: option -H: requires parameter\n${CURL_USAGE}`, 2); custom.push(v); continue; }
          case "o": output = takeVal(); continue;
          case "w": writeOut = takeVal(); continue;
          case "m": case "A": case "u": case "e": {
            const v = takeVal();
            if (ch === "A" && v) userAgent = v;
            if (ch === "m" && v !== undefined && Number.isFinite(Number(v))) timeoutSeconds = Number(v);
            continue;
          }
          case "s": silent = true; break;
          case "S": showErr = true; break;
          case "I": head = true; break;
          case "i": include = true; break;
          case "v": verbose = true; break;
          case "f": failFlag = true; break;
          case "L": case "k": case "4": case "6": case "q": break;
          default:
            return fail(`curl: option -${ch}: is unknown\n${CURL_USAGE}`, 2);
        }
        j++;
      }
      continue;
    }
    urls.push(a);
  }
  if (urls.length === 0) return fail(`curl: no URL specified!\n${CURL_USAGE}`, 2);
  let stdout = "";
  let stderr = "";
  let code = 0;
  for (const raw of urls) {
    const url = parseUrl(raw);
    if (!url || url.host === "") {
      stderr += `curl: (3) <url> malformed\n`;
      code = 3;
      continue;
    }
    if (url.scheme !== "http" && url.scheme !== "https") {
      stderr += `curl: (1) Protocol ${url.scheme} not supported or disabled in libcurl\n`;
      code = 1;
      continue;
    }
    const body = data.length ? data.join("&") : undefined;
    const m = (method ?? (head ? "HEAD" : body !== undefined ? "POST" : "GET")).toUpperCase();
    const sent = curlHeaders({ userAgent, host: url.port === 80 ? url.host : `${url.host}:${url.port}`, custom, body });
    const reqHeaders: Record<string, string> = Object.fromEntries(sent);
    let r: RequestResult;
    try {
      r = ctx.c.request({ from: requestSource(ctx.st.host), host: url.host, port: url.port, path: url.path, method: m, body, headers: reqHeaders });
    } catch (e) {
      if (e instanceof KubeError || e instanceof ClientError) {
        stderr += `curl: (7) ${e.message}\n`;
        code = 7;
        continue;
      }
      throw e;
    }
    if (verbose) {
      stderr += `* About to connect() to ${url.host} port ${url.port} (#0)\n*   Trying ${r.dest?.ip ?? url.host}...\n`;
    }
    if (!r.ok) {
      const e = curlError(r, url, { legacy: !podHost(ctx.st.host), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });
      // 7.29 says the socket's error on a line of its own before its summary
      const why = e.code === 7 && !podHost(ctx.st.host) ? `* ${e.text.slice(e.text.lastIndexOf("; ") + 2)}\n` : "";
      if (verbose) stderr += `${why}* ${e.text.replace(/^curl: \(\d+\) /, "")}\n* Closing connection 0\n`;
      if (!silent || showErr) stderr += e.text + "\n";
      code = e.code;
      continue;
    }
    if (verbose) {
      stderr += `* Connected to ${url.host} (${r.dest.ip}) port ${url.port} (#0)\n`;
      stderr += `> ${m} ${url.path} HTTP/1.1\n`;
      for (const [k, v] of sent) stderr += `> ${k}: ${v}\n`;
      // (curl writes each header line after its "> " / "< ", the blank line that ends them too)
      stderr += "> \n";
      if (body !== undefined) stderr += `* upload completely sent off: ${body.length} out of ${body.length} bytes\n`;
      const lines = headerBlock(ctx, r);
      if (!podHost(ctx.st.host) && lines[0]?.startsWith("HTTP/1.0 ")) stderr += "* HTTP 1.0, assume close after body\n";
      for (const l of lines) stderr += `< ${l}\n`;
      stderr += "< \n";
    }
    if (failFlag && (r.status ?? 0) >= 400) {
      if (!silent || showErr) stderr += `curl: (22) The requested URL returned error: ${r.status} ${r.statusText ?? ""}\n`;
      code = 22;
      continue;
    }
    let out = "";
    if (head || include) out += headerBlock(ctx, r).join("\r\n") + "\r\n\r\n";
    if (!head) out += r.body ?? "";
    if (verbose) stderr += `* Closing connection 0\n`;
    if (output !== undefined && output !== "-") {
      if (output !== "/dev/null") writeHostFile(ctx, resolvePath(ctx.st.cwd, output), out);
      if (!silent) stderr += progressMeter(out.length);
    } else stdout += out;
    if (writeOut !== undefined) stdout += writeOut.replace(/%\{http_code\}/g, String(r.status ?? 0)).replace(/%\{remote_ip\}/g, r.dest.ip).replace(/\\n/g, "\n");
  }
  return { stdout, stderr, code };
};

function progressMeter(n: number): string {
  return `  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100   ${String(n).padStart(3)}  100   ${String(n).padStart(3)}    0     0   ${String(n * 10).padStart(5)}      0 --:--:-- --:--:-- --:--:-- ${String(n * 10).padStart(5)}\n`;
}

// ---- ip ----

function macOf(name: string, dev: string): string {
  let h = 2166136261;
  for (const ch of `${name}/${dev}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  const b = [0x00, 0x0c, 0x29, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
}
function sameNet(a: string, b: string, prefix: number): boolean {
  if (prefix === 0) return true;
  const mask = prefix >= 32 ? 0xffffffff : (~((1 << (32 - prefix)) - 1)) >>> 0;
  return ((ipToInt(a) & mask) >>> 0) === ((ipToInt(b) & mask) >>> 0);
}

function ipAddrShow(ctx: ShellCtx, node: string, v4only: boolean, dev?: string): CmdResult {
  const ifs = ctx.c.hostInterfaces(node);
  const all = [
    ...ifs.map((i) => ({ index: i.index, dev: i.dev as string, mtu: i.mtu, addrs: i.addrs })),
    { index: 3, dev: "docker0", mtu: 1500, addrs: [{ ip: "172.17.0.1", prefix: 16, brd: "172.17.255.255", secondary: false }] },
  ].sort((a, b) => a.index - b.index);
  const list = dev ? all.filter((i) => i.dev === dev) : all;
  if (dev && list.length === 0) return fail(`Device "${dev}" does not exist.`, 1);
  let out = "";
  for (const i of list) {
    const flags =
      i.dev === "lo" ? "<LOOPBACK,UP,LOWER_UP>" : i.dev === "docker0" ? "<NO-CARRIER,BROADCAST,MULTICAST,UP>" : "<BROADCAST,MULTICAST,UP,LOWER_UP>";
    const tail =
      i.dev === "lo"
        ? "qdisc noqueue state UNKNOWN group default qlen 1000"
        : i.dev === "eth0"
          ? "qdisc pfifo_fast state UP group default qlen 1000"
          : i.dev === "flannel.1"
            ? "qdisc noqueue state UNKNOWN group default "
            : i.dev === "docker0"
              ? "qdisc noqueue state DOWN group default "
              : "qdisc noqueue state UP group default qlen 1000";
    out += `${i.index}: ${i.dev}: ${flags} mtu ${i.mtu} ${tail}\n`;
    if (!v4only) out += i.dev === "lo" ? "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" : `    link/ether ${macOf(node, i.dev)} brd ff:ff:ff:ff:ff:ff\n`;
    const primaries: { ip: string; prefix: number }[] = [];
    for (const a of i.addrs) {
      const secondary = primaries.some((p) => p.prefix === a.prefix && sameNet(p.ip, a.ip, a.prefix));
      if (!secondary) primaries.push({ ip: a.ip, prefix: a.prefix });
      const scope = i.dev === "lo" ? "host" : "global";
      const extra = i.dev === "eth0" && !a.secondary ? " noprefixroute" : "";
      out += `    inet ${a.ip}/${a.prefix}${a.brd ? ` brd ${a.brd}` : ""} scope ${scope}${secondary ? " secondary" : ""}${extra} ${i.dev}\n`;
      out += "       valid_lft forever preferred_lft forever\n";
    }
  }
  return ok(out);
}

const IP_USAGE =
  'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { link | address | addrlabel | route | rule | neigh | ntable |\n                   tunnel | tuntap | maddress | mroute | mrule | monitor | xfrm |\n                   netns | l2tp | fou | macsec | tcp_metrics | token | netconf | ila |\n                   vrf }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |\n                    -h[uman-readable] | -iec |\n                    -f[amily] { inet | inet6 | ipx | dnet | mpls | bridge | link } |\n                    -4 | -6 | -I | -D | -B | -0 |\n                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |\n                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |\n                    -rc[vbuf] [size] | -n[etns] name | -a[ll] | -c[olor]}';

function isPrefixOf(word: string, full: string): boolean {
  return word.length > 0 && full.startsWith(word);
}

const ip: CommandFn = (ctx, argv) => {
  const pod = podHost(ctx.st.host);
  let args = argv.slice(1);
  let v4 = false;
  while (args.length && args[0].startsWith("-")) {
    if (args[0] === "-4") v4 = true;
    else if (args[0] !== "-6" && args[0] !== "-o" && args[0] !== "-c" && args[0] !== "-br") return fail(`Option "${args[0]}" is unknown, try "ip -help".`, 255);
    args = args.slice(1);
  }
  if (args.length === 0) return fail(IP_USAGE, 255);
  const obj = args[0];
  if (!(isPrefixOf(obj, "address") || obj === "a")) {
    if (isPrefixOf(obj, "route") || obj === "r") {
      if (pod) return ok("default via 10.244.0.1 dev eth0 \n");
      const me = ctx.c.hosts().find((h) => h.name === ctx.st.host);
      let out = `default via 192.168.0.1 dev eth0 proto static metric 100 \n`;
      for (const h of ctx.c.hosts()) {
        if (h.name === ctx.st.host) out += `${h.podCIDR} dev cni0 proto kernel scope link src ${h.podCIDR.replace(/0\/24$/, "1")} \n`;
        else out += `${h.podCIDR} via ${h.podCIDR.replace(/\/24$/, "")} dev flannel.1 onlink \n`;
      }
      out += `172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 \n`;
      if (me) out += `192.168.0.0/21 dev eth0 proto kernel scope link src ${me.ip} metric 100 \n`;
      return ok(out);
    }
    return fail(`Object "${obj}" is unknown, try "ip help".`, 255);
  }
  const sub = args[1] ?? "show";
  const rest = args.slice(2);
  if (pod) {
    if (sub === "add" || sub === "del") return fail("RTNETLINK answers: Operation not permitted", 2);
    let podIP = "";
    try {
      podIP = (ctx.c.get("Pod", pod.name, pod.namespace) as { status: { podIP?: string } }).status.podIP ?? "";
    } catch {
      /* gone */
    }
    return ok(`1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n3: eth0@if9: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1450 qdisc noqueue state UP \n    inet ${podIP}/24 brd ${podIP.replace(/\.\d+$/, ".255")} scope global eth0\n       valid_lft forever preferred_lft forever\n`);
  }
  const node = ctx.st.host;
  if (isPrefixOf(sub, "show") || isPrefixOf(sub, "list") || sub === "s" || sub === "ls") {
    let dev: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === "dev") dev = rest[++i];
      else dev = rest[i];
    }
    return ipAddrShow(ctx, node, v4, dev);
  }
  if (sub === "add" || sub === "a" || sub === "del" || sub === "delete" || sub === "d") {
    let cidr: string | undefined;
    let dev: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === "dev") dev = rest[++i];
      else if (rest[i] === "brd" || rest[i] === "broadcast" || rest[i] === "label" || rest[i] === "scope") i++;
      else if (cidr === undefined) cidr = rest[i];
    }
    if (!cidr) return fail('Not enough information: "dev" argument is required.', 1);
    if (!dev) return fail('Not enough information: "dev" argument is required.', 1);
    if (!ctx.c.hostInterfaces(node).some((i) => i.dev === dev) && dev !== "docker0") return fail(`Cannot find device "${dev}"`, 1);
    try {
      if (sub.startsWith("d")) ctx.c.delHostIP(node, cidr, dev);
      else ctx.c.addHostIP(node, cidr, dev);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return fail(msg, msg.startsWith("RTNETLINK") ? 2 : 1);
    }
    return ok();
  }
  return fail(`Command "${sub}" is unknown, try "ip address help".`, 255);
};

// ---- DNS tools ----

function dnsServer(ctx: ShellCtx, explicit?: string): string {
  return explicit ?? (podHost(ctx.st.host) ? CLUSTER_DNS_IP : NODE_RESOLVER_IP);
}

/** The server a DNS tool was told to ask (an address, or a name the host resolves), if any. */
function explicitServer(ctx: ShellCtx, given: string | undefined): string | undefined {
  if (given === undefined || isIPv4(given)) return given;
  const r = resolveName(ctx, given);
  return r.found && r.addresses[0] ? r.addresses[0] : given;
}

function resolveName(ctx: ShellCtx, name: string, noSearch = false, server?: string) {
  const pod = podHost(ctx.st.host);
  const n = noSearch && !name.endsWith(".") ? name + "." : name;
  return ctx.c.dnsLookup(n, { ...(pod ? { fromPod: pod.name, namespace: pod.namespace } : {}), ...(server ? { server } : {}) });
}

const NO_SERVERS = ";; connection timed out; no servers could be reached";

function reverseName(ctx: ShellCtx, ip: string, server?: string) {
  const pod = podHost(ctx.st.host);
  return ctx.c.dnsReverse(ip, { ...(pod ? { fromPod: pod.name, namespace: pod.namespace } : {}), ...(server ? { server } : {}) });
}

const nslookup: CommandFn = (ctx, argv) => {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (args.length === 0) return fail("kubelab: interactive nslookup is not available; use nslookup NAME", 1);
  const name = args[0];
  const asked = explicitServer(ctx, args[1]);
  const server = dnsServer(ctx, asked);
  const head = `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
  if (isIPv4(name)) {
    // an address is looked up backwards (its PTR record)
    const p = reverseName(ctx, name, asked);
    if (p.timeout) return { stdout: `${NO_SERVERS}\n\n`, stderr: "", code: 1 };
    if (!p.names.length) return { stdout: `${head}** server can't find ${p.arpa}: NXDOMAIN\n\n`, stderr: "", code: 1 };
    return ok(head + p.names.map((n) => `${p.arpa}\tname = ${n}.\n`).join("") + "\n");
  }
  const r = resolveName(ctx, name, false, asked);
  if (r.timeout) return { stdout: `${NO_SERVERS}\n\n`, stderr: "", code: 1 };
  if (!r.found) return { stdout: `${head}** server can't find ${name}: NXDOMAIN\n\n`, stderr: "", code: 1 };
  let out = head;
  if (r.cname) out += `${r.name}\tcanonical name = ${r.cname}.\n`;
  for (const a of r.addresses) out += `Name:\t${r.cname ?? r.name}\nAddress: ${a}\n`;
  return ok(out + "\n");
};

const hostCmd: CommandFn = (ctx, argv) => {
  const args = argv.slice(1).filter((a) => !a.startsWith("-"));
  if (args.length === 0) return fail("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] hostname [server]", 1);
  const name = args[0];
  const asked = explicitServer(ctx, args[1]);
  // with a server named, host first says which one it asks
  const using = asked ? `Using domain server:\nName: ${args[1]}\nAddress: ${asked}#53\nAliases: \n\n` : "";
  if (isIPv4(name)) {
    const p = reverseName(ctx, name, asked);
    if (p.timeout) return { stdout: `${NO_SERVERS}\n`, stderr: "", code: 1 };
    if (!p.names.length) return { stdout: `${using}Host ${p.arpa}. not found: 3(NXDOMAIN)\n`, stderr: "", code: 1 };
    return ok(using + p.names.map((n) => `${p.arpa} domain name pointer ${n}.\n`).join(""));
  }
  const r = resolveName(ctx, name, false, asked);
  if (r.timeout) return { stdout: `${NO_SERVERS}\n`, stderr: "", code: 1 };
  if (!r.found) return { stdout: `${using}Host ${name} not found: 3(NXDOMAIN)\n`, stderr: "", code: 1 };
  let out = using;
  if (r.cname) out += `${r.name} is an alias for ${r.cname}.\n`;
  for (const a of r.addresses) out += `${r.cname ?? r.name} has address ${a}\n`;
  return ok(out);
};

const dig: CommandFn = (ctx, argv) => {
  const short = argv.includes("+short");
  const search = argv.includes("+search");
  const name = argv.slice(1).find((a) => !a.startsWith("+") && !a.startsWith("-") && !a.startsWith("@") && !/^(A|AAAA|CNAME|SRV|ANY)$/i.test(a));
  if (!name) return ok("");
  const at = argv.slice(1).find((a) => a.startsWith("@"));
  const asked = at ? explicitServer(ctx, at.slice(1)) : undefined;
  const r = resolveName(ctx, name, !search, asked);
  if (r.timeout) return { stdout: short ? `${NO_SERVERS}\n` : `\n; <<>> DiG 9.11.4-P2-RedHat-9.11.4-26.P2.el7_9.7 <<>> ${name}\n;; global options: +cmd\n${NO_SERVERS}\n`, stderr: "", code: 9 };
  const fq = (s: string) => (s.endsWith(".") ? s : s + ".");
  if (short) {
    if (!r.found) return ok("");
    return ok((r.cname ? `${fq(r.cname)}\n` : "") + r.addresses.map((a) => `${a}\n`).join(""));
  }
  const server = dnsServer(ctx, asked);
  const answers: string[] = [];
  if (r.found && r.cname) answers.push(`${fq(r.name)}\t5\tIN\tCNAME\t${fq(r.cname)}`);
  if (r.found) for (const a of r.addresses) answers.push(`${fq(r.cname ?? r.name)}\t5\tIN\tA\t${a}`);
  let out = `\n; <<>> DiG 9.11.4-P2-RedHat-9.11.4-26.P2.el7_9.7 <<>> ${name}\n;; global options: +cmd\n;; Got answer:\n`;
  out += `;; ->>HEADER<<- opcode: QUERY, status: ${r.found ? "NOERROR" : "NXDOMAIN"}, id: 4242\n`;
  out += `;; flags: qr aa rd; QUERY: 1, ANSWER: ${answers.length}, AUTHORITY: 0, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n\n`;
  out += `;; QUESTION SECTION:\n;${fq(name)}\t\t\tIN\tA\n\n`;
  if (answers.length) out += `;; ANSWER SECTION:\n${answers.join("\n")}\n\n`;
  out += `;; Query time: 0 msec\n;; SERVER: ${server}#53(${server})\n;; WHEN: ${rfc1123z(ctx.c.now()).replace(/ \+0000$/, " UTC")}\n;; MSG SIZE  rcvd: ${60 + answers.length * 16}\n\n`;
  return ok(out);
};

// ---- mysql client ----

const mysql: CommandFn = (ctx, argv) => {
  let host = "localhost";
  let port = 3306;
  let user = "root";
  let password: string | undefined;
  let exec: string | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--host") host = args[++i] ?? "";
    else if (a.startsWith("--host=")) host = a.slice(7);
    else if (a.startsWith("-h")) host = a.slice(2);
    else if (a === "-P" || a === "--port") port = Number(args[++i]);
    else if (a.startsWith("-P")) port = Number(a.slice(2));
    else if (a === "-u" || a === "--user") user = args[++i] ?? "";
    else if (a.startsWith("-u")) user = a.slice(2);
    else if (a.startsWith("--password=")) password = a.slice(11);
    else if (a.startsWith("-p")) password = a.slice(2);
    else if (a === "-e" || a === "--execute") exec = args[++i];
    else if (a.startsWith("--execute=")) exec = a.slice(10);
  }
  if (exec === undefined) return fail("kubelab: the interactive mysql prompt is not available; use mysql -h HOST -pPASSWORD -e \"status\"", 1);
  if (host === "localhost" || host === "127.0.0.1") return fail("ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/lib/mysql/mysql.sock' (2)", 1);
  const r = ctx.c.request({ from: requestSource(ctx.st.host), host, port, path: "/", protocol: "TCP" });
  if (!r.ok) {
    if (r.error?.code === "resolve") return fail(`ERROR 2005 (HY000): Unknown MySQL server host '${host}' (2)`, 1);
    return fail(`ERROR 2003 (HY000): Can't connect to MySQL server on '${host}' (${r.error?.code === "timeout" ? 110 : 111})`, 1);
  }
  const served = r.servedBy;
  const ext = served?.kind === "external" ? ctx.c.state.topo.externalHosts.find((h) => h.name === served.name) : undefined;
  const isMysql = ext ? /mysql|mariadb/.test(ext.image) : /^5\.7/.test(r.body ?? "");
  if (!isMysql) return fail(`ERROR 2013 (HY000): Lost connection to MySQL server at 'reading initial communication packet', system error: 0`, 1);
  const client = r.clientIP ?? "";
  const expected = ext?.password;
  if (expected !== undefined && password !== expected) {
    return fail(`ERROR 1045 (28000): Access denied for user '${user}'@'${client}' (using password: ${password ? "YES" : "NO"})`, 1);
  }
  const q = exec.trim().replace(/;$/, "").trim();
  if (/^status$/i.test(q) || q === "\\s") {
    const uptime = Math.max(0, ctx.c.nowSeconds() - (ctx.c.nowSeconds() % 86400) + 3600);
    void uptime;
    return ok(
      "--------------\n" +
        "mysql  Ver 15.1 Distrib 5.5.68-MariaDB, for Linux (x86_64) using readline 5.1\n\n" +
        "Connection id:\t\t12\n" +
        "Current database:\t\n" +
        `Current user:\t\t${user}@${client}\n` +
        "SSL:\t\t\tNot in use\n" +
        "Current pager:\t\tstdout\n" +
        "Using outfile:\t\t''\n" +
        "Using delimiter:\t;\n" +
        "Server:\t\t\tMySQL\n" +
        "Server version:\t\t5.7.36 MySQL Community Server (GPL)\n" +
        "Protocol version:\t10\n" +
        `Connection:\t\t${host} via TCP/IP\n` +
        "Server characterset:\tlatin1\n" +
        "Db     characterset:\tlatin1\n" +
        "Client characterset:\tutf8\n" +
        "Conn.  characterset:\tutf8\n" +
        `TCP port:\t\t${port}\n` +
        "Uptime:\t\t\t10 days 1 hour 2 min 3 sec\n\n" +
        "Threads: 1  Questions: 12  Slow queries: 0  Opens: 105  Flush tables: 1  Open tables: 98  Queries per second avg: 0.000\n" +
        "--------------\n\n",
    );
  }
  if (/^select\s+version\(\)$/i.test(q)) return ok("version()\n5.7.36\n");
  if (/^select\s+user\(\)$/i.test(q)) return ok(`user()\n${user}@${client}\n`);
  if (/^show\s+databases$/i.test(q)) return ok("Database\ninformation_schema\nmysql\nperformance_schema\nsys\n");
  if (/^select\s+@@hostname$/i.test(q)) return ok(`@@hostname\n${served?.name ?? host}\n`);
  return fail(`ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${q.slice(0, 80)}' at line 1`, 1);
};

const wget: CommandFn = (ctx, argv) => {
  const qo = argv.includes("-O-") || argv.includes("-qO-") || (argv.includes("-O") && argv[argv.indexOf("-O") + 1] === "-");
  const url = argv.slice(1).filter((a) => !a.startsWith("-") && a !== "-").pop();
  if (!url) return fail("wget: missing URL\nUsage: wget [OPTION]... [URL]...", 1);
  const u = parseUrl(url);
  if (!u) return fail(`wget: bad address '${url}'`, 1);
  const r = ctx.c.request({ from: requestSource(ctx.st.host), host: u.host, port: u.port, path: u.path });
  if (!r.ok) {
    if (r.error?.code === "resolve") return fail(`wget: bad address '${u.host}'`, 1);
    return fail(`wget: can't connect to remote host (${r.dest?.ip ?? u.host}): ${r.error?.code === "timeout" ? "Connection timed out" : "Connection refused"}`, 1);
  }
  if (qo) return ok(r.body ?? "");
  writeHostFile(ctx, resolvePath(ctx.st.cwd, "index.html"), r.body ?? "");
  return ok("", `Connecting to ${u.host}${u.port !== 80 ? ":" + u.port : ""} (${r.dest.ip}:${u.port})\nsaving to 'index.html'\nindex.html           100% |********************************|   ${(r.body ?? "").length}  0:00:00 ETA\n'index.html' saved\n`);
};

void readHostFile;
void hostName;

export const NET_COMMANDS: Record<string, CommandFn> = { curl, ip, nslookup, host: hostCmd, dig, mysql, wget };

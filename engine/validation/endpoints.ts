// Endpoints validation as the v1.19 apiserver runs it (ValidateEndpoints / validateEndpointSubsets /
// validateEndpointAddress / validateEndpointPort / validateNonSpecialIP in pkg/apis/core/validation/validation.go).
// An address must be a real pod-reachable IP: not unspecified, loopback or link-local.

import type { FieldError } from "../errors.ts";
import { isValidIP, isValidIPv4, isValidIPv6, isValidPortNum } from "./names.ts";
import {
  arr,
  dns1123LabelField,
  invalidEach,
  invalidField,
  nameIsDNSSubdomain,
  notSupported,
  q,
  rec,
  required,
  str,
  int,
  typeErrors,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from "./fielderrors.ts";
import { isQualifiedName } from "./names.ts";

const SUPPORTED_PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"];

// ---- IP bytes (Go net.IP semantics for the special-range checks) ----

function parseIPv4Bytes(s: string): number[] | undefined {
  if (!isValidIPv4(s)) return undefined;
  return s.split(".").map(Number);
}

/** 16 bytes of an IPv6 address (with an optional trailing dotted IPv4), or undefined. */
function parseIPv6Bytes(s: string): number[] | undefined {
  if (!isValidIPv6(s)) return undefined;
  let tail: number[] = [];
  let text = s;
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    tail = parseIPv4Bytes(s.slice(lastColon + 1)) ?? [];
    text = s.slice(0, lastColon + 1) + "0:0";
  }
  const [headText, rest] = text.includes("::") ? text.split("::") : [text, undefined];
  const groups = (t: string) => (t === "" ? [] : t.split(":").map((g) => parseInt(g, 16)));
  const head = groups(headText);
  const back = rest === undefined ? [] : groups(rest);
  const fill = 8 - head.length - back.length;
  const all = [...head, ...new Array(rest === undefined ? 0 : fill).fill(0), ...back];
  const bytes: number[] = [];
  for (const g of all) bytes.push((g >> 8) & 0xff, g & 0xff);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Go's net.ParseIP To16 form (IPv4 as ::ffff:a.b.c.d), or undefined. */
export function parseIPBytes(s: string): number[] | undefined {
  const v4 = parseIPv4Bytes(s);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  return parseIPv6Bytes(s);
}

function v4Of(b: number[]): number[] | undefined {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return undefined;
  return b[10] === 0xff && b[11] === 0xff ? b.slice(12) : undefined;
}

/** validateNonSpecialIP: no unspecified, loopback, link-local unicast or link-local multicast addresses. */
export function validateNonSpecialIP(ip: string, field: string): FieldError[] {
  const b = parseIPBytes(ip);
  if (!b) return [invalidField(field, q(ip), "must be a valid IP address")];
  const errs: FieldError[] = [];
  const v4 = v4Of(b);
  const unspecified = v4 ? v4.every((x) => x === 0) : b.every((x) => x === 0);
  const loopback = v4 ? v4[0] === 127 : b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
  const linkLocalUnicast = v4 ? v4[0] === 169 && v4[1] === 254 : b[0] === 0xfe && (b[1] & 0xc0) === 0x80;
  const linkLocalMulticast = v4 ? v4[0] === 224 && v4[1] === 0 && v4[2] === 0 : b[0] === 0xff && (b[1] & 0x0f) === 0x02;
  if (unspecified) errs.push(invalidField(field, q(ip), "may not be unspecified (0.0.0.0)"));
  if (loopback) errs.push(invalidField(field, q(ip), "may not be in the loopback range (127.0.0.0/8)"));
  if (linkLocalUnicast) errs.push(invalidField(field, q(ip), "may not be in the link-local range (169.254.0.0/16)"));
  if (linkLocalMulticast) errs.push(invalidField(field, q(ip), "may not be in the link-local multicast range (224.0.0.0/24)"));
  return errs;
}

// ---- Endpoints ----

function validateEndpointAddress(address: unknown, path: string): FieldError[] {
  const a = rec(address);
  const ip = str(a.ip);
  const errs = invalidEach(`${path}.ip`, q(ip), isValidIP(ip));
  const hostname = str(a.hostname);
  if (hostname.length > 0) errs.push(...dns1123LabelField(hostname, `${path}.hostname`));
  if (a.nodeName !== undefined && a.nodeName !== null) {
    const node = str(a.nodeName);
    errs.push(...invalidEach(`${path}.nodeName`, q(node), nameIsDNSSubdomain(node, false)));
  }
  errs.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errs;
}

function validateEndpointPort(port: unknown, requireName: boolean, path: string): FieldError[] {
  const p = rec(port);
  const errs: FieldError[] = [];
  const name = str(p.name);
  if (requireName && name.length === 0) errs.push(required(`${path}.name`));
  else if (name.length !== 0) errs.push(...dns1123LabelField(name, `${path}.name`));
  const n = int(p.port);
  errs.push(...invalidEach(`${path}.port`, String(n), isValidPortNum(n)));
  const protocol = str(p.protocol);
  if (protocol.length === 0) errs.push(required(`${path}.protocol`));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, q(protocol), SUPPORTED_PORT_PROTOCOLS));
  if (p.appProtocol !== undefined && p.appProtocol !== null) {
    const app = str(p.appProtocol);
    errs.push(...invalidEach(`${path}.appProtocol`, q(app), isQualifiedName(app)));
  }
  return errs;
}

/** validateEndpointSubsets. */
export function validateEndpointSubsets(subsets: unknown, path = "subsets"): FieldError[] {
  const errs: FieldError[] = [];
  arr(subsets).forEach((raw, i) => {
    const ss = rec(raw);
    const idx = `${path}[${i}]`;
    const addresses = arr(ss.addresses);
    const notReady = arr(ss.notReadyAddresses);
    const ports = arr(ss.ports);
    if (addresses.length === 0 && notReady.length === 0) errs.push(required(idx, "must specify `addresses` or `notReadyAddresses`"));
    addresses.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${idx}.addresses[${j}]`)));
    notReady.forEach((a, j) => errs.push(...validateEndpointAddress(a, `${idx}.notReadyAddresses[${j}]`)));
    ports.forEach((p, j) => errs.push(...validateEndpointPort(p, ports.length > 1, `${idx}.ports[${j}]`)));
  });
  return errs;
}

/** ValidateEndpoints (create): type check, metadata (DNS-1123 subdomain name), subsets. */
export function validateEndpoints(ep: unknown): FieldError[] {
  const typeErrs = typeErrors(ep, "Endpoints");
  if (typeErrs.length) return typeErrs;
  const e = rec(ep);
  return [...validateObjectMeta(e.metadata, { nameFn: nameIsDNSSubdomain }), ...validateEndpointSubsets(e.subsets)];
}

/** ValidateEndpointsUpdate: metadata update rules, then the subsets. */
export function validateEndpointsUpdate(ep: unknown, old: unknown): FieldError[] {
  const typeErrs = typeErrors(ep, "Endpoints");
  if (typeErrs.length) return typeErrs;
  const e = rec(ep);
  return [...validateObjectMetaUpdate(e.metadata, rec(old).metadata), ...validateEndpointSubsets(e.subsets)];
}


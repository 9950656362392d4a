// IPv4 arithmetic for the simulated networks (pod CIDRs, the Service CIDR, node subnets).
import { memoize } from "./memo.ts";

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p, i) => p > 255 || (m[i + 1].length > 1 && m[i + 1].startsWith("0")))) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export interface Cidr {
  base: number; // network address
  bits: number;
  size: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, b] = text.split("/");
  const n = ipToInt(ip);
  const bits = Number(b);
  if (n === undefined || !/^\d{1,2}$/.test(b ?? "") || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  const base = bits === 0 ? 0 : (n - (n % size)) >>> 0;
  return { base, bits, size };
}

export function cidrContains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}

export function cidrAddr(c: Cidr, offset: number): string {
  return intToIp(c.base + offset);
}

/** Broadcast address of the subnet (`brd` in `ip addr`). */
export function broadcast(c: Cidr): string {
  return intToIp(c.base + c.size - 1);
}

/** Whether the text is a dotted-quad IPv4 address (memoised: every routed request asks about its host). */
export const isIPv4: (text: string) => boolean = memoize((text: string) => ipToInt(text) !== undefined, 10_000);

// kube-proxy's iptables chain names, as v1.19 writes them (pkg/proxy/iptables/proxier.go portProtoHash,
// servicePortEndpointChainName): the prefix and the first 16 characters of the base32 (RFC 4648) encoding of the
// SHA-256 of "<namespace>/<name>:<port name>" + the lower-case protocol (+ "<ip>:<port>" for an endpoint's
// KUBE-SEP). So default/kubernetes's https port is KUBE-SVC-NPX46M4PTMTKRN6Y, as on every kubeadm cluster.

const K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

function utf8(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 (FIPS 180-4) of the UTF-8 bytes of `text`. */
export function sha256(text: string): Uint8Array {
  const bytes = utf8(text);
  const bits = bytes.length * 8;
  bytes.push(0x80);
  while (bytes.length % 64 !== 56) bytes.push(0);
  // Names are short: the bit length fits in the low 32 bits.
  bytes.push(0, 0, 0, 0, (bits >>> 24) & 255, (bits >>> 16) & 255, (bits >>> 8) & 255, bits & 255);
  const h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  const w = new Array<number>(64);
  for (let off = 0; off < bytes.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = ((bytes[off + 4 * i] << 24) | (bytes[off + 4 * i + 1] << 16) | (bytes[off + 4 * i + 2] << 8) | bytes[off + 4 * i + 3]) >>> 0;
    for (let i = 16; i < 64; i++) {
      const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
      const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    const v = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = (h[i] + v[i]) >>> 0;
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = (h[i >> 2] >>> (24 - 8 * (i & 3))) & 255;
  return out;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The first `n` characters of the standard base32 encoding of `data`, without its `=` padding. */
export function base32Prefix(data: Uint8Array, n: number): string {
  let out = "";
  let acc = 0;
  let have = 0;
  for (let i = 0; i < data.length && out.length < n; i++) {
    acc = ((acc << 8) | data[i]) & 0xffff;
    have += 8;
    while (have >= 5 && out.length < n) {
      have -= 5;
      out += BASE32[(acc >>> have) & 31];
    }
  }
  // The last bits of the data, zero-filled to a group of five (the "=" padding after them is never part of a name).
  if (have > 0 && out.length < n) out += BASE32[(acc << (5 - have)) & 31];
  return out;
}

/**
 * `KUBE-SVC-…`, `KUBE-XLB-…`, `KUBE-FW-…` for a service port (`servicePort` = "<ns>/<name>:<port name>"), or
 * `KUBE-SEP-…` with `endpoint` ("<ip>:<port>"). Not memoised here: a string-keyed module cache would outlive the
 * mutants of a mutation run (vitest.mutants.config.ts runs the engine unisolated); callers cache per object.
 */
export function chainName(prefix: "KUBE-SVC" | "KUBE-XLB" | "KUBE-FW" | "KUBE-SEP", servicePort: string, protocol: string, endpoint = ""): string {
  return `${prefix}-${base32Prefix(sha256(`${servicePort}${protocol.toLowerCase()}${endpoint}`), 16)}`;
}

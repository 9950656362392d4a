// base64 (GNU coreutils): encode with 76-column lines (-w N, -w 0 for one line), -d/--decode, -i to skip garbage.
// Text in the engine is JavaScript strings; they are encoded as UTF-8 bytes, as a terminal would.
import type { CommandFn } from "../context.ts";
import { inputs } from "./common.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function utf8(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

export function encodeBase64(bytes: number[]): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63] + (b === undefined ? "=" : ALPHABET[(n >> 6) & 63]) + (c === undefined ? "=" : ALPHABET[n & 63]);
  }
  return out;
}

/**
 * GNU base64 -d: four characters at a time (line ends skipped), `=` only at the end of a group (`YQ==YQ==` is two
 * groups); the first character outside the alphabet (without -i), a misplaced `=` or a group left unfinished at the
 * end stops it with what was decoded so far, and `bad` set.
 */
export function decodeBase64(text: string, ignoreGarbage: boolean): { bytes: number[]; bad: boolean } {
  const bytes: number[] = [];
  let quad: string[] = [];
  const flush = (q: string[]): boolean => {
    // a group: two characters at least, `=` only at its end (one or two); true when it was complete and valid
    const pads = q.indexOf("=");
    const data = pads < 0 ? q : q.slice(0, pads);
    if (data.length < 2 || q.slice(data.length).some((c) => c !== "=")) {
      if (data.length >= 2) push(data);
      return false;
    }
    push(data);
    return q.length === 4;
  };
  const push = (data: string[]) => {
    const n = data.reduce((acc, c, i) => acc | (ALPHABET.indexOf(c) << (18 - 6 * i)), 0);
    bytes.push((n >> 16) & 255);
    if (data.length > 2) bytes.push((n >> 8) & 255);
    if (data.length > 3) bytes.push(n & 255);
  };
  for (const ch of text) {
    if (ch === "\n") continue;
    if (ch !== "=" && !ALPHABET.includes(ch)) {
      if (ignoreGarbage) continue;
      flush(quad);
      return { bytes, bad: true };
    }
    if (ch !== "=" && quad.includes("=")) {
      // data after padding inside one group
      flush(quad);
      return { bytes, bad: true };
    }
    quad.push(ch);
    if (quad.length === 4) {
      if (!flush(quad)) return { bytes, bad: true };
      quad = [];
    }
  }
  if (quad.length) {
    flush(quad);
    return { bytes, bad: true };
  }
  return { bytes, bad: false };
}

export const base64: CommandFn = (ctx, argv, io) => {
  let decode = false;
  let ignore = false;
  let wrap = 76;
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-d" || a === "--decode" || a === "-D") decode = true;
    else if (a === "-i" || a === "--ignore-garbage") ignore = true;
    else if (a === "-w" || a === "--wrap") wrap = Number(args[++i]);
    else if (/^-w\d+$/.test(a)) wrap = Number(a.slice(2));
    else if (a.startsWith("--wrap=")) wrap = Number(a.slice(7));
    else if (/^-[di]+$/.test(a)) {
      decode ||= a.includes("d");
      ignore ||= a.includes("i");
    } else if (a.startsWith("-") && a !== "-") return { stdout: "", stderr: `base64: invalid option -- '${a.replace(/^-+/, "")}'\nTry 'base64 --help' for more information.\n`, code: 1 };
    else files.push(a);
  }
  if (!Number.isInteger(wrap) || wrap < 0) return { stdout: "", stderr: `base64: invalid wrap size: '${args[args.indexOf("-w") + 1] ?? wrap}'\n`, code: 1 };
  if (files.length > 1) return { stdout: "", stderr: `base64: extra operand '${files[1]}'\nTry 'base64 --help' for more information.\n`, code: 1 };
  const r = inputs(ctx, "base64", files, io);
  if (r.bad) return { stdout: "", stderr: r.err, code: 1 };
  if (decode) {
    const d = decodeBase64(r.text, ignore);
    const text = new TextDecoder().decode(new Uint8Array(d.bytes));
    return { stdout: text, stderr: d.bad ? "base64: invalid input\n" : "", code: d.bad ? 1 : 0 };
  }
  const enc = encodeBase64(utf8(r.text));
  if (enc === "") return { stdout: "", stderr: "", code: 0 };
  const wrapped = wrap === 0 ? enc : enc.match(new RegExp(`.{1,${wrap}}`, "g"))!.join("\n");
  // -w 0 writes one line without a line end, as GNU's does
  return { stdout: wrap === 0 ? wrapped : wrapped + "\n", stderr: "", code: 0 };
};

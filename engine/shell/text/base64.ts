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

export function decodeBase64(text: string, ignoreGarbage: boolean): { bytes: number[]; bad: boolean } {
  const bytes: number[] = [];
  let buf = 0;
  let bits = 0;
  let bad = false;
  let pad = false;
  for (const ch of text) {
    if (ch === "\n") continue;
    if (ch === "=") {
      pad = true;
      continue;
    }
    const v = ALPHABET.indexOf(ch);
    if (v < 0 || pad) {
      if (ignoreGarbage && v < 0) continue;
      bad = true;
      break;
    }
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buf >> bits) & 255);
    }
  }
  if (!bad && bits >= 6) bad = true;
  return { bytes, bad };
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
  return { stdout: wrapped + "\n", stderr: "", code: 0 };
};

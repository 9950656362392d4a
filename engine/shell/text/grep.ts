// grep with its POSIX (BRE/ERE) to JavaScript regex translation, as GNU grep 2.20 on CentOS 7.
import type { CommandFn } from "../context.ts";
import { fail } from "../context.ts";
import { inputs, lines, unlines } from "./common.ts";

// ---- grep ----

const POSIX_CLASSES: Record<string, string> = {
  alpha: "A-Za-z",
  digit: "0-9",
  alnum: "A-Za-z0-9",
  upper: "A-Z",
  lower: "a-z",
  space: " \\t\\n\\r\\f\\v",
  blank: " \\t",
  punct: "!-\\/:-@\\[-`{-~",
  xdigit: "0-9A-Fa-f",
};

/** Translate a POSIX basic/extended regular expression to a JavaScript one. */
export function posixToJs(re: string, extended: boolean): string {
  let out = "";
  let i = 0;
  while (i < re.length) {
    const c = re[i];
    if (c === "[") {
      // bracket expression: copy through, translating [:class:]
      let j = i + 1;
      let cls = "[";
      if (re[j] === "^") {
        cls += "^";
        j++;
      }
      if (re[j] === "]") {
        cls += "\\]";
        j++;
      }
      while (j < re.length && re[j] !== "]") {
        const m = /^\[:([a-z]+):\]/.exec(re.slice(j));
        if (m) {
          cls += POSIX_CLASSES[m[1]] ?? "";
          j += m[0].length;
          continue;
        }
        if (re[j] === "\\") cls += "\\\\";
        else cls += re[j];
        j++;
      }
      out += cls + "]";
      i = j + 1;
      continue;
    }
    if (c === "\\") {
      const n = re[i + 1] ?? "";
      if (!extended && "|(){}+?".includes(n)) out += n;
      else if (n === "<" || n === ">") out += "\\b";
      else out += "\\" + n;
      i += 2;
      continue;
    }
    if (!extended && "|(){}+?".includes(c)) {
      out += "\\" + c;
      i++;
      continue;
    }
    if (c === "/") {
      out += "\\/";
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export const grep: CommandFn = (ctx, argv, io) => {
  let invert = false,
    icase = false,
    extended = argv[0] === "egrep",
    fixed = argv[0] === "fgrep",
    count = false,
    number = false,
    only = false,
    quiet = false,
    word = false,
    filesWithMatches = false;
  const patterns: string[] = [];
  const files: string[] = [];
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === "-e" || a === "--regexp") {
      if (i + 1 >= args.length) return fail("grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.", 2);
      patterns.push(args[++i]);
      continue;
    }
    if (a.startsWith("--")) {
      const long: Record<string, () => void> = {
        "--invert-match": () => (invert = true),
        "--ignore-case": () => (icase = true),
        "--extended-regexp": () => (extended = true),
        "--fixed-strings": () => (fixed = true),
        "--count": () => (count = true),
        "--line-number": () => (number = true),
        "--only-matching": () => (only = true),
        "--quiet": () => (quiet = true),
        "--silent": () => (quiet = true),
        "--word-regexp": () => (word = true),
        "--color": () => {},
        "--color=auto": () => {},
        "--color=never": () => {},
        "--color=always": () => {},
      };
      const f = long[a];
      if (!f) return fail(`grep: unrecognized option '${a}'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.`, 2);
      f();
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      for (const ch of a.slice(1)) {
        switch (ch) {
          case "v": invert = true; break;
          case "i": icase = true; break;
          case "E": extended = true; break;
          case "F": fixed = true; break;
          case "G": extended = false; break;
          case "c": count = true; break;
          case "n": number = true; break;
          case "o": only = true; break;
          case "q": quiet = true; break;
          case "w": word = true; break;
          case "l": filesWithMatches = true; break;
          case "s": case "h": case "H": break;
          default:
            return fail(`grep: invalid option -- '${ch}'\nUsage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.`, 2);
        }
      }
      continue;
    }
    if (patterns.length === 0 && !args.slice(0, i).some((x) => x === "-e")) patterns.push(a);
    else files.push(a);
  }
  if (patterns.length === 0) return fail("Usage: grep [OPTION]... PATTERN [FILE]...\nTry 'grep --help' for more information.", 2);
  let res: RegExp[];
  try {
    res = patterns.map((p) => {
      let src = fixed ? p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") : posixToJs(p, extended);
      if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
      return new RegExp(src, icase ? "gi" : "g");
    });
  } catch {
    return fail(extended ? "grep: Unmatched ( or \\(" : "grep: Unmatched [ or [^", 2);
  }
  const r = inputs(ctx, "grep", files, io);
  const out: string[] = [];
  let matches = 0;
  const multi = files.length > 1;
  const ls = lines(r.text);
  ls.forEach((line, idx) => {
    const hit = res.some((re) => {
      re.lastIndex = 0;
      return re.test(line);
    });
    if (hit === invert) return;
    matches++;
    if (only && !invert) {
      for (const re of res) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) if (m[0]) out.push((number ? `${idx + 1}:` : "") + m[0]);
      }
      return;
    }
    out.push((multi ? "(standard input):" : "") + (number ? `${idx + 1}:` : "") + line);
  });
  const code = r.bad && matches === 0 ? 2 : matches > 0 ? 0 : 1;
  if (quiet) return { stdout: "", stderr: r.err, code };
  if (filesWithMatches) return { stdout: matches ? "(standard input)\n" : "", stderr: r.err, code };
  if (count) return { stdout: `${matches}\n`, stderr: r.err, code };
  return { stdout: unlines(out), stderr: r.err, code };
};


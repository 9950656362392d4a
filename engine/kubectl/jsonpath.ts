// A small JSONPath for `-o jsonpath='{…}'`: literal text with `{.a.b}`, `{.items[0].x}`, `{.items[*].x}`,
// `{range .items[*]}…{end}`, and `{"\n"}`. Values print as kubectl does (strings bare, lists space-separated,
// objects as JSON).

import { goJsonCompact } from "../printers/gojson.ts";
import { ClientError } from "../errors.ts";

type V = unknown;

function fmt(v: V): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  // client-go jsonpath PrintResults: maps and lists through json.Marshal (sorted keys, Go escaping).
  return goJsonCompact(v);
}

function evalPath(path: string, root: V, cur: V): V[] {
  let p = path.trim();
  let vals: V[] = [p.startsWith("$") ? root : cur];
  if (p.startsWith("$")) p = p.slice(1);
  // a field runs to the next terminator (client-go's parser: space . , [ ] $ @ { }), a backslash escaping one (`labels.app\.kubernetes\.io/name`)
  const re = /\.((?:[^\s.,[\]$@{}\\]|\\.)+|\*)|\[(\*|-?\d+|'[^']*'|"[^"]*"|\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\))\]|\.\.([A-Za-z0-9_-]+)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  if (p === "" || p === ".") return vals;
  while (re.lastIndex < p.length && (m = re.exec(p))) {
    const next: V[] = [];
    for (const v of vals) {
      if (m[1] !== undefined) {
        const field = m[1].replace(/\\(.)/g, "$1");
        if (m[1] === "*") {
          if (v && typeof v === "object") next.push(...Object.values(v as object));
        } else if (v && typeof v === "object" && !Array.isArray(v) && field in (v as object)) next.push((v as Record<string, V>)[field]);
      } else if (m[2] !== undefined) {
        if (m[3] !== undefined) {
          if (Array.isArray(v)) for (const x of v) if (fmt(m[3].split(".").reduce<V>((a, k) => (a && typeof a === "object" ? (a as Record<string, V>)[k] : undefined), x)) === m[4]) next.push(x);
        } else if (m[2] === "*") {
          if (Array.isArray(v)) next.push(...v);
          else if (v && typeof v === "object") next.push(...Object.values(v as object));
        } else if (/^-?\d+$/.test(m[2])) {
          if (Array.isArray(v)) {
            const i = Number(m[2]);
            const x = v[i < 0 ? v.length + i : i];
            if (x === undefined) throw new Error("array index out of bounds: index " + m[2] + ", length " + v.length);
            next.push(x);
          }
        } else {
          const k = m[2].slice(1, -1);
          if (v && typeof v === "object" && k in (v as object)) next.push((v as Record<string, V>)[k]);
        }
      } else if (m[5] !== undefined) {
        const walk = (x: V) => {
          if (!x || typeof x !== "object") return;
          if (!Array.isArray(x) && m![5] in (x as object)) next.push((x as Record<string, V>)[m![5]]);
          for (const y of Object.values(x as object)) walk(y);
        };
        walk(v);
      }
    }
    vals = next;
  }
  if (re.lastIndex < p.length && re.lastIndex !== 0) throw new Error(`unrecognized character in action: ${p.slice(re.lastIndex)}`);
  if (re.lastIndex === 0 && p !== "") throw new Error(`unrecognized identifier ${p}`);
  return vals;
}

export function jsonpath(template: string, root: V): string {
  let t = template.trim();
  if (t.startsWith("'") && t.endsWith("'")) t = t.slice(1, -1);
  if (!t.includes("{")) t = `{${t}}`;
  const tokens: { text?: string; expr?: string }[] = [];
  let i = 0;
  while (i < t.length) {
    const o = t.indexOf("{", i);
    if (o < 0) {
      tokens.push({ text: t.slice(i) });
      break;
    }
    if (o > i) tokens.push({ text: t.slice(i, o) });
    const c = t.indexOf("}", o);
    if (c < 0) throw new Error("unclosed action");
    tokens.push({ expr: t.slice(o + 1, c) });
    i = c + 1;
  }
  const run = (toks: typeof tokens, cur: V): string => {
    let out = "";
    for (let k = 0; k < toks.length; k++) {
      const tk = toks[k];
      if (tk.text !== undefined) {
        out += tk.text;
        continue;
      }
      const e = tk.expr!.trim();
      if (e.startsWith("range ")) {
        let depth = 1;
        let j = k + 1;
        for (; j < toks.length; j++) {
          const x = toks[j].expr?.trim();
          if (x?.startsWith("range ")) depth++;
          if (x === "end" && --depth === 0) break;
        }
        const body = toks.slice(k + 1, j);
        for (const v of evalPath(e.slice(6), root, cur)) out += run(body, v);
        k = j;
        continue;
      }
      if (e === "end") continue;
      if (/^".*"$/.test(e) || /^'.*'$/.test(e)) {
        out += e.slice(1, -1).replace(/\\n/g, "\n").replace(/\\t/g, "\t");
        continue;
      }
      out += evalPath(e, root, cur).map(fmt).join(" ");
    }
    return out;
  };
  return run(tokens, root);
}

/**
 * kubectl's RelaxedJSONPathExpression (custom-columns' paths, --sort-by): `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all
 * become `{.a.b}`; anything with a brace elsewhere is refused with kubectl's words. An empty path stays empty.
 */
export function relaxedJsonpath(path: string): string {
  if (path === "") return path;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!m) throw new ClientError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] || m[2]}}`;
}

/** What one `{…}` path finds in `root` (FindResults with missing keys allowed): none, one or several values. */
export function jsonpathValues(path: string, root: V): V[] {
  if (path === "") return []; // an empty template finds nothing
  const inner = path.startsWith("{") && path.endsWith("}") ? path.slice(1, -1) : path;
  return evalPath(inner, root, root);
}

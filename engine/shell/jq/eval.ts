// Evaluating a jq program: every expression yields a stream (an array here) of values; paths are followed for
// del, path, paths, to_entries-style updates and the assignment operators. Builtins are jq 1.6's everyday ones;
// any other name is a compile error as jq reports it.
import type { Node } from "./parse.ts";
import { JqCompileError } from "./parse.ts";
import { decodeBase64, encodeBase64 } from "../text/base64.ts";

/** Stands for the program's text in compile errors found while running (jq finds them before). */
export const PROGRAM = "\u0000program\u0000";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export class JqRuntimeError extends Error {}
type Env = Record<string, Json>;
type Path = (string | number)[];

const typeOf = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v);
const isObj = (v: Json): v is { [k: string]: Json } => v !== null && typeof v === "object" && !Array.isArray(v);
const truthy = (v: Json) => v !== null && v !== false;

/** jq's error text for a value: `object ({"a":1})`, shortened as jq does. */
function desc(v: Json): string {
  let s = JSON.stringify(v);
  // jq 1.6 dumps into a 15-byte buffer: past 14 characters, the first 11 and "..."
  if (s.length > 14) s = s.slice(0, 11) + "...";
  return `${typeOf(v)} (${s})`;
}

const ORDER = ["null", "boolean", "number", "string", "array", "object"];
export function compare(a: Json, b: Json): number {
  const ta = a === false || a === true ? "boolean" : typeOf(a);
  const tb = b === false || b === true ? "boolean" : typeOf(b);
  if (ta !== tb) return ORDER.indexOf(ta) - ORDER.indexOf(tb);
  if (ta === "boolean") return Number(a) - Number(b);
  if (ta === "number") return (a as number) - (b as number);
  if (ta === "string") return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
  if (ta === "array") {
    const x = a as Json[], y = b as Json[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const c = compare(x[i], y[i]);
      if (c) return c;
    }
    return x.length - y.length;
  }
  const x = a as Record<string, Json>, y = b as Record<string, Json>;
  const kc = compare(Object.keys(x).sort(), Object.keys(y).sort());
  if (kc) return kc;
  for (const k of Object.keys(x).sort()) {
    const c = compare(x[k], y[k]);
    if (c) return c;
  }
  return 0;
}

function index(v: Json, k: Json, opt: boolean): Json[] {
  if (v === null) return [null];
  if (typeof k === "string" && isObj(v)) return [k in v ? v[k] : null];
  if (typeof k === "number" && Array.isArray(v)) {
    const i = Math.floor(k < 0 ? v.length + k : k);
    return [i >= 0 && i < v.length ? v[i] : null];
  }
  if (opt) return [];
  if (typeof k === "string") throw new JqRuntimeError(`Cannot index ${typeOf(v)} with string "${k}"`);
  throw new JqRuntimeError(`Cannot index ${typeOf(v)} with ${typeOf(k)}`);
}

function iterate(v: Json, opt: boolean): Json[] {
  if (Array.isArray(v)) return v;
  if (isObj(v)) return Object.values(v);
  if (opt) return [];
  throw new JqRuntimeError(`Cannot iterate over ${v === null ? "null" : desc(v)}`);
}

function arith(op: string, a: Json, b: Json): Json {
  if (op === "+") {
    if (a === null) return b;
    if (b === null) return a;
    if (typeof a === "number" && typeof b === "number") return a + b;
    if (typeof a === "string" && typeof b === "string") return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    if (isObj(a) && isObj(b)) return { ...a, ...b };
  } else if (op === "-") {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => compare(x, y) === 0));
  } else if (op === "*") {
    if (typeof a === "number" && typeof b === "number") return a * b;
    if (typeof a === "string" && typeof b === "number") return b > 0 ? a.repeat(Math.ceil(b)) : null;
    if (isObj(a) && isObj(b)) return deepMerge(a, b);
  } else if (op === "/") {
    if (typeof a === "number" && typeof b === "number") {
      if (b === 0) throw new JqRuntimeError(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
      return a / b;
    }
    if (typeof a === "string" && typeof b === "string") return a.split(b);
  } else if (op === "%") {
    if (typeof a === "number" && typeof b === "number") {
      if (Math.trunc(b) === 0) throw new JqRuntimeError(`${desc(a)} and ${desc(b)} cannot be divided because the divisor is zero`);
      return Math.trunc(a) % Math.trunc(b);
    }
  }
  const verb = { "+": "added", "-": "subtracted", "*": "multiplied", "/": "divided", "%": "divided" }[op];
  throw new JqRuntimeError(`${desc(a)} and ${desc(b)} cannot be ${verb}`);
}

function deepMerge(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(out[k]) && isObj(v) ? deepMerge(out[k] as Record<string, Json>, v) : v;
  return out;
}

function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

function getPath(v: Json, p: Path): Json {
  let cur: Json = v;
  for (const k of p) {
    if (cur === null) return null;
    cur = index(cur, k, false)[0];
  }
  return cur;
}

function setPath(v: Json, p: Path, value: Json): Json {
  if (!p.length) return value;
  const [k, ...rest] = p;
  if (typeof k === "number") {
    const arr = Array.isArray(v) ? [...v] : v === null ? [] : (() => { throw new JqRuntimeError(`Cannot index ${typeOf(v)} with number`); })();
    const i = k < 0 ? arr.length + k : k;
    while (arr.length < i) arr.push(null);
    arr[i] = setPath(arr[i] ?? null, rest, value);
    return arr;
  }
  const obj = isObj(v) ? { ...v } : v === null ? {} : (() => { throw new JqRuntimeError(`Cannot index ${typeOf(v)} with string "${k}"`); })();
  obj[k] = setPath(obj[k] ?? null, rest, value);
  return obj;
}

function deletePaths(v: Json, paths: Path[]): Json {
  // Longest and last first, so earlier indices stay valid.
  const sorted = [...paths].sort((a, b) => compare(b as Json, a as Json));
  let out = v;
  for (const p of sorted) out = deletePath(out, p);
  return out;
}

function deletePath(v: Json, p: Path): Json {
  if (!p.length) return null;
  const [k, ...rest] = p;
  if (v === null) return null;
  if (rest.length) {
    const child = index(v, k, false)[0];
    if (child === null) return v;
    return setPath(v, [k], deletePath(child, rest));
  }
  if (Array.isArray(v) && typeof k === "number") return v.filter((_, i) => i !== (k < 0 ? v.length + k : k));
  if (isObj(v) && typeof k === "string") {
    const { [k]: _gone, ...restObj } = v;
    return restObj;
  }
  throw new JqRuntimeError(`Cannot delete field at ${typeof k === "number" ? "index" : "object"} of ${typeOf(v)}`);
}

function formatValue(name: string, v: Json): string {
  const str = (x: Json) => (typeof x === "string" ? x : JSON.stringify(x));
  switch (name) {
    case "text":
      return str(v);
    case "json":
      return JSON.stringify(v);
    case "base64":
      return encodeBase64([...new TextEncoder().encode(str(v))]);
    case "base64d": {
      // jq decodes unpadded text too, but refuses a character outside the alphabet
      if (/[^A-Za-z0-9+/=]/.test(str(v))) throw new JqRuntimeError(`${desc(v)} is not valid base64 data`);
      const d = decodeBase64(str(v), true);
      return new TextDecoder().decode(new Uint8Array(d.bytes));
    }
    case "uri":
      return encodeURIComponent(str(v)).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
    case "html":
      return str(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#39;").replace(/"/g, "&quot;");
    case "sh":
      return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === "string" ? `'${x.replace(/'/g, "'\\''")}'` : JSON.stringify(x))).join(" ");
    case "csv":
    case "tsv": {
      if (!Array.isArray(v)) throw new JqRuntimeError(`${desc(v)} cannot be ${name}-formatted, only an array can be`);
      return v
        .map((x) => {
          if (typeof x === "string") return name === "csv" ? `"${x.replace(/"/g, '""')}"` : x.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
          if (x !== null && typeof x === "object") throw new JqRuntimeError(`${desc(x)} is not valid in a csv row`);
          return x === null ? "" : String(x);
        })
        .join(name === "csv" ? "," : "\t");
    }
  }
  throw new JqCompileError(`jq: error: ${name}/0 is not a valid format\njq: 1 compile error`);
}

export class Evaluator {
  /** input_filename's answer: the file being read (`<stdin>`), null with -n. */
  constructor(
    private readonly vars: Env,
    private readonly filename: string | null = null,
  ) {}

  run(n: Node, input: Json): Json[] {
    return this.ev(n, input, this.vars);
  }

  ev(n: Node, v: Json, env: Env): Json[] {
    switch (n.t) {
      case "identity":
        return [v];
      case "recurse":
        return this.recurse(v);
      case "field":
        return this.ev(n.of, v, env).flatMap((x) => index(x, n.name, n.opt));
      case "index":
        return this.ev(n.of, v, env).flatMap((x) => this.ev(n.index, v, env).flatMap((k) => index(x, k, n.opt)));
      case "slice":
        return this.ev(n.of, v, env).flatMap((x) => {
          if (x === null) return [null];
          if (typeof x !== "string" && !Array.isArray(x)) {
            if (n.opt) return [];
            throw new JqRuntimeError(`Cannot index ${typeOf(x)} with object`);
          }
          const from = n.from ? this.ev(n.from, v, env) : [null];
          const to = n.to ? this.ev(n.to, v, env) : [null];
          return product([from, to]).map(([f, t]) => x.slice((f as number | null) ?? 0, (t as number | null) ?? undefined) as Json);
        });
      case "iterate":
        return this.ev(n.of, v, env).flatMap((x) => iterate(x, n.opt));
      case "literal":
        return [n.value as Json];
      case "string":
        return this.str(n.parts, v, env, n.format);
      case "format":
        return [formatValue(n.name, v)];
      case "array":
        return [n.of ? this.ev(n.of, v, env) : []];
      case "object": {
        const pairs = n.entries.map((e) => {
          const keys = this.ev(e.key, v, env);
          return keys.flatMap((k) => {
            if (typeof k !== "string") throw new JqRuntimeError(`Object keys must be strings`);
            const vals = e.value ? this.ev(e.value, v, env) : index(v, k, false);
            return vals.map((val) => [k, val] as [string, Json]);
          });
        });
        return product(pairs).map((kvs) => Object.fromEntries(kvs));
      }
      case "pipe":
        return this.ev(n.left, v, env).flatMap((x) => this.ev(n.right, x, env));
      case "comma":
        return [...this.ev(n.left, v, env), ...this.ev(n.right, v, env)];
      case "neg":
        return this.ev(n.of, v, env).map((x) => {
          if (typeof x !== "number") throw new JqRuntimeError(`${desc(x)} cannot be negated`);
          return -x;
        });
      case "binop": {
        const rs = this.ev(n.right, v, env);
        const ls = this.ev(n.left, v, env);
        const out: Json[] = [];
        for (const r of rs)
          for (const l of ls) {
            switch (n.op) {
              case "==":
                out.push(compare(l, r) === 0);
                break;
              case "!=":
                out.push(compare(l, r) !== 0);
                break;
              case "<":
                out.push(compare(l, r) < 0);
                break;
              case "<=":
                out.push(compare(l, r) <= 0);
                break;
              case ">":
                out.push(compare(l, r) > 0);
                break;
              case ">=":
                out.push(compare(l, r) >= 0);
                break;
              default:
                out.push(arith(n.op, l, r));
            }
          }
        return out;
      }
      case "and":
      case "or": {
        const out: Json[] = [];
        for (const l of this.ev(n.left, v, env)) {
          if (n.t === "and" && !truthy(l)) out.push(false);
          else if (n.t === "or" && truthy(l)) out.push(true);
          else for (const r of this.ev(n.right, v, env)) out.push(truthy(r));
        }
        return out;
      }
      case "alt": {
        let left: Json[] = [];
        try {
          left = this.ev(n.left, v, env).filter(truthy);
        } catch (e) {
          if (!(e instanceof JqRuntimeError)) throw e;
        }
        return left.length ? left : this.ev(n.right, v, env);
      }
      case "if": {
        const branches = [{ cond: n.cond, then: n.then }, ...n.elifs];
        const go = (i: number, x: Json): Json[] => {
          if (i >= branches.length) return n.else ? this.ev(n.else, x, env) : [x];
          return this.ev(branches[i].cond, x, env).flatMap((c) => (truthy(c) ? this.ev(branches[i].then, x, env) : go(i + 1, x)));
        };
        return go(0, v);
      }
      case "try":
        try {
          return this.ev(n.body, v, env);
        } catch (e) {
          if (!(e instanceof JqRuntimeError)) throw e;
          return n.catch ? this.ev(n.catch, e.message, env) : [];
        }
      case "as":
        return this.ev(n.source, v, env).flatMap((x) => this.ev(n.body, v, { ...env, [n.name]: x }));
      case "reduce": {
        let acc = this.ev(n.init, v, env);
        for (const x of this.ev(n.source, v, env)) acc = acc.flatMap((a) => this.ev(n.update, a, { ...env, [n.name]: x }));
        return acc;
      }
      case "var":
        if (n.name === "ENV") return [{}];
        if (!(n.name in env)) throw new JqCompileError(`jq: error: $${n.name} is not defined at <top-level>, line 1:\n${PROGRAM}\njq: 1 compile error`);
        return [env[n.name]];
      case "assign":
        return this.assign(n, v, env);
      case "call":
        return this.call(n.name, n.args, v, env);
    }
  }

  private recurse(v: Json): Json[] {
    const out: Json[] = [v];
    if (Array.isArray(v)) for (const x of v) out.push(...this.recurse(x));
    else if (isObj(v)) for (const x of Object.values(v)) out.push(...this.recurse(x));
    return out;
  }

  private str(parts: (string | Node)[], v: Json, env: Env, format?: string): Json[] {
    const lists = parts.map((p) => (typeof p === "string" ? [p] : this.ev(p, v, env).map((x) => (format ? formatValue(format, x) : typeof x === "string" ? x : JSON.stringify(x)))));
    return product(lists).map((xs) => xs.join(""));
  }

  /** The paths an expression's outputs sit at (for del, path, the assignment operators). */
  paths(n: Node, v: Json, env: Env, at: Path = []): Path[] {
    const here = getPath(v, at);
    const fail = (): never => {
      throw new JqRuntimeError(`Invalid path expression with result ${JSON.stringify(this.ev(n, here, env)[0] ?? null).slice(0, 11)}`);
    };
    switch (n.t) {
      case "identity":
        return [at];
      case "field":
        return this.paths(n.of, v, env, at).flatMap((p) => {
          const x = getPath(v, p);
          if (x !== null && !isObj(x)) return n.opt ? [] : fail();
          return [[...p, n.name]];
        });
      case "index":
        return this.paths(n.of, v, env, at).flatMap((p) => this.ev(n.index, here, env).map((k) => [...p, k as string | number]));
      case "iterate":
        return this.paths(n.of, v, env, at).flatMap((p) => {
          const x = getPath(v, p);
          if (Array.isArray(x)) return x.map((_, i) => [...p, i]);
          if (isObj(x)) return Object.keys(x).map((k) => [...p, k]);
          if (n.opt) return [];
          return iterate(x, false).map(() => p);
        });
      case "recurse": {
        const out: Path[] = [];
        const walk = (p: Path) => {
          out.push(p);
          const x = getPath(v, p);
          if (Array.isArray(x)) x.forEach((_, i) => walk([...p, i]));
          else if (isObj(x)) Object.keys(x).forEach((k) => walk([...p, k]));
        };
        walk(at);
        return out;
      }
      case "pipe":
        return this.paths(n.left, v, env, at).flatMap((p) => this.paths(n.right, v, env, p));
      case "comma":
        return [...this.paths(n.left, v, env, at), ...this.paths(n.right, v, env, at)];
      case "if":
        return this.ev(n.cond, here, env).flatMap((c) => (truthy(c) ? this.paths(n.then, v, env, at) : n.elifs.length ? this.paths({ ...n, cond: n.elifs[0].cond, then: n.elifs[0].then, elifs: n.elifs.slice(1) }, v, env, at) : n.else ? this.paths(n.else, v, env, at) : [at]));
      case "try":
        try {
          return this.paths(n.body, v, env, at);
        } catch (e) {
          if (!(e instanceof JqRuntimeError)) throw e;
          return [];
        }
      case "alt": {
        const left = this.paths(n.left, v, env, at).filter((p) => truthy(getPath(v, p)));
        return left.length ? left : this.paths(n.right, v, env, at);
      }
      case "call":
        if (n.name === "select" && n.args.length === 1) return this.ev(n.args[0], here, env).some(truthy) ? [at] : [];
        if (n.name === "empty") return [];
        if (n.name === "first" && n.args.length === 1) return this.paths(n.args[0], v, env, at).slice(0, 1);
        if (n.name === "last" && n.args.length === 0) return [[...at, -1]];
        if (n.name === "first" && n.args.length === 0) return [[...at, 0]];
        if (n.name === "recurse" && n.args.length === 0) return this.paths({ t: "recurse" }, v, env, at);
        if (n.name === "getpath" && n.args.length === 1) return this.ev(n.args[0], here, env).map((p) => [...at, ...(p as Path)]);
        return fail();
      default:
        return fail();
    }
  }

  private assign(n: Extract<Node, { t: "assign" }>, v: Json, env: Env): Json[] {
    const paths = this.paths(n.left, v, env);
    if (n.op === "|=") {
      let out = v;
      for (const p of paths) {
        const r = this.ev(n.right, getPath(out, p), env);
        out = r.length ? setPath(out, p, r[0]) : deletePath(out, p);
      }
      return [out];
    }
    return this.ev(n.right, v, env).map((rv) => {
      let out = v;
      for (const p of paths) {
        const cur = getPath(out, p);
        out = setPath(out, p, n.op === "=" ? rv : n.op === "//=" ? (truthy(cur) ? cur : rv) : arith(n.op[0], cur, rv));
      }
      return out;
    });
  }

  private call(name: string, args: Node[], v: Json, env: Env): Json[] {
    const arity = `${name}/${args.length}`;
    const one = (i = 0) => this.ev(args[i], v, env);
    const str = (x: Json, what: string): string => {
      if (typeof x !== "string") throw new JqRuntimeError(`${desc(x)} ${what}`);
      return x;
    };
    const arr = (x: Json, what: string): Json[] => {
      if (!Array.isArray(x)) throw new JqRuntimeError(`Cannot ${what} ${desc(x)}`);
      return x;
    };
    const by = (f: Node) => (x: Json) => [this.ev(f, x, env)] as Json;
    switch (arity) {
      case "empty/0":
        return [];
      case "not/0":
        return [!truthy(v)];
      case "error/0":
        throw new JqRuntimeError(typeof v === "string" ? v : `${JSON.stringify(v)} (not a string)`);
      case "error/1":
        return one().map((m) => {
          throw new JqRuntimeError(typeof m === "string" ? m : `${JSON.stringify(m)} (not a string)`);
        });
      case "length/0":
        if (v === null) return [0];
        if (typeof v === "boolean") throw new JqRuntimeError(`boolean (${v}) has no length`);
        if (typeof v === "number") return [Math.abs(v)];
        if (typeof v === "string") return [[...v].length];
        return [Array.isArray(v) ? v.length : Object.keys(v).length];
      case "utf8bytelength/0":
        return [new TextEncoder().encode(str(v, "only strings have UTF-8 byte length")).length];
      case "keys/0":
      case "keys_unsorted/0":
        if (Array.isArray(v)) return [v.map((_, i) => i)];
        if (isObj(v)) return [name === "keys" ? Object.keys(v).sort() : Object.keys(v)];
        throw new JqRuntimeError(`${desc(v)} has no keys`);
      case "has/1":
        return one().map((k) => {
          if (isObj(v) && typeof k === "string") return k in v;
          if (Array.isArray(v) && typeof k === "number") return k >= 0 && k < v.length;
          throw new JqRuntimeError(`Cannot check whether ${typeOf(v)} has a ${typeOf(k)} key`);
        });
      case "in/1":
        return one().flatMap((o) => this.call("has", [{ t: "literal", value: v }], o, env));
      case "map/1":
        return [iterate(v, false).flatMap((x) => this.ev(args[0], x, env))];
      case "map_values/1":
        if (Array.isArray(v)) return [v.flatMap((x) => this.ev(args[0], x, env).slice(0, 1))];
        if (isObj(v)) return [Object.fromEntries(Object.entries(v).flatMap(([k, x]) => this.ev(args[0], x, env).slice(0, 1).map((y) => [k, y])))];
        throw new JqRuntimeError(`Cannot iterate over ${desc(v)}`);
      case "select/1":
        return one().some(truthy) ? [v] : [];
      case "recurse/0":
        return this.recurse(v);
      case "recurse/1": {
        const out: Json[] = [];
        const walk = (x: Json) => {
          out.push(x);
          for (const y of (() => {
            try {
              return this.ev(args[0], x, env);
            } catch (e) {
              if (e instanceof JqRuntimeError) return [];
              throw e;
            }
          })())
            walk(y);
        };
        walk(v);
        return out;
      }
      case "to_entries/0":
        if (!isObj(v)) throw new JqRuntimeError(`${desc(v)} has no keys`);
        return [Object.entries(v).map(([key, value]) => ({ key, value }))];
      case "from_entries/0":
        return [
          Object.fromEntries(
            arr(v, "iterate over").map((e) => {
              if (!isObj(e)) throw new JqRuntimeError(`Cannot index ${typeOf(e)} with "key"`);
              const k = e.key ?? e.k ?? e.name ?? e.Name ?? e.Key ?? e.K;
              return [typeof k === "string" ? k : JSON.stringify(k), "value" in e ? e.value : "v" in e ? e.v : e.Value ?? null];
            }),
          ),
        ];
      case "with_entries/1":
        return this.call("to_entries", [], v, env).flatMap((es) => this.call("map", args, es, env)).flatMap((mapped) => this.call("from_entries", [], mapped, env));
      case "add/0":
        return [iterate(v, false).reduce<Json>((a, x) => arith("+", a, x), null)];
      case "any/0":
        return [iterate(v, false).some(truthy)];
      case "all/0":
        return [iterate(v, false).every(truthy)];
      case "any/1":
        return [iterate(v, false).some((x) => this.ev(args[0], x, env).some(truthy))];
      case "all/1":
        return [iterate(v, false).every((x) => this.ev(args[0], x, env).every(truthy))];
      case "flatten/0":
        return [flatten(arr(v, "flatten"), Infinity)];
      case "flatten/1":
        return one().map((d) => flatten(arr(v, "flatten"), d as number));
      case "range/1":
        return one().flatMap((n) => Array.from({ length: Math.max(0, Math.ceil(n as number)) }, (_, i) => i));
      case "range/2":
        return product([one(0), one(1)]).flatMap(([a, b]) => Array.from({ length: Math.max(0, Math.ceil((b as number) - (a as number))) }, (_, i) => (a as number) + i));
      case "floor/0":
        return [Math.floor(v as number)];
      case "ceil/0":
        return [Math.ceil(v as number)];
      case "round/0":
        return [Math.round(v as number)];
      case "sqrt/0":
        return [Math.sqrt(v as number)];
      case "tostring/0":
        return [typeof v === "string" ? v : JSON.stringify(v)];
      case "tonumber/0":
        if (typeof v === "number") return [v];
        if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return [Number(v)];
        throw new JqRuntimeError(`Cannot parse '${typeof v === "string" ? v : JSON.stringify(v)}' as JSON`);
      case "tojson/0":
        return [JSON.stringify(v)];
      case "fromjson/0":
        try {
          return [JSON.parse(str(v, "cannot be parsed as JSON")) as Json];
        } catch (e) {
          if (e instanceof JqRuntimeError) throw e;
          throw new JqRuntimeError(`${v} (while parsing '${v}')`);
        }
      case "type/0":
        return [typeOf(v)];
      case "sort/0":
        return [[...arr(v, "sort,")].sort(compare)];
      case "sort_by/1":
        return [[...arr(v, "sort,")].map((x) => [by(args[0])(x), x] as [Json, Json]).sort((a, b) => compare(a[0], b[0])).map((p) => p[1])];
      case "group_by/1": {
        const sorted = [...arr(v, "group,")].map((x) => [by(args[0])(x), x] as [Json, Json]).sort((a, b) => compare(a[0], b[0]));
        const groups: Json[][] = [];
        sorted.forEach(([k, x], i) => (i && compare(k, sorted[i - 1][0]) === 0 ? groups[groups.length - 1].push(x) : groups.push([x])));
        return [groups];
      }
      case "unique/0":
        return [[...arr(v, "sort,")].sort(compare).filter((x, i, all) => i === 0 || compare(x, all[i - 1]) !== 0)];
      case "unique_by/1":
        return this.call("group_by", args, v, env).map((gs) => (gs as Json[][]).map((g) => g[0]));
      case "min/0":
      case "max/0": {
        const xs = arr(v, "find min/max of");
        if (!xs.length) return [null];
        return [xs.reduce((a, b) => ((name === "min" ? compare(b, a) < 0 : compare(b, a) >= 0) ? b : a))];
      }
      case "min_by/1":
      case "max_by/1": {
        const xs = arr(v, "find min/max of");
        if (!xs.length) return [null];
        const f = by(args[0]);
        return [xs.reduce((a, b) => ((name === "min_by" ? compare(f(b), f(a)) < 0 : compare(f(b), f(a)) >= 0) ? b : a))];
      }
      case "reverse/0":
        return [typeof v === "string" ? [...v].reverse().join("") : v === null ? [] : [...arr(v, "reverse")].reverse()];
      case "contains/1":
        return one().map((b) => contains(v, b));
      case "inside/1":
        return one().map((b) => contains(b, v));
      case "startswith/1":
        return one().map((s) => str(v, "startswith() requires string inputs").startsWith(str(s, "startswith() requires string inputs")));
      case "endswith/1":
        return one().map((s) => str(v, "endswith() requires string inputs").endsWith(str(s, "endswith() requires string inputs")));
      case "ltrimstr/1":
        return one().map((s) => (typeof v === "string" && typeof s === "string" && v.startsWith(s) ? v.slice(s.length) : v));
      case "rtrimstr/1":
        return one().map((s) => (typeof v === "string" && typeof s === "string" && s && v.endsWith(s) ? v.slice(0, -s.length) : v));
      case "split/1":
        return one().map((s) => str(v, "cannot be split, as it is not a string").split(str(s, "cannot be split")));
      case "join/1":
        return one().map((s) => arr(v, "iterate over").map((x) => (x === null ? "" : typeof x === "string" ? x : typeof x === "object" ? (() => { throw new JqRuntimeError(`Cannot join with ${typeOf(x)}`); })() : String(x))).join(s as string));
      case "ascii_downcase/0":
        return [str(v, "cannot be ascii_downcased").replace(/[A-Z]/g, (c) => c.toLowerCase())];
      case "ascii_upcase/0":
        return [str(v, "cannot be ascii_upcased").replace(/[a-z]/g, (c) => c.toUpperCase())];
      case "test/1":
      case "test/2":
        return product([one(0), args[1] ? one(1) : [null]]).map(([re, fl]) => regex(re, fl).test(str(v, "cannot be matched, as it is not a string")));
      case "sub/2":
      case "gsub/2":
      case "sub/3":
      case "gsub/3":
        return product([one(0), one(1), args[2] ? one(2) : [null]]).map(([re, rep, fl]) => {
          const r = regex(re, `${(fl as string | null) ?? ""}${name === "gsub" ? "g" : ""}`);
          return str(v, "cannot be matched, as it is not a string").replace(r, rep as string);
        });
      case "first/0":
        return index(v, 0, false);
      case "last/0":
        return index(v, -1, false);
      case "nth/1":
        return one().flatMap((i) => index(v, i, false));
      case "first/1":
        return one().slice(0, 1);
      case "last/1":
        return one().slice(-1);
      case "nth/2":
        return one(0).flatMap((i) => one(1).slice(i as number, (i as number) + 1));
      case "limit/2":
        return one(0).flatMap((n) => one(1).slice(0, Math.max(0, n as number)));
      case "isempty/1":
        return [one().length === 0];
      case "values/0":
        return v === null ? [] : [v];
      case "nulls/0":
        return v === null ? [v] : [];
      case "strings/0":
      case "numbers/0":
      case "booleans/0":
      case "arrays/0":
      case "objects/0":
        return typeOf(v) === name.slice(0, -1) ? [v] : [];
      case "del/1":
        return [deletePaths(v, this.paths(args[0], v, env))];
      case "path/1":
        return this.paths(args[0], v, env);
      case "paths/0":
        return this.paths({ t: "recurse" }, v, env).filter((p) => p.length > 0);
      case "leaf_paths/0":
        return this.paths({ t: "recurse" }, v, env).filter((p) => p.length > 0 && typeof getPath(v, p) !== "object");
      case "getpath/1":
        return one().map((p) => getPath(v, p as Path));
      case "setpath/2":
        return product([one(0), one(1)]).map(([p, x]) => setPath(v, p as Path, x));
      case "delpaths/1":
        return one().map((ps) => deletePaths(v, ps as Path[]));
      case "to_array/0":
        return [Array.isArray(v) ? v : [v]];
      case "env/0":
        return [{}];
      case "input/0":
      case "inputs/0":
      case "debug/0":
      case "stderr/0":
      case "input_filename/0":
        if (name === "debug" || name === "stderr") return [v];
        if (name === "input_filename") return [this.filename];
        return [];
      case "splits/1":
        return one().flatMap((re) => str(v, "cannot be matched, as it is not a string").split(regex(re, null)));
      case "ascii/0":
        return [String.fromCharCode(v as number)];
      case "implode/0":
        return [String.fromCodePoint(...arr(v, "implode") as number[])];
      case "explode/0":
        return [[...str(v, "cannot be exploded")].map((c) => c.codePointAt(0)!)];
      case "indices/1":
      case "index/1":
      case "rindex/1":
        return one().map((s) => {
          const found: number[] = [];
          if (typeof v === "string" && typeof s === "string" && s) for (let i = v.indexOf(s); i >= 0; i = v.indexOf(s, i + 1)) found.push(i);
          else if (Array.isArray(v)) v.forEach((x, i) => compare(x, s) === 0 && found.push(i));
          return name === "indices" ? found : name === "index" ? found[0] ?? null : found[found.length - 1] ?? null;
        });
      case "fromdateiso8601/0":
      case "fromdate/0": {
        // strptime("%Y-%m-%dT%H:%M:%SZ") | mktime, as jq 1.6 defines them
        if (typeof v !== "string") throw new JqRuntimeError("strptime/1 requires string inputs and arguments");
        const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/.exec(v);
        if (!m) throw new JqRuntimeError(`date ${JSON.stringify(v)} does not match format "%Y-%m-%dT%H:%M:%SZ"`);
        const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
        return [Date.UTC(y, mo - 1, d, h, mi, sec) / 1000];
      }
      case "todateiso8601/0":
      case "todate/0":
        // strftime("%Y-%m-%dT%H:%M:%SZ") of seconds since the epoch (fractions dropped)
        if (typeof v !== "number" || !Number.isFinite(v)) throw new JqRuntimeError("strftime/1 requires parsed datetime inputs");
        return [new Date(Math.floor(v) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")];
      case "tostream/0":
      case "fromstream/1":
      case "splits/2":
      case "capture/1":
      case "match/1":
      case "scan/1":
      case "walk/1":
      case "env/1":
      case "builtins/0":
      case "input_line_number/0":
      case "ltrimstr/0":
      case "now/0":
      case "strftime/1":
      case "strptime/1":
      case "mktime/0":
      case "gmtime/0":
        throw new JqCompileError(`jq: error: kubelab's jq does not support ${arity}\njq: 1 compile error`);
    }
    // jq 1.6 has it and this one does not: say so, rather than call a real builtin undefined
    if (JQ16_BUILTINS.has(arity)) throw new JqCompileError(`jq: error: kubelab's jq does not support ${arity}\njq: 1 compile error`);
    throw new JqCompileError(`jq: error: ${arity} is not defined at <top-level>, line 1:\n${PROGRAM}\njq: 1 compile error`);
  }
}

/** jq 1.6's builtins by name/arity (those a filter can call; checked one by one against the real jq 1.6). */
const JQ16_BUILTINS = new Set(
  (
    "IN/1 IN/2 INDEX/1 INDEX/2 add/0 all/0 all/1 all/2 any/0 any/1 any/2 arrays/0 ascii_downcase/0 ascii_upcase/0 booleans/0 builtins/0 " +
    "capture/1 capture/2 combinations/0 combinations/1 contains/1 debug/0 del/1 drem/2 empty/0 endswith/1 env/0 error/0 error/1 exp/0 exp10/0 " +
    "explode/0 fabs/0 finites/0 first/0 first/1 flatten/0 flatten/1 floor/0 frexp/0 from_entries/0 fromdate/0 fromdateiso8601/0 fromjson/0 " +
    "fromstream/1 gamma/0 get_jq_origin/0 get_prog_origin/0 get_search_list/0 getpath/1 gmtime/0 group_by/1 gsub/2 gsub/3 halt/0 halt_error/0 " +
    "halt_error/1 has/1 implode/0 in/1 index/1 indices/1 infinite/0 input/0 input_filename/0 input_line_number/0 inputs/0 inside/1 isinfinite/0 " +
    "isnan/0 isnormal/0 iterables/0 join/1 keys/0 keys_unsorted/0 last/0 last/1 ldexp/2 leaf_paths/0 length/0 limit/2 localtime/0 log/0 log10/0 " +
    "logb/0 ltrimstr/1 map/1 map_values/1 match/1 match/2 max/0 max_by/1 min/0 min_by/1 mktime/0 modulemeta/0 nan/0 nearbyint/0 normals/0 not/0 " +
    "now/0 nth/1 nth/2 nulls/0 numbers/0 objects/0 path/1 paths/0 paths/1 pow/2 range/1 range/2 range/3 recurse/0 recurse/1 recurse/2 " +
    "recurse_down/0 reverse/0 rindex/1 rint/0 round/0 rtrimstr/1 scalars/0 scalb/2 scan/1 select/1 setpath/2 significand/0 sort/0 sort_by/1 " +
    "split/1 split/2 splits/1 splits/2 sqrt/0 startswith/1 stderr/0 strflocaltime/1 strftime/1 strings/0 strptime/1 sub/2 sub/3 test/1 test/2 " +
    "to_entries/0 todate/0 todateiso8601/0 tojson/0 tonumber/0 tostream/0 tostring/0 transpose/0 trunc/0 truncate_stream/1 type/0 unique/0 " +
    "unique_by/1 until/2 utf8bytelength/0 values/0 walk/1 while/2 with_entries/1 ceil/0 repeat/1"
  ).split(" "),
);

function flatten(xs: Json[], depth: number): Json[] {
  const out: Json[] = [];
  for (const x of xs) if (Array.isArray(x) && depth > 0) out.push(...flatten(x, depth - 1));
  else out.push(x);
  return out;
}

function contains(a: Json, b: Json): boolean {
  if (typeof a === "string" && typeof b === "string") return a.includes(b);
  if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
  if (isObj(a) && isObj(b)) return Object.entries(b).every(([k, y]) => k in a && contains(a[k], y));
  if (typeOf(a) !== typeOf(b)) throw new JqRuntimeError(`${desc(a)} and ${desc(b)} cannot have their containment checked`);
  return compare(a, b) === 0;
}

function regex(re: Json, flags: Json): RegExp {
  if (typeof re !== "string") throw new JqRuntimeError(`${desc(re)} cannot be matched, as it is not a string`);
  const f = typeof flags === "string" ? flags : "";
  let js = "";
  for (const c of f) {
    if (c === "i" || c === "g") js += c;
    else if (c === "x") continue;
    else if (c !== "n" && c !== "s" && c !== "l" && c !== "p") throw new JqRuntimeError(`${f} is not a valid modifier string`);
    if (c === "s") js += "s";
  }
  try {
    return new RegExp(re, [...new Set(js)].join(""));
  } catch {
    throw new JqRuntimeError(`${re} (at offset 0) is not a valid regex`);
  }
}

export { compare as jqCompare };

// JSON patch (RFC 6902, application/json-patch+json) as the library both a v1.19 apiserver and kubectl v1.20 apply it
// (evanphx/json-patch v4.9.0), with its rules and its error texts: a pointer's parents must exist; `replace` of a
// missing key in an object sets it; negative array indices count from the end; each failure is the library's
// wrapped message (`error in remove for path: '/spec/x': Unable to remove nonexistent key: x: missing value`).
// Inputs are never modified.
import { PatchError, type Json } from "./patch.ts";
import { goValueKind } from "./go-json.ts";

type Obj = { [k: string]: Json };
type Container = Obj | Json[];

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T extends Json>(v: T): T => (v === null || typeof v !== "object" ? v : JSON.parse(JSON.stringify(v)));

/** pkg/errors' Wrapf: `<msg>: <cause>`. */
const wrap = (msg: string, cause: string) => new PatchError(`${msg}: ${cause}`);
const MISSING = "missing value";
const INVALID_INDEX = "invalid index referenced";

const decodeKey = (k: string) => k.replace(/~1/g, "/").replace(/~0/g, "~");

/** A string field of the operation (`path`, `from`): absent or null is missing; another type is Go's decode error. */
function field(op: Obj, name: "path" | "from", missing: string): string {
  const v = op[name];
  if (v === undefined || v === null) throw wrap(missing, MISSING);
  if (typeof v !== "string") throw new PatchError(`json: cannot unmarshal ${goValueKind(v)} into Go value of type string`);
  return v;
}

/** strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

/** The container holding the pointer's last token, and that token; undefined when a parent is missing. */
function findObject(doc: Container, path: string): { con: Container; key: string } | undefined {
  const split = path.split("/");
  if (split.length < 2) return undefined;
  let con: Container = doc;
  for (const part of split.slice(1, -1)) {
    let next: Json | undefined;
    if (Array.isArray(con)) {
      if (!/^[+-]?\d+$/.test(part)) return undefined;
      const i = Number(part);
      if (i < 0 || i >= con.length) return undefined;
      next = con[i];
    } else next = con[decodeKey(part)];
    if (next === undefined || next === null || typeof next !== "object") return undefined;
    con = next;
  }
  return { con, key: decodeKey(split[split.length - 1]) };
}

function get(con: Container, key: string): Json | undefined {
  if (!Array.isArray(con)) return con[key];
  const i = atoi(key);
  if (i >= con.length || i < 0) throw wrap(`Unable to access invalid index: ${i}`, INVALID_INDEX);
  return con[i];
}

/** A negative index counts from the end (SupportNegativeIndices); `size` is the length it may reach. */
function arrayIndex(key: string, size: number): number {
  const i = atoi(key);
  if (i >= size || i < -size) throw wrap(`Unable to access invalid index: ${i}`, INVALID_INDEX);
  return i < 0 ? i + size : i;
}

function add(con: Container, key: string, value: Json): void {
  if (!Array.isArray(con)) {
    con[key] = value;
    return;
  }
  if (key === "-") {
    con.push(value);
    return;
  }
  if (!/^[+-]?\d+$/.test(key)) throw wrap(`value was not a proper array index: '${key}'`, `strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  con.splice(arrayIndex(key, con.length + 1), 0, value);
}

function remove(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!(key in con)) throw wrap(`Unable to remove nonexistent key: ${key}`, MISSING);
    delete con[key];
    return;
  }
  con.splice(arrayIndex(key, con.length), 1);
}

function set(con: Container, key: string, value: Json): void {
  if (Array.isArray(con)) con[atoi(key)] = value;
  else con[key] = value;
}

/** `cause` wrapped by `msg` when it is the library's own error. */
function within<T>(msg: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PatchError) throw wrap(msg, e.message);
    throw e;
  }
}

/** Where the library wraps "missing value" whatever the decoding error was. */
function decodedOr(msg: string, fn: () => string): string {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PatchError) throw wrap(msg, MISSING);
    throw e;
  }
}

/** Apply `ops` (already decoded as a list of operation objects) to `target`. */
export function jsonPatch(target: Json, ops: Obj[]): Json {
  if (target === null || typeof target !== "object") throw new PatchError("invalid state detected");
  const doc = clone(target) as Container;
  for (const op of ops) {
    const kind = typeof op.op === "string" ? op.op : "unknown";
    const value = op.value === undefined ? null : clone(op.value);
    switch (kind) {
      case "add": {
        const path = decodedOr(`add operation failed to decode path`, () => field(op, "path", "operation missing path field"));
        const at = findObject(doc, path);
        if (!at) throw wrap(`add operation does not apply: doc is missing path: "${path}"`, MISSING);
        within(`error in add for path: '${path}'`, () => add(at.con, at.key, value));
        break;
      }
      case "remove": {
        const path = decodedOr(`remove operation failed to decode path`, () => field(op, "path", "operation missing path field"));
        const at = findObject(doc, path);
        if (!at) throw wrap(`remove operation does not apply: doc is missing path: "${path}"`, MISSING);
        within(`error in remove for path: '${path}'`, () => remove(at.con, at.key));
        break;
      }
      case "replace": {
        const path = within("replace operation failed to decode path", () => field(op, "path", "operation missing path field"));
        const at = findObject(doc, path);
        if (!at) throw wrap(`replace operation does not apply: doc is missing path: ${path}`, MISSING);
        try {
          get(at.con, at.key);
        } catch (e) {
          if (e instanceof PatchError) throw wrap(`replace operation does not apply: doc is missing key: ${path}`, MISSING);
          throw e;
        }
        within(`error in remove for path: '${path}'`, () => set(at.con, at.key, value));
        break;
      }
      case "move": {
        const from = within("move operation failed to decode from", () => field(op, "from", "operation, missing from field"));
        const src = findObject(doc, from);
        if (!src) throw wrap(`move operation does not apply: doc is missing from path: ${from}`, MISSING);
        const moved = within(`error in move for path: '${src.key}'`, () => get(src.con, src.key)) ?? null;
        within(`error in move for path: '${src.key}'`, () => remove(src.con, src.key));
        const path = within("move operation failed to decode path", () => field(op, "path", "operation missing path field"));
        const dst = findObject(doc, path);
        if (!dst) throw wrap(`move operation does not apply: doc is missing destination path: ${path}`, MISSING);
        within(`error in move for path: '${path}'`, () => add(dst.con, dst.key, moved));
        break;
      }
      case "test": {
        const path = within("test operation failed to decode path", () => field(op, "path", "operation missing path field"));
        const at = findObject(doc, path);
        if (!at) throw wrap(`test operation does not apply: is missing path: ${path}`, MISSING);
        const found = within(`error in test for path: '${path}'`, () => get(at.con, at.key));
        // the library reads a null in the document as no value, and a null "value" as "expect no value"
        const want = op.value;
        const same = found === undefined || found === null ? want === null : want !== undefined && want !== null && JSON.stringify(sortKeys(found)) === JSON.stringify(sortKeys(want));
        if (!same) throw wrap(`testing value ${path} failed`, "test failed");
        break;
      }
      case "copy": {
        const from = within("copy operation failed to decode from", () => field(op, "from", "operation, missing from field"));
        const src = findObject(doc, from);
        if (!src) throw wrap(`copy operation does not apply: doc is missing from path: ${from}`, MISSING);
        const copied = clone(within(`error in copy for from: '${from}'`, () => get(src.con, src.key)) ?? null);
        const path = decodedOr("copy operation failed to decode path", () => field(op, "path", "operation missing path field"));
        const dst = findObject(doc, path);
        if (!dst) throw wrap(`copy operation does not apply: doc is missing destination path: ${path}`, MISSING);
        within("error while adding value during copy", () => add(dst.con, dst.key, copied));
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${kind}`);
    }
  }
  return doc;
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObj(v)) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
}

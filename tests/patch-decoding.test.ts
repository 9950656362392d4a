// The texts a v1.19 apiserver (and kubectl) answer a bad patch with, as a table: Go's encoding/json syntax and type
// errors (engine/apiserver/go-json.ts), and evanphx/json-patch v4.9.0's rules and wrapped errors
// (engine/apiserver/json-patch.ts) — the library both the apiserver and kubectl --local apply JSON patches with.
import { describe, expect, it } from "vitest";
import { checkGoJson, unmarshalGo } from "../engine/apiserver/go-json.ts";
import { jsonPatch } from "../engine/apiserver/json-patch.ts";
import type { Json } from "../engine/apiserver/patch.ts";

const syntax = (text: string) => {
  try {
    checkGoJson(text);
    return "ok";
  } catch (e) {
    return (e as Error).message;
  }
};

describe("Go's encoding/json scanner errors", () => {
  it.each([
    ['{"spec":{"type":"NodePort"}}', "ok"],
    [' [1, {"a": [true, false, null]}, -0.5e+3, "\\u00e9\\n"] ', "ok"],
    ["{spec:{type:NodePort}}", "invalid character 's' looking for beginning of object key string"],
    ["{bad", "invalid character 'b' looking for beginning of object key string"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['{"a":1', "unexpected end of JSON input"],
    ["", "unexpected end of JSON input"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['{"a":01}', "invalid character '1' after object key:value pair"],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ["[1 2]", "invalid character '2' after array element"],
    ["[1,]", "invalid character ']' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":nul}', "invalid character '}' in literal null (expecting 'l')"],
    ['{"a":fals}', "invalid character '}' in literal false (expecting 'e')"],
    ['{"a":-}', "invalid character '}' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1e}', "invalid character '}' in exponent of numeric literal"],
    ['{"a":"\\x"}', "invalid character 'x' in string escape code"],
    ['{"a":"\\u12g4"}', "invalid character 'g' in \\u hexadecimal character escape"],
    ['{"a":"b\nc"}', "invalid character '\\n' in string literal"],
    ["{} x", "invalid character 'x' after top-level value"],
    ["00", "invalid character '0' after top-level value"],
    ["+1", "invalid character '+' looking for beginning of value"],
  ])("%j: %s", (text, want) => {
    expect(syntax(text)).toBe(want);
  });

  it.each([
    ["[1]", "map", "json: cannot unmarshal array into Go value of type map[string]interface {}"],
    ['"x"', "map", "json: cannot unmarshal string into Go value of type map[string]interface {}"],
    ["1", "map", "json: cannot unmarshal number into Go value of type map[string]interface {}"],
    ["true", "map", "json: cannot unmarshal bool into Go value of type map[string]interface {}"],
    ['{"op":"add"}', "slice", "json: cannot unmarshal object into Go value of type jsonpatch.Patch"],
  ] as const)("unmarshal %s into a %s: %s", (text, shape, want) => {
    expect(() => unmarshalGo(text, { shape, goType: shape === "map" ? "map[string]interface {}" : "jsonpatch.Patch" })).toThrow(want);
  });

  it("null decodes to an empty map or list", () => {
    expect(unmarshalGo("null", { shape: "map", goType: "map[string]interface {}" })).toEqual({});
    expect(unmarshalGo(" null ", { shape: "slice", goType: "jsonpatch.Patch" })).toEqual([]);
  });
});

describe("JSON patch as evanphx/json-patch v4.9.0 applies it", () => {
  const doc = { spec: { ports: [{ port: 80 }, { port: 443 }], type: "ClusterIP" }, metadata: { labels: { "a/b": "x", "c~d": "y" } } } as unknown as Json;
  const apply = (ops: unknown[]) => {
    try {
      return jsonPatch(doc, ops as { [k: string]: Json }[]);
    } catch (e) {
      return (e as Error).message;
    }
  };
  it.each([
    // what applies
    ["replace of a present key", [{ op: "replace", path: "/spec/type", value: "NodePort" }], { spec: { type: "NodePort" } }],
    ["replace of a missing object key sets it (the library only checks the parent)", [{ op: "replace", path: "/spec/externalTrafficPolicy", value: "Local" }], { spec: { externalTrafficPolicy: "Local" } }],
    ["add at the end of a list with -", [{ op: "add", path: "/spec/ports/-", value: { port: 8080 } }], { spec: { ports: [{ port: 80 }, { port: 443 }, { port: 8080 }] } }],
    ["add at a negative index counts from the end", [{ op: "add", path: "/spec/ports/-1", value: { port: 1 } }], { spec: { ports: [{ port: 80 }, { port: 443 }, { port: 1 }] } }],
    ["remove at a negative index", [{ op: "remove", path: "/spec/ports/-2" }], { spec: { ports: [{ port: 443 }] } }],
    ["~1 and ~0 in keys", [{ op: "remove", path: "/metadata/labels/a~1b" }, { op: "remove", path: "/metadata/labels/c~0d" }], { metadata: { labels: {} } }],
    ["move", [{ op: "move", from: "/spec/type", path: "/spec/kind" }], { spec: { kind: "ClusterIP", type: undefined } }],
    ["copy", [{ op: "copy", from: "/spec/ports/0", path: "/spec/ports/-" }], { spec: { ports: [{ port: 80 }, { port: 443 }, { port: 80 }] } }],
    ["test that holds, keys in any order", [{ op: "test", path: "/spec/ports/0", value: { port: 80 } }], { spec: { type: "ClusterIP" } }],
    ["test of a missing key with a null value holds", [{ op: "test", path: "/spec/nosuch", value: null }], { spec: { type: "ClusterIP" } }],
    // the refusals, in the library's words
    ["remove of a missing key", [{ op: "remove", path: "/spec/nosuch" }], "error in remove for path: '/spec/nosuch': Unable to remove nonexistent key: nosuch: missing value"],
    ["a missing parent", [{ op: "add", path: "/status/x/y", value: 1 }], 'add operation does not apply: doc is missing path: "/status/x/y": missing value'],
    ["replace under a missing list item", [{ op: "replace", path: "/spec/ports/5/port", value: 1 }], "replace operation does not apply: doc is missing path: /spec/ports/5/port: missing value"],
    ["replace of a missing list item", [{ op: "replace", path: "/spec/ports/5", value: 1 }], "replace operation does not apply: doc is missing key: /spec/ports/5: missing value"],
    ["add past the end", [{ op: "add", path: "/spec/ports/3", value: 1 }], "error in add for path: '/spec/ports/3': Unable to access invalid index: 3: invalid index referenced"],
    ["add at a word index", [{ op: "add", path: "/spec/ports/x", value: 1 }], `error in add for path: '/spec/ports/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`],
    ["a path that is not a pointer", [{ op: "remove", path: "spec" }], 'remove operation does not apply: doc is missing path: "spec": missing value'],
    ["no path", [{ op: "add", value: 1 }], "add operation failed to decode path: missing value"],
    ["a path that is not a string", [{ op: "replace", path: 5, value: 1 }], "replace operation failed to decode path: json: cannot unmarshal number into Go value of type string"],
    ["a failed test", [{ op: "test", path: "/spec/type", value: "NodePort" }], "testing value /spec/type failed: test failed"],
    ["move from a missing parent", [{ op: "move", from: "/x/y", path: "/spec/z" }], "move operation does not apply: doc is missing from path: /x/y: missing value"],
    ["an unknown op", [{ op: "merge", path: "/spec" }], "Unexpected kind: merge"],
    ["no op", [{ path: "/spec" }], "Unexpected kind: unknown"],
  ])("%s", (_name, ops, want) => {
    const got = apply(ops);
    if (typeof want === "string") expect(got).toBe(want);
    else
      for (const [part, fields] of Object.entries(want))
        for (const [k, v] of Object.entries(fields as object)) expect((got as Record<string, Record<string, unknown>>)[part][k], `${part}.${k}`).toEqual(v);
  });

  it("never changes its input", () => {
    const before = JSON.stringify(doc);
    jsonPatch(doc, [{ op: "remove", path: "/spec/ports/0" }, { op: "add", path: "/metadata/labels/z", value: "1" }]);
    expect(JSON.stringify(doc)).toBe(before);
  });
});

// labels.ConvertSelectorToLabelsMap (apimachinery v0.19 pkg/labels), the `k=v,k2=v2` parser behind kubectl's label
// flags: keys and values are trimmed with Go's strings.TrimSpace (Unicode white space as Go defines it, U+2000..U+200A
// included, U+200B zero width space not), and an invalid key or value names every reason, joined by "; ".
import { describe, expect, it } from "vitest";
import { convertSelectorToLabelsMap, SelectorParseError } from "../engine/labels/index.ts";

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PREFIX_PART =
  "prefix part a DNS-1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe("ConvertSelectorToLabelsMap trims Go's white space", () => {
  it.each([
    ["U+2000 en quad, the first of Go's U+2000..U+200A range", "\u2000app=\u2000web", { app: "web" }],
    ["U+200A hair space, the last of that range", "app\u200a=web\u200a", { app: "web" }],
    ["the ideographic space U+3000 and a tab", "\tapp=web\u3000", { app: "web" }],
    ["nothing but white space around an empty value", "app= \u2000 ", { app: "" }],
  ])("%s", (_name, text, want) => {
    expect(convertSelectorToLabelsMap(text)).toEqual(want);
  });

  it("U+200B zero width space is no white space in Go: the value keeps it and is invalid", () => {
    expect(() => convertSelectorToLabelsMap("app=web\u200b")).toThrow(SelectorParseError);
    expect(() => convertSelectorToLabelsMap("app=web\u200b")).toThrow(LABEL_VALUE);
  });
});

describe("ConvertSelectorToLabelsMap names every reason, joined by '; '", () => {
  it.each([
    ["a key whose prefix and name are both invalid", "a_b/-c=x", `invalid label key "a_b/-c": ${PREFIX_PART}; ${NAME_PART}`],
    ["a value both too long and badly formed", `a=${"-".repeat(64)}`, `invalid label value: "${"-".repeat(64)}": at key: "a": must be no more than 63 characters; ${LABEL_VALUE}`],
  ])("%s", (_name, text, message) => {
    let err: unknown;
    try {
      convertSelectorToLabelsMap(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SelectorParseError);
    expect((err as Error).message).toBe(message);
  });
});

// Label selectors' small print (apimachinery v0.19 pkg/labels): the strings inside error messages are quoted the way
// Go's %q (strconv.Quote) quotes them, and Gt/Lt compare int64s parsed as strconv.ParseInt(s, 10, 64) parses them —
// on the requirement's value and on each label's value.
import { describe, expect, it } from "vitest";
import { convertSelectorToLabelsMap, parseSelector } from "../engine/labels/index.ts";

const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NOT_INT = "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer";

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected an error");
}

describe("an invalid label value is quoted as Go's %q quotes it", () => {
  it.each([
    ["a double quote", 'a"b', '"a\\"b"'],
    ["a backslash", "a\\b", '"a\\\\b"'],
    ["BEL", "a\x07b", '"a\\ab"'],
    ["backspace", "a\bb", '"a\\bb"'],
    ["form feed", "a\fb", '"a\\fb"'],
    ["vertical tab", "a\vb", '"a\\vb"'],
    ["another C0 control, as \\x", "a\x01b", '"a\\x01b"'],
    ["the last C0 control", "a\x1fb", '"a\\x1fb"'],
    ["DEL", "a\x7fb", '"a\\x7fb"'],
    ["the first C1 control, as \\u", "a\x80b", '"a\\u0080b"'],
    ["the last C1 control", "a\x9fb", '"a\\u009fb"'],
    ["the soft hyphen", "a\u00adb", '"a\\u00adb"'],
    ["a printable non-ASCII letter, as is", "a\u00a1b", '"a\u00a1b"'],
  ])("%s", (_name, value, quoted) => {
    expect(message(() => convertSelectorToLabelsMap(`x=${value}`))).toBe(`invalid label value: ${quoted}: at key: "x": ${LABEL_VALUE}`);
  });

  it("the selector parser quotes the same way and joins every reason by '; '", () => {
    expect(message(() => parseSelector(`a=${"-".repeat(64)}`))).toBe(
      `unable to parse requirement: invalid label value: "${"-".repeat(64)}": at key: "a": must be no more than 63 characters; ${LABEL_VALUE}`,
    );
    expect(message(() => parseSelector("a_b/-c=x"))).toMatch(/^unable to parse requirement: invalid label key "a_b\/-c": prefix part .*\); name part must consist/);
  });
});

describe("Gt and Lt take an int64", () => {
  it.each([
    ["the largest int64", "a>9223372036854775807", "a>9223372036854775807"],
    ["zero-padded to 25 digits", "a>0000000000000000000000005", "a>0000000000000000000000005"],
  ])("%s is a valid bound", (_name, text, canonical) => {
    expect(parseSelector(text).toString()).toBe(canonical);
  });

  it.each([
    ["one past the largest int64", "a>9223372036854775808"],
    ["one below the smallest", "a<-9223372036854775809"],
    ["digits then a letter", "a>5a"],
  ])("%s is refused", (_name, text) => {
    expect(message(() => parseSelector(text))).toBe(NOT_INT);
  });

  it.each([
    ["7", true],
    ["+7 (ParseInt takes a sign)", true],
    ["0000000000000000000000007", true],
    ["5 (not greater)", false],
    ["-7", false],
    ["", false],
    ["+", false],
    ["7a", false],
    ["0x10 (no base prefixes)", false],
    ["9223372036854775808 (out of range)", false],
  ])("a>5 on a label value of %s: %s", (value, want) => {
    expect(parseSelector("a>5").matches({ a: value.split(" ")[0] })).toBe(want);
  });

  it.each([
    ["-9223372036854775808 (the smallest int64)", true],
    ["-9223372036854775809 (out of range)", false],
  ])("a<5 on a label value of %s: %s", (value, want) => {
    expect(parseSelector("a<5").matches({ a: value.split(" ")[0] })).toBe(want);
  });

  it("a label without the key matches neither", () => {
    expect([parseSelector("a>5").matches({ b: "7" }), parseSelector("a<5").matches({ b: "1" })]).toEqual([false, false]);
  });
});

describe("== is =", () => {
  it.each([
    [{ app: "web" }, true],
    [{ app: "api" }, false],
    [{}, false],
  ])("app==web on %o: %s", (labels, want) => {
    expect(parseSelector("app==web").matches(labels)).toBe(want);
    expect(parseSelector("app=web").matches(labels)).toBe(want);
  });
});

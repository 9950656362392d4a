// Label-key / label-value / DNS-name / port / IP validation against the upstream v1.19 test tables
// (tests/fixtures/label-validation.json, transcribed from apimachinery v0.19.16 with the exact messages).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatFieldError } from "../engine/errors.ts";
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidIPv4,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  utf8Length,
  validateLabelKey,
  validateLabelValue,
  validateLabels,
} from "../engine/validation/names.ts";

interface Case<T> {
  test: string;
  input: T;
  valid: boolean;
  errors_v1_19?: string[];
  note?: string;
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/label-validation.json", import.meta.url), "utf8")) as Record<string, unknown>;

const stringTables: [string, (v: string) => string[]][] = [
  ["IsQualifiedName (label keys)", isQualifiedName],
  ["IsValidLabelValue (label values)", isValidLabelValue],
  ["IsDNS1035Label (Service names)", isDNS1035Label],
  ["IsDNS1123Label (port names, namespace names, endpoint hostnames)", isDNS1123Label],
  ["IsDNS1123Subdomain (pod/deployment/endpoints names, label-key prefixes, externalName)", isDNS1123Subdomain],
  ["IsValidPortName (named targetPort / containerPort name, IANA_SVC_NAME)", isValidPortName],
  ["IsValidIP (externalIPs, endpoint IPs)", isValidIP],
];

function label(input: unknown): string {
  const s = JSON.stringify(input);
  return s.length > 50 ? s.slice(0, 40) + `…(${s.length})` : s;
}

for (const [table, fn] of stringTables) {
  const cases = fx[table] as Case<string>[];
  describe(table, () => {
    it("has cases", () => expect(cases.length).toBeGreaterThan(5));
    it.each(cases.map((c) => [label(c.input), c] as const))("%s", (_name, c) => {
      const got = fn(c.input);
      if (c.valid) expect(got).toEqual([]);
      else expect(got).toEqual(c.errors_v1_19);
    });
  });
}

describe("IsValidPortNum", () => {
  const cases = fx["IsValidPortNum"] as Case<number>[];
  it.each(cases.map((c) => [c.input, c] as const))("%d", (_n, c) => {
    expect(isValidPortNum(c.input)).toEqual(c.valid ? [] : c.errors_v1_19);
  });
  it("rejects non-integers", () => {
    expect(isValidPortNum(80.5)).toEqual(["must be between 1 and 65535, inclusive"]);
  });
});

describe("ValidateLabels (metadata.labels)", () => {
  const t = fx["ValidateLabels (metadata.labels / spec.selector)"] as {
    cases: { labels: Record<string, string>; valid: boolean; field_errors_v1_19?: string[]; upstream_expect_substring?: string }[];
  };
  it.each(t.cases.map((c) => [label(c.labels), c] as const))("%s", (_n, c) => {
    const errs = validateLabels(c.labels, "metadata.labels");
    if (c.valid) {
      expect(errs).toEqual([]);
      return;
    }
    expect(errs.map(formatFieldError)).toEqual(c.field_errors_v1_19);
    expect(errs[0].detail).toContain(c.upstream_expect_substring);
    expect(errs.every((e) => e.type === "Invalid value" && e.field === "metadata.labels")).toBe(true);
  });

  it("reports the key for key errors and the value for value errors, one error per message", () => {
    const errs = validateLabels({ "example.com/": "ok", good: "-bad-" }, "spec.selector");
    expect(errs.map((e) => e.value)).toEqual(['"example.com/"', '"example.com/"', '"-bad-"']);
    expect(errs[0].detail).toBe("name part must be non-empty");
    expect(errs.every((e) => e.field === "spec.selector")).toBe(true);
  });

  it("accepts undefined / empty maps", () => {
    expect(validateLabels(undefined, "metadata.labels")).toEqual([]);
    expect(validateLabels({}, "metadata.labels")).toEqual([]);
  });
});

describe("message shape details (message_format_notes)", () => {
  it("keeps upstream's double space before 'or' in regex examples", () => {
    expect(isValidLabelValue("bad value")[0]).toContain("(e.g. 'MyValue',  or 'my_value',  or '12345'");
    expect(isValidLabelValue("bad value")).toEqual(
      (fx["message_templates_v1_19"] as Record<string, string[]>)['IsValidLabelValue("bad value")'],
    );
  });

  it("matches the transcribed templates", () => {
    const t = fx["message_templates_v1_19"] as Record<string, string[]>;
    expect(isQualifiedName("bad key")).toEqual(t['IsQualifiedName("bad key")']);
    expect(isDNS1035Label("My-Service")).toEqual(t['IsDNS1035Label("My-Service")']);
    expect(isDNS1123Subdomain("Bad_Name")).toEqual(t['IsDNS1123Subdomain("Bad_Name")']);
  });

  it("gives both the length and the charset message for a long value with bad characters (length first)", () => {
    const v = "a".repeat(63) + "$";
    const errs = isValidLabelValue(v);
    expect(errs).toHaveLength(2);
    expect(errs[0]).toBe("must be no more than 63 characters");
    expect(errs[1]).toMatch(/^a valid label must be an empty string/);
  });

  it("an empty label value is valid; an empty key is not", () => {
    expect(isValidLabelValue("")).toEqual([]);
    expect(isQualifiedName("")).toEqual([
      "name part must be non-empty",
      expect.stringMatching(/^name part must consist of/),
    ]);
  });

  it("counts lengths in UTF-8 bytes like Go's len()", () => {
    expect(utf8Length("ā")).toBe(2);
    expect(utf8Length("😀")).toBe(4);
    // 62 ASCII chars + one 2-byte char = 64 bytes: too long for a DNS-1123 label, and not in its charset.
    expect(isDNS1123Label("a".repeat(62) + "ā")[0]).toBe("must be no more than 63 characters");
  });

  it("validateLabelKey / validateLabelValue are the qualified-name / label-value checks", () => {
    expect(validateLabelKey("app.kubernetes.io/name")).toEqual([]);
    expect(validateLabelKey("a/b/c")).toEqual(isQualifiedName("a/b/c"));
    expect(validateLabelValue("we b")).toEqual(isValidLabelValue("we b"));
    expect(validateLabelValue("we b")).toHaveLength(1);
  });
});

describe("IP parsing like Go net.ParseIP", () => {
  it.each([
    ["10.9.8.7", true],
    ["0.0.0.0", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["1.2.3", false],
    ["1.2.3.4.5", false],
    ["1.2.3.4 ", false],
    ["1..2.3", false],
    ["1.1.1.01", false], // see note in the fixture: rejected by the Go toolchain the tables were computed with
    ["::ffff:10.1.2.3", true],
    ["fe80::1", true],
    ["1:2:3:4:5:6:7:8", true],
    ["1:2:3:4:5:6:7::", true],
    ["::1:2:3:4:5:6:7", true],
    ["1:2:3:4:5:6:1.2.3.4", true],
    ["1:2:3:4:5:6:7:1.2.3.4", false],
    ["1:2:3:4:5:6:7:8:9", false],
    ["1:2:3:4:5:6:7:8::", false],
    ["1::2::3", false],
    ["1:::2", false],
    ["12345::", false],
    ["fe80::1%eth0", false],
    ["1:", false],
    [":1", false],
    ["", false],
  ])("%s => %s", (ip, ok) => {
    expect(isValidIP(ip)).toEqual(ok ? [] : ["must be a valid IP address, (e.g. 10.9.8.7)"]);
  });

  it("isValidIPv4 only accepts dotted quads", () => {
    expect(isValidIPv4("192.168.0.1")).toBe(true);
    expect(isValidIPv4("::1")).toBe(false);
    expect(isValidIPv4("1.2.3.1000")).toBe(false);
  });
});

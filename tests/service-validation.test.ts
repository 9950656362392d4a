// Service validation against every row of the upstream Service validation tables (tests/fixtures/service-validation.json:
// TestValidateServiceCreate, TestValidateServiceExternalTrafficFieldsCombination, TestValidateServiceUpdate rows run
// through upstream v1.20.2, with the v1.19 message text). Rows that only exist because of v1.20 dual-stack fields
// (v1_20_only) and the mixed-protocol LoadBalancer row are checked against their hand-reviewed v1.19 result
// (errors_v1_19_derived, each with a v1_19_note saying why).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatFieldError, invalid } from "../engine/errors.ts";
import { defaultService } from "../engine/validation/defaults.ts";
import {
  validateServiceCreate,
  validateServiceExternalTrafficFieldsCombination,
  validateServiceUpdate,
} from "../engine/validation/service.ts";

interface Case {
  test: "TestValidateServiceCreate" | "TestValidateServiceUpdate" | "TestValidateServiceExternalTrafficFieldsCombination";
  name: string;
  valid: boolean;
  upstream_numErrs: number;
  errors_v1_19_message_text: string[];
  errors_v1_19_derived?: string[];
  v1_19_note?: string;
  v1_20_only?: string;
  manifest: Record<string, unknown>;
  old_manifest?: Record<string, unknown>;
  manifest_after_v1_defaulting?: Record<string, unknown>;
  errors_v1_20_2_after_v1_defaulting?: string[];
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/service-validation.json", import.meta.url), "utf8")) as { cases: Case[] };
const cases = fx.cases;

function run(c: Case, manifest: unknown = c.manifest): string[] {
  switch (c.test) {
    case "TestValidateServiceCreate":
      return validateServiceCreate(manifest).map(formatFieldError);
    case "TestValidateServiceUpdate":
      return validateServiceUpdate(manifest, c.old_manifest).map(formatFieldError);
    case "TestValidateServiceExternalTrafficFieldsCombination":
      return validateServiceExternalTrafficFieldsCombination(manifest).map(formatFieldError);
  }
}

/** What v1.19 answers for the row: the upstream text, or the reviewed v1.19 derivation where v1.19 differs. */
function expected(c: Case): string[] {
  return c.errors_v1_19_derived ?? c.errors_v1_19_message_text;
}

const label = (c: Case, i: number) => `#${i} ${c.test.replace("TestValidateService", "")}: ${c.name}`;

describe("fixture", () => {
  it("holds all 209 upstream rows", () => {
    expect(cases).toHaveLength(209);
    expect(cases.filter((c) => c.test === "TestValidateServiceCreate")).toHaveLength(135);
  });
  it("has a reviewed v1.19 result for every row that v1.19 cannot run as-is", () => {
    for (const c of cases) if (c.v1_20_only) expect(c.errors_v1_19_derived, c.name).toBeDefined();
    for (const c of cases) if (c.errors_v1_19_derived) expect(c.v1_19_note, c.name).toBeTruthy();
  });
});

describe("upstream rows valid in both v1.19 and v1.20 forms (exact v1.19 messages, upstream order)", () => {
  const rows = cases.map((c, i) => [label(c, i), c] as const).filter(([, c]) => !c.errors_v1_19_derived);
  it.each(rows)("%s", (_, c) => {
    const got = run(c);
    expect(got).toEqual(c.errors_v1_19_message_text);
    expect(got.length === 0).toBe(c.valid);
    expect(got).toHaveLength(c.upstream_numErrs);
  });
});

describe("rows whose v1.19 answer differs from v1.20 (single spec.clusterIP, mixed-protocol LoadBalancers)", () => {
  const rows = cases.map((c, i) => [label(c, i), c] as const).filter(([, c]) => c.errors_v1_19_derived);
  it.each(rows)("%s", (_, c) => {
    expect(run(c)).toEqual(expected(c));
  });
  it("never reports a v1.20-only field path", () => {
    for (const [, c] of rows)
      for (const e of run(c)) expect(e).not.toMatch(/^spec\.(clusterIPs|ipFamilies|ipFamilyPolicy|allocateLoadBalancerNodePorts)\b/);
  });
});

describe("after v1 defaulting (what kubectl apply of the manifest meets)", () => {
  const rows = cases.map((c, i) => [label(c, i), c] as const).filter(([, c]) => c.manifest_after_v1_defaulting);
  it("covers the six rows whose result changes with defaulting", () => {
    expect(rows).toHaveLength(6);
  });
  it.each(rows)("%s", (_, c) => {
    const defaulted = defaultService(c.manifest);
    expect(defaulted.spec).toEqual(c.manifest_after_v1_defaulting!.spec);
    expect(run(c, defaulted)).toEqual(c.errors_v1_20_2_after_v1_defaulting);
  });
  it("defaulting never turns a valid row invalid", () => {
    for (const [i, c] of cases.entries()) {
      if (expected(c).length !== 0) continue;
      expect(run(c, defaultService(c.manifest)), label(c, i)).toEqual([]);
    }
  });
  it("defaulting does not touch its input", () => {
    for (const c of cases) {
      const before = JSON.stringify(c.manifest);
      defaultService(c.manifest);
      expect(JSON.stringify(c.manifest)).toBe(before);
    }
  });
});

describe("kubectl rendering of the rows", () => {
  it("prints one cause on the header line", () => {
    const c = cases.find((x) => x.name === "invalid port")!;
    const errs = validateServiceCreate(c.manifest);
    expect(invalid("Service", "valid", errs).kubectlMessage()).toBe(
      'The Service "valid" is invalid: spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
    );
  });
  it("prints several causes as a bulleted list", () => {
    const c = cases.find((x) => x.name === "invalid LoadBalancer source range annotation (hostname)")!;
    expect(invalid("Service", "valid", validateServiceCreate(c.manifest)).kubectlMessage()).toBe(
      [
        'The Service "valid" is invalid: ',
        "* metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Forbidden: may only be used when `type` is 'LoadBalancer'",
        '* metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "foo.bar": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24 ',
      ].join("\n"),
    );
  });
});

// What a lab author may write in a label check: entries are `key` or `key=value`; an entry without its key is refused
// when the lab loads, not graded into a garbled explanation.
import { describe, expect, it } from "vitest";
import { checkSchema } from "../labs/schema.ts";

const label = (has: string[]) => checkSchema.safeParse({ type: "label", kind: "Pod", name: "web", has });

describe("label check entries", () => {
  it.each([[["app"]], [["app=web"]], [["app=web", "tier"]], [["app="]]])("%j is accepted", (has) => {
    expect(label(has).success).toBe(true);
  });
  it.each([[["=web"]], [[" =web"]], [[""]], [["app", "="]]])("%j is refused with its reason", (has) => {
    const r = label(has);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toContain("a label entry is `key` or `key=value`, and its key is missing");
  });
});

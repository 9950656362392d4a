// api/node/heap.ts: the server's heap growth setting, read from the environment with a clear refusal of bad values,
// and applied to the process — V8 honours it at its next full GC (a child process shows it: a small growth makes
// many more full GCs of the same program).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { applyHeapPolicy, DEFAULT_HEAP_GROWING_PERCENT, HeapPolicyError, heapGrowingPercent } from "../api/node/heap.ts";

describe("heapGrowingPercent", () => {
  it.each([
    [undefined, DEFAULT_HEAP_GROWING_PERCENT],
    ["", DEFAULT_HEAP_GROWING_PERCENT],
    ["0", 0],
    ["150", 150],
    [" 300 ", 300],
    ["1000", 1000],
  ])("KUBELAB_HEAP_GROWING_PERCENT=%j → %d", (value, want) => {
    expect(heapGrowingPercent({ KUBELAB_HEAP_GROWING_PERCENT: value })).toBe(want);
  });

  it.each(["-1", "1001", "3e2", "30%", "abc", "1.5"])("refuses %j with the variable's name and the range", (value) => {
    expect(() => heapGrowingPercent({ KUBELAB_HEAP_GROWING_PERCENT: value })).toThrow(HeapPolicyError);
    expect(() => heapGrowingPercent({ KUBELAB_HEAP_GROWING_PERCENT: value })).toThrow(/KUBELAB_HEAP_GROWING_PERCENT must be a whole number from 0 to 1000/);
  });
});

describe("applyHeapPolicy", () => {
  // A program that keeps ~30 MB live and churns a ring of objects: how many full GCs it takes depends on the growth.
  const program = `
    import { applyHeapPolicy } from ${JSON.stringify(new URL("../api/node/heap.ts", import.meta.url).href)};
    applyHeapPolicy();
    const live = []; for (let i = 0; i < 300000; i++) live.push({ i, s: "x" + i, a: [i] });
    const ring = new Array(150000);
    for (let r = 0; r < 3000000; r++) ring[r % 150000] = { r, a: [r, r] };
    console.log(live.length + ring.length);
  `;
  const fullGcs = (percent: string) => {
    const out = execFileSync(process.execPath, ["--trace-gc", "--import", "tsx", "--input-type=module", "-e", program], {
      env: { ...process.env, KUBELAB_HEAP_GROWING_PERCENT: percent },
      encoding: "utf8",
    });
    return out.split("\n").filter((l) => l.includes("Mark-Compact")).length;
  };

  it("is what V8 grows the heap by: 10% makes several times the full GCs of 300%", () => {
    const small = fullGcs("10");
    const large = fullGcs("300");
    expect(large).toBeGreaterThan(0);
    expect(small).toBeGreaterThan(3 * large);
  });

  it("leaves a growth given on node's command line as it was (either spelling), and refuses a bad variable first", () => {
    expect(applyHeapPolicy({}, ["--heap-growing-percent=50"])).toBeNull();
    expect(applyHeapPolicy({ KUBELAB_HEAP_GROWING_PERCENT: "200" }, ["--trace-gc", "--heap_growing_percent=20"])).toBeNull();
    expect(() => applyHeapPolicy({ KUBELAB_HEAP_GROWING_PERCENT: "x" }, ["--heap-growing-percent=50"])).toThrow(HeapPolicyError);
    // V8's own choice: nothing set, 0 reported
    expect(applyHeapPolicy({ KUBELAB_HEAP_GROWING_PERCENT: "0" }, [])).toBe(0);
  });
});

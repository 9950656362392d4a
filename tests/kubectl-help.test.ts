// `kubectl help` lists exactly the subcommands the terminal runs, each once, in kubectl's own groups.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";
import { KUBECTL_SUBCOMMANDS } from "../engine/kubectl/index.ts";

describe("kubectl help", () => {
  it("names every simulated subcommand and nothing else", () => {
    const c = Cluster.create({ seed: 1 });
    const help = c.exec("kubectl help").stdout;
    const listed = [...help.slice(0, help.indexOf("Usage:")).matchAll(/^ {2}([a-z-]+) +\S/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual([...KUBECTL_SUBCOMMANDS]);
    expect(c.exec("kubectl").stdout).toBe(help);
  });
  it("a subcommand kubelab does not simulate says so", () => {
    const r = Cluster.create({ seed: 1 }).exec("kubectl drain node01");
    expect([r.exitCode, r.stderr]).toEqual([1, 'error: kubelab does not simulate "kubectl drain"; use apply, label, scale, create, expose, delete\n']);
  });
});

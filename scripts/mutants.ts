// npm run test:mutants [-- <module> ...]: Stryker on the modules where a wrong answer is silent, one module at a
// time, each with only the test files that name its rules (vitest.mutants.config.ts), incrementally
// (tests/mutants/<module>.json). Prints killed / survived / score per module and writes reports/mutation/<module>.json.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";

interface Module {
  mutate: string[];
  tests: string[];
  /** Load the test files afresh for every mutant (vitest.mutants.config.ts): none needs it now; api/'s module-level state is reset per test file instead (tests/setup/api-module-state.ts). */
  isolate?: boolean;
  /**
   * Stryker's timeoutMS for this module (default: stryker.config.mjs). The api modules' test files open a database
   * and an app in beforeAll, which Stryker counts as overhead, not as the tests' time: on a loaded machine that alone
   * overran 5 s and passed for a timeout (a worker killed and restarted, the mutant counted as detected).
   */
  timeoutMS?: number;
}

export const MODULES: Record<string, Module> = {
  labels: {
    mutate: ["engine/labels/**/*.ts"],
    // The property tests (random selectors, 6 s a run) are left out: every surviving mutant would pay for them, and a
    // rule only they catch is a rule no table names.
    tests: ["tests/selectors.test.ts", "tests/selectors-set.test.ts", "tests/selectors-quoting.test.ts", "tests/selectors-edges.test.ts", "tests/engine-selectors-missing-key.test.ts", "tests/selectors-odd-ends.test.ts"],
  },
  network: {
    mutate: ["engine/network/**/*.ts"],
    // the network-* tables name each rule: the apps, DNS and interfaces; kube-proxy's ways in, SNAT, balancing and
    // affinity, chain names and the request a backend sees (snat-table is the SNAT table); network-proxy-change-mark:
    // which of kube-proxy's records and the apps' state a request writes for the engine's change mark
    tests: [
      "tests/engine-snat.test.ts",
      "tests/snat-table.test.ts",
      "tests/network-apps.test.ts",
      "tests/network-dns.test.ts",
      "tests/network-interfaces.test.ts",
      "tests/network-proxy-rules.test.ts",
      "tests/network-proxy-balancing.test.ts",
      "tests/network-proxy-edges.test.ts",
      "tests/network-snat-host-endpoints.test.ts",
      "tests/network-proxy-ports-and-names.test.ts",
      "tests/network-proxy-state.test.ts",
      "tests/network-proxy-backends.test.ts",
      "tests/network-proxy-change-mark.test.ts",
      "tests/network-chain-names.test.ts",
      "tests/network-chain-names-codec.test.ts",
      "tests/network-http-request.test.ts",
      "tests/curl-headers.test.ts",
      "tests/network-dns-reverse-down.test.ts",
      "tests/engine-model.test.ts",
      "tests/terminal.test.ts",
    ],
  },
  endpoints: {
    mutate: ["engine/controllers/endpoints.ts"],
    // The files that name the controller's rules, and the EndpointSlice controller's that it drives (5 s a run);
    // engine-controllers and engine-model (35 s) reach it only through whole scenarios, and every surviving mutant
    // paid for all of them.
    tests: ["tests/engine-endpoints.test.ts", "tests/engine-endpoints-sync.test.ts", "tests/engine-endpoints-rules.test.ts", "tests/engine-endpoints-port-names.test.ts", "tests/engine-endpointslices.test.ts"],
  },
  allocators: {
    mutate: ["engine/apiserver/allocators.ts"],
    tests: ["tests/engine-ranges.test.ts", "tests/engine-ranges-update.test.ts", "tests/engine-model.test.ts"],
  },
  checks: {
    mutate: ["engine/grading/checks.ts"],
    // One file per group of check types, each pinning the explanations word for word (under a second each).
    tests: [
      "tests/grading.test.ts",
      "tests/grading-checks-objects.test.ts",
      "tests/grading-checks-endpoints.test.ts",
      "tests/grading-checks-request.test.ts",
      "tests/grading-checks-dns-host-command.test.ts",
      "tests/grading-checks-details.test.ts",
    ],
  },
  api: {
    mutate: ["api/db/cluster-store.ts", "api/auth.ts", "api/clusters.ts"],
    // cheapest first (vitest.mutants.config.ts runs them in this order): a mutant the token tests kill pays for no app
    // api-save-batcher: the only file whose saves go several to a statement (saveManySql's rows after the first) and
    // that reads a stored replay back
    // api-clusters-units, -edges (no database), -rules and -give-back: clusters.ts's rules one by one (its first run
    // left 179 mutants that no listed file told apart, the second 17)
    // api-change-mark, -rules: clusters.ts' change mark (a command that changed nothing saved without its text, a reset
    // with it) and its audit (once in MARK_AUDIT_EVERY unchanged commands, never for a change, no false alarm)
    tests: [
      "tests/api-auth.test.ts",
      "tests/api-clusters-units.test.ts",
      "tests/api-clusters-edges.test.ts",
      "tests/api-auth-http.test.ts",
      "tests/api-clusters-rules.test.ts",
      "tests/api-clusters-give-back.test.ts",
      "tests/api-change-mark.test.ts",
      "tests/api-change-mark-rules.test.ts",
      "tests/api-version-check.test.ts",
      "tests/api-persistence.test.ts",
      "tests/api-save-batcher.test.ts",
      "tests/api-tenancy.test.ts",
    ],
    timeoutMS: 30_000,
  },
  "api-db": {
    mutate: ["api/db/sql.ts", "api/db/save-batcher.ts", "api/db/pg-sql.ts", "api/db/migrate.ts", "api/db/node.ts", "api/db/attempt-store.ts"],
    // db-migrations-diff.test.ts (the migrations replayed on a shadow database, a minute a run) is left out: every
    // mutant of migrate.ts it reaches would pay for it; the diff of the live database covers the same functions.
    // db-attempt-store: attempt-store.ts's rules (one database, no app); db-node-save-pool: the saves' pool's dropped
    // idle connection (db-node names the shared pool's). api-change-mark: the only file whose saves say
    // their text is unchanged (the engine's change mark) and whose audit asks the batcher what it saved last (-rules:
    // and finds it as saved).
    tests: [
      "tests/db-sql-errors.test.ts",
      "tests/db-sql-errors-conflict.test.ts",
      "tests/db-pg-sql.test.ts",
      "tests/db-pg-sql-limits.test.ts",
      "tests/db-pg-sql-broken.test.ts",
      "tests/db-attempt-store.test.ts",
      "tests/db-node-save-pool.test.ts",
      "tests/db-migrations.test.ts",
      "tests/db-migrations-drift.test.ts",
      "tests/api-persistence.test.ts",
      "tests/api-save-batcher.test.ts",
      "tests/api-save-batcher-alone.test.ts",
      "tests/api-change-mark.test.ts",
      "tests/api-change-mark-rules.test.ts",
      "tests/db-node.test.ts",
    ],
    timeoutMS: 30_000,
  },
};

// `<module>` runs the whole module; `<module>=<file>,<file>` only those of its files (a first run in parts, each part's
// results kept: Stryker's incremental file keeps the results of files outside --mutate).
const args = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const narrowed = new Map(args.map((a) => [a.split("=")[0], a.includes("=") ? a.slice(a.indexOf("=") + 1).split(",") : undefined]));
for (const m of narrowed.keys()) if (!MODULES[m]) throw new Error(`unknown module ${m}: one of ${Object.keys(MODULES).join(", ")}`);
const run = narrowed.size ? [...narrowed.keys()] : Object.keys(MODULES);
mkdirSync("tests/mutants", { recursive: true });
mkdirSync("reports/mutation", { recursive: true });

const rows: string[] = [];
for (const name of run) {
  const m = MODULES[name];
  const started = Date.now();
  const r = spawnSync(
    "npx",
    ["stryker", "run", "--mutate", (narrowed.get(name) ?? m.mutate).join(","), ...(m.timeoutMS ? ["--timeoutMS", String(m.timeoutMS)] : [])],
    {
      stdio: "inherit",
      env: { ...process.env, KUBELAB_MUTANT_MODULE: name, KUBELAB_MUTANT_TESTS: m.tests.join(","), KUBELAB_MUTANT_ISOLATE: m.isolate ? "1" : "0" },
    },
  );
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  if (r.status !== 0 || !existsSync(`reports/mutation/${name}.json`)) {
    rows.push(`${name}: stryker failed (exit ${r.status}) after ${minutes} min`);
    continue;
  }
  rows.push(...summary(name, minutes));
}
console.log(`\nmodule | file | killed | survived | no coverage | timeout | score | minutes\n${rows.join("\n")}`);

function summary(name: string, minutes: string): string[] {
  const report = JSON.parse(readFileSync(`reports/mutation/${name}.json`, "utf8")) as { files: Record<string, { mutants: { status: string }[] }> };
  return Object.entries(report.files).map(([file, f]) => {
    const n = (s: string) => f.mutants.filter((x) => x.status === s).length;
    const detected = n("Killed") + n("Timeout");
    const valid = detected + n("Survived") + n("NoCoverage");
    const score = valid ? ((100 * detected) / valid).toFixed(1) : "-";
    return `${name} | ${file} | ${n("Killed")} | ${n("Survived")} | ${n("NoCoverage")} | ${n("Timeout")} | ${score}% | ${minutes}`;
  });
}

// The vitest config mutation testing runs (scripts/mutants.ts → stryker.config.mjs): only the test files that name
// the rules of the module being mutated (KUBELAB_MUTANT_TESTS, comma-separated, set per module by scripts/mutants.ts),
// so each mutant runs those and nothing else. Lab replays and the course walkthrough are never listed: a rule only
// they catch is a rule no test names, and a mutant surviving there is the signal to write one.
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const listed = process.env.KUBELAB_MUTANT_TESTS?.split(",").filter(Boolean);
// No isolation (KUBELAB_MUTANT_ISOLATE=0, set by scripts/mutants.ts for every module): the test files of one run share
// a worker that keeps the modules loaded, instead of importing the engine (and for api/, Prisma's client, the GraphQL
// schema and the app) again for each file (vitest 4.1 still starts a worker per run, so each mutant pays one import).
// Safe for the engine because it keeps no module-level state a mutant could leave behind (its caches are WeakMaps
// keyed by each test's own objects, and tests/setup/mutants.ts turns its string-keyed memos off). The api modules do
// keep some (statement texts, users ensured, prepared-statement names, the schema engine):
// tests/setup/api-module-state.ts resets it before each test file, as a fresh import would.
const isolate = process.env.KUBELAB_MUTANT_ISOLATE !== "0";
const api = process.env.KUBELAB_MUTANT_MODULE?.startsWith("api") ?? false;

/**
 * The files in the order scripts/mutants.ts lists them, cheapest first, instead of vitest's slowest-first: a mutant
 * stops at its first failing test (Stryker's bail), so a mutant the small unit-level file kills never pays for the
 * next file's database and app.
 */
class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = (listed ?? []).findIndex((l) => f.moduleId.endsWith(l));
      return i < 0 ? Infinity : i;
    };
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: listed?.length ? listed : ["tests/selectors.test.ts"],
    isolate,
    sequence: { sequencer: ListedOrder },
    // a hook's failure fails the suite's tests (vitest marks them skipped, which Stryker counted as Survived)
    runner: "./tests/setup/mutants-runner.ts",
    setupFiles: ["tests/setup/self-checks.ts", "tests/setup/mutants.ts", ...(api && !isolate ? ["tests/setup/api-module-state.ts"] : [])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

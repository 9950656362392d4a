// The vitest config mutation testing runs (scripts/mutants.ts → stryker.config.mjs): only the test files that name
// the rules of the module being mutated (KUBELAB_MUTANT_TESTS, comma-separated, set per module by scripts/mutants.ts),
// so each mutant runs those and nothing else. Lab replays and the course walkthrough are never listed: a rule only
// they catch is a rule no test names, and a mutant surviving there is the signal to write one.
import { defineConfig } from "vitest/config";

const listed = process.env.KUBELAB_MUTANT_TESTS?.split(",").filter(Boolean);
// Engine modules run without isolation (KUBELAB_MUTANT_ISOLATE=0, set by scripts/mutants.ts): the test files are
// re-run in one worker that keeps the engine's modules loaded, instead of loading the whole engine again for each
// mutant. Safe there because the engine keeps no module-level state a mutant could leave behind (its caches are
// WeakMaps keyed by each test's own objects, and tests/setup/mutants.ts turns its string-keyed memos off); the api
// modules do (cached SQL text, users ensured), so they isolate.
const isolate = process.env.KUBELAB_MUTANT_ISOLATE !== "0";

export default defineConfig({
  test: {
    include: listed?.length ? listed : ["tests/selectors.test.ts"],
    isolate,
    setupFiles: ["tests/setup/self-checks.ts", "tests/setup/mutants.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

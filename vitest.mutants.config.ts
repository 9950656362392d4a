// The vitest config mutation testing runs (scripts/mutants.ts → stryker.config.mjs): only the test files that name
// the rules of the module being mutated (KUBELAB_MUTANT_TESTS, comma-separated, set per module by scripts/mutants.ts),
// so each mutant runs those and nothing else. Lab replays and the course walkthrough are never listed: a rule only
// they catch is a rule no test names, and a mutant surviving there is the signal to write one.
import { defineConfig } from "vitest/config";

const listed = process.env.KUBELAB_MUTANT_TESTS?.split(",").filter(Boolean);

export default defineConfig({
  test: {
    include: listed?.length ? listed : ["tests/selectors.test.ts"],
    setupFiles: ["tests/setup/self-checks.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

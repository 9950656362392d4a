// Mutation testing: `npm run test:mutants` (scripts/mutants.ts runs Stryker once per module with that module's own
// test files; not part of npm test). Scores and the survivors explained: tests/README.md.
// Incremental: each module's results are kept in tests/mutants/<module>.json (committed), so the next run re-tests
// only the mutants whose code or covering tests changed.
// scripts/mutants.ts names the module (KUBELAB_MUTANT_MODULE) and passes its files with --mutate.
const module = process.env.KUBELAB_MUTANT_MODULE ?? "all";

export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutants.config.ts", related: false },
  coverageAnalysis: "perTest",
  ignoreStatic: true,
  incremental: true,
  incrementalFile: `tests/mutants/${module}.json`,
  concurrency: 2,
  // a mutant that loops (the lexer's, the allocators' scans) is cut off 5 s past the test time it normally takes
  timeoutMS: 5000,
  // the api module's first (coverage) run creates a database per test file: minutes on a shared 2-core machine
  dryRunTimeoutMinutes: 20,
  reporters: ["clear-text", "progress-append-only", "json"],
  jsonReporter: { fileName: `reports/mutation/${module}.json` },
  // TypeScript 7 has no parseConfigFileTextToJson: Stryker must not rewrite tsconfig.json (the sandbox keeps the
  // project's relative layout, so it needs no rewrite). A file name that does not exist turns the rewrite off.
  tsconfigFile: "tsconfig.stryker-none.json",
  tempDirName: `.stryker-tmp/${module}`,
  ignorePatterns: ["bench/results.json", ".data", "dist", "reports", ".stryker-tmp", "tests/mutants"],
  cleanTempDir: "always",
};

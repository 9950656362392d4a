// The test runner of mutation runs (vitest.mutants.config.ts): vitest's own, plus one rule. A hook that fails
// (beforeAll / afterAll: the database, the app, a fixture) fails its suite, and vitest marks the suite's tests
// SKIPPED, not failed; Stryker's vitest runner counts only failed tests, so a mutant that breaks a hook — e.g.
// databaseForUrl or readMigrations emptied, which every api test file's beforeAll calls through createTestDatabase —
// was counted as Survived although every test of the file stopped. Here the tests of a suite that failed on its own
// (its hook's error, not a child's failure) are reported failed with that error.
import { updateTask, type Suite, type Task } from "@vitest/runner";
import { VitestTestRunner } from "vitest/runners";

function tests(t: Task): Task[] {
  return t.type === "suite" ? t.tasks.flatMap(tests) : [t];
}

export default class MutantsRunner extends VitestTestRunner {
  override async onAfterRunSuite(suite: Suite): Promise<void> {
    await super.onAfterRunSuite(suite);
    const errors = suite.result?.state === "fail" ? suite.result.errors : undefined;
    if (!errors?.length) return;
    for (const t of tests(suite)) {
      if (t.result?.state === "fail") continue;
      t.result = { ...t.result, state: "fail", errors };
      updateTask("test-finished", t, this as never);
    }
  }
}

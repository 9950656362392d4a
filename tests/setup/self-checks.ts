// Self-checks every test runs with (vitest setupFiles): the shortcuts that trust an invariant verify it instead.
//  - engine/stored-memo.ts: each memo hit is computed again and compared, so an engine write that changes an object
//    without a new resourceVersion fails the test that made it; the same switch makes engine/pod-reads.ts build
//    every remembered pod read again and compare (StalePodReadError).
//  - api/engine-cache.ts: every engine a request gives back must hold exactly the state it was saved or read with,
//    so a read (or anything after a save) that changed its engine fails the test that made it.
//  - engine/controllers/reconcile.ts: a controller skipped because nothing it reads changed is run anyway and must
//    change nothing, so an incomplete `reads` list (or a write without a new resourceVersion) fails the test.
//  - engine/change-mark.ts: every public write of a Cluster (exec, apply, label, request…) that leaves its change mark
//    where it was must leave its stored text byte for byte, so a write path that moves nothing the mark reads fails
//    the test that took it.
import { afterEach, expect } from "vitest";
import { verifyStoredMemo } from "../../engine/stored-memo.ts";
import { leaseChecks } from "../../api/engine-cache.ts";
import { reconcileChecks } from "../../engine/controllers/reconcile.ts";
import { changeChecks } from "../../engine/change-mark.ts";

verifyStoredMemo(true);
leaseChecks.on = true;
reconcileChecks.on = true;
changeChecks.on = true;

afterEach(() => {
  expect(leaseChecks.violations.splice(0), "engines changed after they were saved or read").toEqual([]);
  expect(reconcileChecks.violations.splice(0), "controllers skipped that had work").toEqual([]);
  expect(changeChecks.violations.splice(0), "writes that left the change mark").toEqual([]);
});

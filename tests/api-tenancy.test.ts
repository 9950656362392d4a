// Tenancy as a table: every principal × every door × every target, through the public API (GraphQL over HTTP, SSE
// and the web lab's WebSocket; the Kubernetes API facade).
//
//   principals: student, instructor, grader × (the target's course, another course, no course) × (owner, not owner)
//   targets:    a cluster in a course, a cluster made without a course, a deleted cluster; the submitted attempts of
//               both clusters; the course
//   doors:      tests/tenancy/doors.ts — each GraphQL query, mutation and subscription that takes a cluster, an
//               attempt or a course, the grade exports, the lab page's data (picture, completions, kubeconfig,
//               transcript, reports), the Kubernetes API facade (/k8s/clusters/<id>/…) with every kind of token, and
//               GraphQL over the web lab's WebSocket (every GraphQL door again, the subscription, the socket's tokens)
//   rules:      tests/tenancy/rules.ts — who may read and who may write, written once
//
// Each row asserts that the door lets exactly the principals its rule names through, and that a refusal is exactly
// what the same principal gets for an id that does not exist (same status, same body, the id aside).
// Then the two implementations of "who may read a cluster" — the hot path's SQL (api/db/cluster-store.ts, via
// findReadableCluster) and the Prisma filter (readableWhere: the subscription, and anything else on Prisma) — are
// run against each other and against the rule for every principal and every cluster.
//
// ADDING A DOOR (a new API, a new page's data, …): add ONE entry to DOORS in
// tests/tenancy/doors.ts — its name, what it takes ("cluster" | "attempt" | "course"), its rule (rules.ts) and a
// `call(t, token, id)` that goes through it and returns { ok: true } or { ok: false, seen: <the whole answer with the
// id replaced by <id>> }. The table below crosses it with every principal and target; nothing here changes.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/db-app.ts";
import { DOORS, LAB, type Door, type Takes } from "./tenancy/doors.ts";
import { closeSockets } from "./tenancy/socket.ts";
import { RULES, type Target } from "./tenancy/rules.ts";
import { findReadableCluster, readableWhere } from "../api/clusters.ts";
import { loadOwnCluster } from "../api/db/cluster-store.ts";
import { openAttemptProgress } from "../api/db/attempt-store.ts";
import type { Context } from "../api/context.ts";
import type { Principal, Role } from "../api/auth.ts";

const COURSE = "course-one";
const OTHER_COURSE = "course-two";
const ROLES: Role[] = ["student", "instructor", "grader"];
const RELATIONS = ["same course", "other course", "no course"] as const;

let t: TestApp;
const targets: Record<Takes, Target[]> = { cluster: [], attempt: [], course: [] };
const missing: Record<Takes, string> = { cluster: randomUUID(), attempt: randomUUID(), course: "course-missing" };

interface Row {
  who: string;
  principal: Principal;
  target: Target;
}

/** The 18 principals for one target: role × course relation × owner or not. */
function principalsFor(target: Target): Row[] {
  const rows: Row[] = [];
  for (const role of ROLES)
    for (const rel of RELATIONS)
      for (const owner of [true, false]) {
        const course = rel === "same course" ? (target.course ?? undefined) : rel === "other course" ? OTHER_COURSE : undefined;
        const sub = owner ? target.owner : `stranger-${role}-${rel.replace(" ", "-")}`;
        rows.push({ who: `${role}, ${rel}, ${owner ? "owner" : "not owner"}`, principal: { sub, role, ...(course ? { course } : {}) }, target });
      }
  return rows;
}

const CREATE = `mutation($n: String!) { createCluster(input: { name: $n, labSlug: "${LAB}", seed: 7 }) { __typename ... on CreateClusterPayload { cluster { id } } ... on Error { message } } }`;

async function ownerToken(owner: string, course: string | null): Promise<string> {
  return t.token({ sub: owner, role: "student", ...(course ? { course } : {}) });
}

let made = 0;
async function labCluster(owner: string, course: string | null): Promise<string> {
  const r = await t.gql(await ownerToken(owner, course), CREATE, { n: `tenancy-${made++}` });
  expect(r.data?.createCluster?.__typename, JSON.stringify(r)).toBe("CreateClusterPayload");
  return r.data.createCluster.cluster.id;
}

async function submitted(owner: string, course: string | null, clusterId: string): Promise<string> {
  const r = await t.gql(
    await ownerToken(owner, course),
    `mutation($id: ID!) { submitLab(input: { clusterId: $id }) { __typename ... on SubmitLabPayload { attempt { id } } ... on Error { message } } }`,
    { id: clusterId },
  );
  expect(r.data?.submitLab?.__typename, JSON.stringify(r)).toBe("SubmitLabPayload");
  return r.data.submitLab.attempt.id;
}

beforeAll(async () => {
  t = await createTestApp();
  const inCourse = await labCluster("owner-in-course", COURSE);
  const noCourse = await labCluster("owner-no-course", null);
  const deleted = await labCluster("owner-in-course", COURSE);
  // one logged mutation each (seq 2: what node(id) of a command-log entry reads)
  for (const [id, owner, course] of [[inCourse, "owner-in-course", COURSE], [noCourse, "owner-no-course", null]] as const) {
    const r = await t.gql(await ownerToken(owner, course), `mutation($id: ID!) { advanceClock(input: { clusterId: $id, seconds: 1 }) { __typename } }`, { id });
    expect(r.data?.advanceClock?.__typename).toBe("AdvanceClockPayload");
  }
  const del = await t.gql(await ownerToken("owner-in-course", COURSE), `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id: deleted });
  expect(del.data?.deleteCluster?.__typename).toBe("DeleteClusterPayload");
  targets.cluster.push(
    { label: "a cluster in a course", id: inCourse, owner: "owner-in-course", course: COURSE, live: true },
    { label: "a cluster without a course", id: noCourse, owner: "owner-no-course", course: null, live: true },
    { label: "a deleted cluster", id: deleted, owner: "owner-in-course", course: COURSE, live: false },
  );
  targets.attempt.push(
    { label: "an attempt in a course", id: await submitted("owner-in-course", COURSE, inCourse), owner: "owner-in-course", course: COURSE, live: true },
    { label: "an attempt without a course", id: await submitted("owner-no-course", null, noCourse), owner: "owner-no-course", course: null, live: true },
  );
  targets.course.push({ label: "the course", id: COURSE, owner: "owner-in-course", course: COURSE, live: true });
}, 120_000);
afterAll(async () => {
  await closeSockets();
  await t?.close();
});

/** The id the row's door is called with: a throwaway cluster of the same owner and course when the door uses it up. */
async function idFor(door: Door, row: Row, allowed: boolean): Promise<string> {
  if (door.fresh && allowed) return labCluster(row.target.owner, row.target.course);
  return row.target.id;
}

/** The rows of one door, built lazily (the targets exist only after beforeAll): one test per door and target. */
const TARGET_LABELS: Record<Takes, string[]> = {
  cluster: ["a cluster in a course", "a cluster without a course", "a deleted cluster"],
  attempt: ["an attempt in a course", "an attempt without a course"],
  course: ["the course"],
};

// Under mutation testing (scripts/mutants.ts sets KUBELAB_MUTANT_MODULE) every mutant of api/ would run the whole
// table: there one door per rule and way in (SQL read, Prisma read, mutateCluster, the lab-cluster check, attempts,
// courses) keeps every principal and target crossing at a fraction of the time.
const QUICK = new Set(["query cluster(id)", "subscription clusterChanged(id)", "mutation label", "mutation checkProgress", "mutation regradeAttempt", "query gradeExport(courseId, CSV)"]);
const doors = process.env.KUBELAB_MUTANT_MODULE ? DOORS.filter((d) => QUICK.has(d.name)) : DOORS;

describe.each(doors)("$name", (door) => {
  for (const label of TARGET_LABELS[door.takes]) {
    describe(label, () => {
      const names = principalsFor({ label, id: "", owner: "", course: label.includes("without") ? null : COURSE, live: true }).map((r) => r.who);
      it.each(names)("%s", async (who) => {
        const target = targets[door.takes].find((x) => x.label === label)!;
        const row = principalsFor(target).find((r) => r.who === who)!;
        const allowed = RULES[door.rule](row.principal, target);
        const token = await t.token(row.principal);
        const id = await idFor(door, row, allowed);
        const got = await door.call(t, token, id);
        // a throwaway cluster the door left live (resetCluster, submitLab) goes, so owners stay under the cluster limit
        if (id !== target.id) await t.gql(await ownerToken(target.owner, target.course), `mutation($id: ID!) { deleteCluster(input: { clusterId: $id }) { __typename } }`, { id });
        if (allowed) {
          expect(got, `${door.name} should let ${who} through to ${label}`).toEqual({ ok: true });
        } else {
          expect(got.ok, `${door.name} should refuse ${who} on ${label}`).toBe(false);
          const none = await door.call(t, token, missing[door.takes]);
          expect(none.ok).toBe(false);
          // indistinguishable from an id that does not exist
          expect(got).toEqual(none);
        }
      });
    });
  }
});

/** Every cluster of the table and a missing id, each with every principal of the table: the agreement tests' cases. */
function everyClusterAndPrincipal(): { target: Target; row: Row }[] {
  const cases: Target[] = [...targets.cluster, { label: "a missing id", id: missing.cluster, owner: "owner-in-course", course: COURSE, live: false }];
  return cases.flatMap((target) => principalsFor(target).map((row) => ({ target, row })));
}

describe("who may read a cluster: the SQL fast path and the Prisma filter are one rule", () => {
  it("agree with each other and with the rule for every principal and every cluster (and a missing id)", async () => {
    const disagreements: string[] = [];
    for (const { target, row } of everyClusterAndPrincipal()) {
      const ctx = { principal: row.principal, sql: t.db.sql, prisma: t.db.prisma } as unknown as Context;
      const bySql = (await findReadableCluster(ctx, target.id))?.id ?? null;
      const byPrisma = (await t.db.prisma.cluster.findFirst({ where: readableWhere(ctx, target.id), select: { id: true } }))?.id ?? null;
      const expected = RULES.readCluster(row.principal, target) ? target.id : null;
      if (bySql !== expected || byPrisma !== expected) disagreements.push(`${row.who} on ${target.label}: SQL ${bySql ? "reads" : "refuses"}, Prisma ${byPrisma ? "reads" : "refuses"}, rule ${expected ? "reads" : "refuses"}`);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("who may write a cluster: the mutations' SQL (loadOwnCluster) and the Prisma filter of one's own clusters are one rule", () => {
  it("agree with each other and with the rule for every principal and every cluster (and a missing id)", async () => {
    const disagreements: string[] = [];
    for (const { target, row } of everyClusterAndPrincipal()) {
      // as mutateCluster reads it: unlocked, and under the row lock (the contended path)
      const bySql = (await loadOwnCluster(t.db.sql, target.id, row.principal.sub))?.id ?? null;
      const byLock = (await loadOwnCluster(t.db.sql, target.id, row.principal.sub, { lock: true }))?.id ?? null;
      // myClusters' filter
      const byPrisma = (await t.db.prisma.cluster.findFirst({ where: { id: target.id, ownerId: row.principal.sub, deletedAt: null }, select: { id: true } }))?.id ?? null;
      const expected = RULES.writeCluster(row.principal, target) ? target.id : null;
      if (bySql !== expected || byLock !== expected || byPrisma !== expected)
        disagreements.push(`${row.who} on ${target.label}: SQL ${bySql ? "reads" : "refuses"}, locked ${byLock ? "reads" : "refuses"}, Prisma ${byPrisma ? "reads" : "refuses"}, rule ${expected ? "reads" : "refuses"}`);
    }
    expect(disagreements).toEqual([]);
  });
});

// A check or a submit opens the cluster's attempt in SQL (api/db/attempt-store.ts, keyed by the cluster alone, after
// the owner check): the attempt it makes decides who reads it later (attempt(id): its student, staff of its course),
// so it must be the cluster's owner's, in the cluster's course, whichever of the owner's tokens (role, course named)
// made the check — and the same row Prisma's `cluster { openAttempt }` finds.
describe("the attempt a check opens (attempt-store's SQL) is its cluster's, and read by exactly the rule's principals", () => {
  it("for every token of the owner (role × course named) on a cluster in a course and one without", async () => {
    const disagreements: string[] = [];
    for (const course of [COURSE, null]) {
      const owner = `attempt-owner-${course ? "in-course" : "no-course"}`;
      for (const role of ROLES)
        for (const rel of RELATIONS) {
          const named = rel === "same course" ? course : rel === "other course" ? OTHER_COURSE : null;
          const checker: Principal = { sub: owner, role, ...(named ? { course: named } : {}) };
          const clusterId = await labCluster(owner, course);
          const r = await t.gql(
            await t.token(checker),
            `mutation($id: ID!) { checkProgress(input: { clusterId: $id }) { __typename ... on CheckProgressPayload { attempt { id } } ... on Error { message } } }`,
            { id: clusterId },
          );
          expect(r.data?.checkProgress?.__typename, JSON.stringify(r)).toBe("CheckProgressPayload");
          const attemptId: string = r.data.checkProgress.attempt.id;
          const label = `${role}, ${rel}, checking ${course ? "a cluster in a course" : "a cluster without a course"}`;
          const bySql = (await openAttemptProgress(t.db.sql, { clusterId, userId: owner, courseId: course, labSlug: LAB })).attemptId;
          const byPrisma = (await t.gql(await ownerToken(owner, course), `query($id: ID!) { cluster(id: $id) { openAttempt { id } } }`, { id: clusterId })).data?.cluster?.openAttempt?.id;
          if (bySql !== attemptId || byPrisma !== attemptId) disagreements.push(`${label}: check opened ${attemptId}, attempt-store reads ${bySql}, Prisma ${byPrisma}`);
          const target: Target = { label, id: attemptId, owner, course, live: true };
          for (const row of principalsFor(target)) {
            const read = await t.gql(await t.token(row.principal), `query($id: ID!) { attempt(id: $id) { id } }`, { id: attemptId });
            const got = read.data?.attempt?.id === attemptId;
            if (got !== RULES.readAttempt(row.principal, target)) disagreements.push(`${label}: ${row.who} ${got ? "reads" : "does not read"} the attempt`);
          }
        }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});

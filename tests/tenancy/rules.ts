// Who may go through a door, written once, independently of the code under test: the tenancy table
// (tests/api-tenancy.test.ts) expects exactly these answers, for every principal and every target.
import type { Principal } from "../../api/auth.ts";

export interface Target {
  /** What the table calls it in test names. */
  label: string;
  id: string;
  /** The student who owns it (a cluster's owner; an attempt's student; for a course, a student of it). */
  owner: string;
  /** The cluster's / attempt's course (null: made with a token without one); for a course target, the course. */
  course: string | null;
  /** False for a deleted cluster: nobody gets it, as if it did not exist. */
  live: boolean;
}

const staff = (p: Principal) => p.role === "instructor" || p.role === "grader";
const staffOf = (p: Principal, course: string | null) => staff(p) && p.course !== undefined && course !== null && p.course === course;

export const RULES = {
  /** Read a cluster: its owner; instructors and graders whose token names the cluster's course. */
  readCluster: (p: Principal, t: Target) => t.live && (p.sub === t.owner || staffOf(p, t.course)),
  /** Change a cluster (or record its grade, reveal its hints): its owner only, whatever the role. */
  writeCluster: (p: Principal, t: Target) => t.live && p.sub === t.owner,
  /** Read an attempt (its transcript, its picture): its student; instructors and graders whose token names its course. */
  readAttempt: (p: Principal, t: Target) => p.sub === t.owner || staffOf(p, t.course),
  /** Nobody: a door no principal gets through with this kind of credential (a token for another cluster, none, …). */
  nobody: (_p: Principal, _t: Target) => false,
  /** One's own live clusters (the list of them). */
  ownCluster: (p: Principal, t: Target) => t.live && p.sub === t.owner,
  /** One's own attempts. */
  ownAttempt: (p: Principal, t: Target) => p.sub === t.owner,
  /** An attempt's or a course's grades: instructors and graders whose token names that course. */
  staffOfCourse: (p: Principal, t: Target) => staffOf(p, t.course),
} as const;

export type RuleName = keyof typeof RULES;

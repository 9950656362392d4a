// Whether a cluster's state changed, without serialising it (issue 16: a command that changes nothing — `kubectl get`,
// `describe`, `cat` — is about half of a lab's lines, and the API serialised and hashed the whole state after each to
// learn it was unchanged). The mark reads what every write moves:
//  - the resourceVersion counter (every API write, creation and deletion, and kubelet's status changes: touchPod),
//  - the clock, the random generator's position, the tail of the event list (a new event, or the last one repeated),
//  - a count of the writes that move none of these (noteWrite): files, `ip addr` addresses, a request's
//    round-robin and session-affinity records and an app's state, kubelet's probe bookkeeping.
// Equal marks mean an identical stored text (Cluster.toJSONText). The test suite checks it on every command it runs
// (changeChecks, tests/setup/self-checks.ts): a write path that moves nothing above fails the test that took it.
import type { ClusterState } from "./state.ts";
import type { KubeEvent } from "./objects.ts";

const sideWrites = new WeakMap<ClusterState, number>();

/** A write to a part of the state the mark does not read otherwise (see above). */
export function noteWrite(st: ClusterState): void {
  sideWrites.set(st, (sideWrites.get(st) ?? 0) + 1);
}

/** The test suite's self-check: every public write of a Cluster that leaves its mark still must leave its text. */
export const changeChecks = { on: false, violations: [] as string[], checked: 0 };

/** What the mark last saw of one cluster, and how many changes it has counted. */
export class ChangeMark {
  private count = 0;
  private rv = 0;
  private now = 0;
  private rng = 0;
  private events: KubeEvent[] | undefined;
  private eventsLength = 0;
  private lastEvent: KubeEvent | undefined;
  private lastCount = 0;
  private lastAt = "";
  private side = 0;

  constructor(private readonly st: ClusterState) {
    this.take();
  }

  /** A number that is the same as an earlier answer only if the state has not changed since. */
  current(): number {
    const st = this.st;
    const ev = st.events;
    const last = ev.length ? ev[ev.length - 1] : undefined;
    if (
      st.rv !== this.rv ||
      st.now !== this.now ||
      st.rng.s !== this.rng ||
      ev !== this.events ||
      ev.length !== this.eventsLength ||
      last !== this.lastEvent ||
      (last !== undefined && (last.count !== this.lastCount || last.lastTimestamp !== this.lastAt)) ||
      (sideWrites.get(st) ?? 0) !== this.side
    ) {
      this.count++;
      this.take();
    }
    return this.count;
  }

  private take(): void {
    const st = this.st;
    this.rv = st.rv;
    this.now = st.now;
    this.rng = st.rng.s;
    this.events = st.events;
    this.eventsLength = st.events.length;
    this.lastEvent = st.events.length ? st.events[st.events.length - 1] : undefined;
    this.lastCount = this.lastEvent?.count ?? 0;
    this.lastAt = this.lastEvent?.lastTimestamp ?? "";
    this.side = sideWrites.get(st) ?? 0;
  }
}

// Grading: every checkpoint of a lab evaluated on a cluster, and the lab's cluster built from scratch (setup) and
// replayed from a command log. Pure: the same lab, seed and commands always give the same grade, which is what
// makes regrading by replay equal the live grade.
import { Cluster } from "../cluster.ts";
import type { CheckpointResult, CommandEntry, GradeResult, Lab, ReplayOp } from "./types.ts";
import { runCheck, type CheckContext } from "./checks.ts";
import { waitSeconds } from "./script.ts";

export interface GradeOptions {
  /** The student's command log, for `command` checks. */
  commandLog?: CommandEntry[];
}

/** Evaluate every checkpoint. The cluster is not changed: request checks run on a private copy. */
export function gradeLab(lab: Lab, cluster: Cluster, opts: GradeOptions = {}): GradeResult {
  const ctx: CheckContext = {
    cluster,
    commandLog: opts.commandLog,
  };
  const checkpoints: CheckpointResult[] = lab.checkpoints.map((cp) => {
    const checks = cp.checks.map((ch) => runCheck(ctx, ch));
    const passed = checks.every((r) => r.passed);
    const failed = checks.filter((r) => !r.passed);
    return {
      id: cp.id,
      title: cp.title,
      passed,
      points: passed ? cp.points : 0,
      maxPoints: cp.points,
      explanation: (passed ? checks : failed).map((r) => r.explanation).join(" "),
      checks,
    };
  });
  return {
    lab: lab.slug,
    score: checkpoints.reduce((n, c) => n + c.points, 0),
    maxScore: lab.checkpoints.reduce((n, c) => n + c.points, 0),
    checkpoints,
  };
}

export class LabSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LabSetupError";
  }
}

/** A fresh cluster for a lab: topology, files on the hosts, setup manifests and commands. */
export function createLabCluster(lab: Lab, seed: number): Cluster {
  const c = Cluster.create({ seed, topology: lab.topology });
  const hosts = c.hosts().map((h) => h.name);
  for (const f of lab.files) for (const h of f.hosts ?? hosts) c.writeFile(f.path, f.content, h);
  for (const step of lab.setup) {
    if ("apply" in step) {
      for (const r of c.apply(step.apply, { source: step.source }))
        if (r.error) throw new LabSetupError(`lab ${lab.slug}: setup apply ${step.source}: ${r.error.message}`);
    } else if ("run" in step) {
      const r = c.exec(step.run, { host: step.host, historyExpansion: false }); // a script's line: no history expansion
      if (r.exitCode !== 0) throw new LabSetupError(`lab ${lab.slug}: setup command "${step.run}" failed (exit ${r.exitCode}): ${r.stderr.trim() || r.stdout.trim()}`);
    } else c.advance(step.wait);
  }
  return c;
}

export interface CommandOutcome {
  entry: CommandEntry;
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * One API mutation replayed through the Cluster's typed operation, the same call the mutation made. An operation
 * that fails (which a faithful replay never does: the live one succeeded, or it would not be in the log) is reported
 * like a failed command, exit code 1, and replay goes on.
 */
export function runReplayOp(c: Cluster, op: ReplayOp): { stdout: string; stderr: string; exitCode: number } {
  try {
    switch (op.op) {
      case "apply": {
        const results = c.apply(op.yaml, op.namespace !== undefined ? { namespace: op.namespace, namespaceExplicit: true } : {});
        const ok = results.filter((r) => !r.error).map((r) => `${r.resource}/${r.name} ${r.action}\n`);
        const bad = results.filter((r) => r.error).map((r) => `error: ${r.error!.message}\n`);
        return { stdout: ok.join(""), stderr: bad.join(""), exitCode: bad.length ? 1 : 0 };
      }
      case "label": {
        const out: string[] = [];
        for (const n of op.names) {
          const r = c.label(op.kind, n, op.namespace, { set: Object.fromEntries(op.set), remove: op.remove, overwrite: op.overwrite, ...(op.manager ? { manager: op.manager } : {}) });
          out.push(`${r.resource}/${r.name} ${r.changed ? "labeled" : "not labeled"}\n`);
        }
        return { stdout: out.join(""), stderr: "", exitCode: 0 };
      }
      case "scale":
        c.scale(op.kind, op.name, op.namespace, op.replicas);
        return { stdout: `${op.kind.toLowerCase()}/${op.name} scaled\n`, stderr: "", exitCode: 0 };
      case "delete":
        c.delete(op.kind, op.name, op.namespace, op.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: op.gracePeriodSeconds } : {});
        if (op.await) c.awaitDeletion(op.name, op.namespace);
        return { stdout: `${op.kind.toLowerCase()} "${op.name}" deleted\n`, stderr: "", exitCode: 0 };
      case "deleteCollection": {
        const grace = op.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: op.gracePeriodSeconds } : {};
        for (const n of op.names) c.delete(op.kind, n, op.namespace, grace);
        if (op.await) for (const n of op.names) c.awaitDeletion(n, op.namespace);
        return { stdout: op.names.map((n) => `${op.kind.toLowerCase()} "${n}" deleted\n`).join(""), stderr: "", exitCode: 0 };
      }
      case "create": {
        const [r] = c.apply([JSON.parse(op.json)], { mode: "create", ...(op.namespace !== undefined ? { namespace: op.namespace, namespaceExplicit: true } : {}), ...(op.manager ? { manager: op.manager } : {}) });
        if (r.error) return { stdout: "", stderr: `error: ${r.error.message}\n`, exitCode: 1 };
        return { stdout: `${r.resource}/${r.name} created\n`, stderr: "", exitCode: 0 };
      }
      case "replace": {
        const o = JSON.parse(op.json) as { kind?: string; metadata?: { name?: string } };
        c.replace(o, op.manager ? { manager: op.manager } : {});
        return { stdout: `${String(o.kind).toLowerCase()}/${String(o.metadata?.name)} replaced\n`, stderr: "", exitCode: 0 };
      }
      case "requests": {
        let failed = 0;
        for (let i = 0; i < op.count; i++) if (!c.request(op.request).ok) failed++;
        return { stdout: `${op.count - failed}/${op.count} answered\n`, stderr: "", exitCode: failed ? 7 : 0 };
      }
      case "advance":
        c.advance(op.seconds);
        return { stdout: "", stderr: "", exitCode: 0 };
    }
  } catch (e) {
    if (e instanceof Error) return { stdout: "", stderr: `error: ${e.message}\n`, exitCode: 1 };
    throw e;
  }
}

/**
 * Run command entries in order (`wait N` / `sleep N` advance the virtual clock; an entry with a typed `op` runs
 * that operation instead of its line); returns what each printed.
 */
export function runCommands(c: Cluster, commands: CommandEntry[]): CommandOutcome[] {
  const out: CommandOutcome[] = [];
  for (const entry of commands) {
    if (entry.op) {
      out.push({ entry, ...runReplayOp(c, entry.op) });
      continue;
    }
    // a line bash's history expansion changed runs as it ran live; one whose expansion failed ran nothing. History is
    // not expanded again: the log's own lines (from before a reset, or past what the API reads) need not be at hand.
    if (entry.ran === false) {
      out.push({ entry, stdout: "", stderr: "", exitCode: 1 });
      continue;
    }
    const line = entry.ran ?? entry.line;
    const secs = waitSeconds(line);
    if (secs !== undefined) {
      c.advance(secs);
      out.push({ entry, stdout: "", stderr: "", exitCode: 0 });
      continue;
    }
    const r = c.exec(line, { host: entry.host, stdin: entry.stdin, historyExpansion: false, ...(entry.cwd !== undefined ? { cwd: entry.cwd } : {}), ...(entry.env ? { env: entry.env } : {}) });
    out.push({ entry, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode });
  }
  return out;
}

/** Regrading: the lab's fresh cluster for `seed`, with the command log replayed on it. */
export function replayAttempt(lab: Lab, seed: number, commands: (CommandEntry | string)[]): Cluster {
  const c = createLabCluster(lab, seed);
  runCommands(c, commands.map((e) => (typeof e === "string" ? { line: e } : e)));
  return c;
}

/** Replay and grade in one go (offline grading, regrading). */
export function gradeCommands(lab: Lab, seed: number, commands: (CommandEntry | string)[]): GradeResult {
  const entries = commands.map((e) => (typeof e === "string" ? { line: e } : e));
  return gradeLab(lab, replayAttempt(lab, seed, entries), { commandLog: entries });
}

// Offline grading, no database: run a command script on a fresh lab cluster and print the graded result.
//
//   npm run grade -- --lab SLUG --commands FILE [--format json|gradescope|junit|text] [--seed N] [--transcript] [--strict]
//
// FILE follows the solution.sh convention (see engine/grading/script.ts); `-` reads standard input; `--solution`
// grades the lab's own reference solution; `--transcript` prints every command's output on stderr. Exit code 0
// once graded (whatever the score; with --strict, 1 unless every checkpoint passed), 2 on usage or file errors.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { gradeLab, gradescopeResults, junitXml, parseScript, replayAttempt, runCommands, createLabCluster, ScriptError } from "../engine/grading/index.ts";
import type { CommandEntry, GradeResult } from "../engine/grading/index.ts";
import { getLab, LABS } from "../labs/catalog.ts";

function usage(msg?: string): never {
  if (msg) console.error(`grade: ${msg}`);
  console.error(
    "usage: npm run grade -- --lab SLUG (--commands FILE | --solution) [--format json|gradescope|junit|text] [--seed N] [--transcript] [--strict]\n" +
      `labs: ${LABS.map((l) => l.slug).join(", ")}`,
  );
  process.exit(2);
}

function text(r: GradeResult): string {
  const lines = [`${r.lab}: ${r.score}/${r.maxScore}`];
  for (const cp of r.checkpoints) lines.push(`${cp.passed ? "PASS" : "FAIL"} ${cp.id} (${cp.points}/${cp.maxPoints}) ${cp.title}`, `     ${cp.explanation}`);
  return lines.join("\n") + "\n";
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        lab: { type: "string" },
        commands: { type: "string" },
        solution: { type: "boolean" },
        format: { type: "string", default: "json" },
        seed: { type: "string", default: "1" },
        transcript: { type: "boolean" },
        strict: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (args.help) usage();
  if (!args.lab) usage("--lab is required");
  const lab = getLab(args.lab);
  if (!lab) usage(`unknown lab "${args.lab}"`);
  const seed = Number(args.seed);
  if (!Number.isInteger(seed) || seed < 0) usage(`--seed must be a non-negative integer, got "${args.seed}"`);
  let commands: CommandEntry[];
  if (args.solution) commands = lab.solution;
  else {
    if (!args.commands) usage("--commands FILE (or --solution) is required");
    let src: string;
    try {
      src = readFileSync(args.commands === "-" ? 0 : args.commands, "utf8");
    } catch (e) {
      usage(`cannot read ${args.commands}: ${(e as Error).message}`);
    }
    try {
      commands = parseScript(src);
    } catch (e) {
      if (e instanceof ScriptError) usage(`${args.commands}: ${e.message}`);
      throw e;
    }
  }
  const started = performance.now();
  let cluster;
  if (args.transcript) {
    cluster = createLabCluster(lab, seed);
    for (const o of runCommands(cluster, commands)) {
      process.stderr.write(`[root@${o.entry.host ?? "master01"} ~]# ${o.entry.line}\n${o.stdout}${o.stderr}`);
    }
  } else cluster = replayAttempt(lab, seed, commands);
  const result = gradeLab(lab, cluster, { commandLog: commands });
  const seconds = Math.round(performance.now() - started) / 1000;
  switch (args.format) {
    case "json":
      process.stdout.write(
        JSON.stringify(
          {
            lab: result.lab,
            seed,
            score: result.score,
            maxScore: result.maxScore,
            checkpoints: result.checkpoints.map((c) => ({ id: c.id, title: c.title, passed: c.passed, points: c.points, maxPoints: c.maxPoints, explanation: c.explanation })),
          },
          null,
          2,
        ) + "\n",
      );
      break;
    case "gradescope":
      process.stdout.write(JSON.stringify(gradescopeResults(result, { executionTime: seconds }), null, 2) + "\n");
      break;
    case "junit":
      process.stdout.write(junitXml(result));
      break;
    case "text":
      process.stdout.write(text(result));
      break;
    default:
      usage(`unknown --format "${args.format}" (json, gradescope, junit, text)`);
  }
  process.exit(args.strict && result.score !== result.maxScore ? 1 : 0);
}

main();

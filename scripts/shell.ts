// `npm run shell` — the lab terminal in your console, on a fresh simulated cluster.
//
//   npm run shell                          # the course's cluster (master01, node01, node02), prompt on master01
//   npm run shell -- --host node01         # start on node01
//   npm run shell -- --seed 7              # another cluster (pod names, IPs and placement change with the seed)
//   npm run shell -- --lab clusterip-services   # a lab's cluster: its files placed and its setup run
//
// Inside: `ssh node01` / `exit` switch hosts, `kubectl exec -it POD -- sh` opens a shell in a pod, `sleep N` or
// `wait N` advance the virtual clock, `:grade` grades the lab (with --lab), `:help` lists these, Ctrl-D quits.
// vi / vim / nano / kubectl edit open the host's $VISUAL or $EDITOR (vi by default) on a temporary copy.
import { createInterface } from "node:readline";
import { Cluster } from "../engine/index.ts";
import { runLine } from "../engine/shell/exec.ts";
import type { ShellState } from "../engine/shell/context.ts";
import { ShellSession } from "../engine/shell/session.ts";
import { editOnHost } from "./shell-editor.ts";

function usage(code: number): never {
  process.stdout.write("usage: npm run shell -- [--seed N] [--host NODE] [--lab SLUG]\n");
  process.exit(code);
}

const argv = process.argv.slice(2);
let seed = 1;
let host = "master01";
let labSlug: string | undefined;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    const v = a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i];
    if (v === undefined) usage(2);
    return v;
  };
  if (a === "--seed" || a.startsWith("--seed=")) seed = Number(val());
  else if (a === "--host" || a.startsWith("--host=")) host = val();
  else if (a === "--lab" || a.startsWith("--lab=")) labSlug = val();
  else if (a === "-h" || a === "--help") usage(0);
  else usage(2);
}
if (!Number.isInteger(seed)) usage(2);

type Grader = () => string;
let cluster: Cluster;
let grade: Grader | undefined;
let labTitle = "";
if (labSlug) {
  const { getLab, listLabs } = await import("../labs/catalog.ts");
  const { createLabCluster, gradeLab } = await import("../engine/grading/grade.ts");
  const lab = getLab(labSlug);
  if (!lab) {
    process.stderr.write(`unknown lab "${labSlug}"; labs: ${listLabs().map((l) => l.slug).join(", ")}\n`);
    process.exit(2);
  }
  cluster = createLabCluster(lab, seed);
  labTitle = lab.title;
  grade = () => {
    const r = gradeLab(lab, cluster);
    const lines = r.checkpoints.map((cp) => `${cp.passed ? "✔" : "✘"} ${cp.title} (${cp.points}/${cp.maxPoints})${cp.passed ? "" : `\n    ${cp.explanation.split("\n").join("\n    ")}`}`);
    return `${lines.join("\n")}\nscore: ${r.score}/${r.maxScore}\n`;
  };
} else cluster = Cluster.create({ seed });

if (!cluster.hosts().some((h) => h.name === host)) {
  process.stderr.write(`unknown host "${host}"; nodes: ${cluster.hosts().map((h) => h.name).join(", ")}\n`);
  process.exit(2);
}

// The session (engine/shell/session.ts, shared with the web lab): the shell stack, the prompt, here-documents.
const session = new ShellSession(() => cluster.hosts(), { host, cwd: "/root", env: {} });
const prompt = () => session.prompt();

const HELP = `kubelab terminal — a simulated Kubernetes v1.19 cluster (${cluster.hosts().map((h) => `${h.name} ${h.ip}`).join(", ")})
  ssh NODE / exit         switch host (exit on the first host quits)
  kubectl exec -it POD -- sh   a shell inside a pod (curl, nslookup, cat /etc/resolv.conf …)
  sleep N / wait N        advance the virtual clock N seconds (probes and controllers run)
  :grade                  grade the lab (with --lab)
  :time                   show the virtual clock
  :help                   this text; Ctrl-D quits
`;

const welcome = labSlug
  ? `kubelab — lab "${labTitle}" (seed ${seed}). Type :help for help, :grade to check your work.\n`
  : `kubelab — a simulated Kubernetes v1.19 cluster (seed ${seed}). Type :help for help.\n`;
process.stdout.write(welcome);

/** Every line typed (what `history` lists). */
const typed: string[] = [];

const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: prompt(), historySize: 1000, terminal: process.stdin.isTTY });

function handle(line: string): void {
  const trimmed = line.trim();
  if (trimmed === ":help") return void process.stdout.write(HELP);
  if (trimmed === ":time") return void process.stdout.write(cluster.now() + "\n");
  if (trimmed === ":grade") return void process.stdout.write(grade ? grade() : "no lab loaded; start with --lab SLUG\n");
  const step = session.line(line, cluster.nowSeconds());
  switch (step.kind) {
    case "none":
    case "more":
      return;
    case "quit":
      return void rl.close();
    case "print":
      return void process.stdout.write(step.text);
    case "enter": {
      const check = runLine(cluster, step.check, { ...session.frame, env: { ...session.frame.env } });
      if (check.exitCode !== 0) return void process.stdout.write(check.stdout + check.stderr);
      return session.enter(step.frame);
    }
    case "run": {
      const st: ShellState = session.frame;
      st.history = typed.slice(0, -1);
      let r = runLine(cluster, step.line, st);
      if (r.editor && process.stdin.isTTY && r.editor.host === st.host) {
        // A terminal here: the host's editor instead of the editor's no-terminal warnings.
        rl.pause();
        const next = editOnHost(r.editor);
        rl.resume();
        if (r.stdout) process.stdout.write(r.stdout);
        r = next ? runLine(cluster, next.line, st, next.stdin) : { stdout: "", stderr: "", exitCode: 0 };
      }
      if (r.stdout) process.stdout.write(r.stdout);
      if (r.stderr) process.stderr.write(r.stderr);
      if (st.exited !== undefined) {
        delete st.exited;
        if (!session.leave()) rl.close();
      }
    }
  }
}

process.stdout.on("error", () => process.exit(0)); // e.g. piped into head
rl.prompt();
rl.on("line", (line) => {
  if (line.trim()) typed.push(line);
  try {
    handle(line);
  } catch (e) {
    process.stderr.write(`kubelab: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  rl.setPrompt(prompt());
  rl.prompt();
});
rl.on("close", () => {
  process.stdout.write("\n");
  process.exit(0);
});

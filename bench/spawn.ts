// Start bench/server.ts (or another bench server script that prints `LISTENING <port>`) in a child process and wait
// for its port.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..");

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** `nodeArgs`: options for node itself (e.g. `--expose-gc`, `--max-old-space-size=…`). */
export async function startServer(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = [], script = "server.ts"): Promise<ServerProcess> {
  const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  // With node options, load tsx as an import hook so the options reach the process that runs the server (tsx's CLI
  // starts a second node and does not pass them on).
  const entry = nodeArgs.length ? [...nodeArgs, "--import", "tsx", join(HERE, script)] : [tsx, join(HERE, script)];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // a bench that dies (an exception, Ctrl-C) takes its servers with it instead of leaving them serving
  const orphan = () => child.kill("SIGKILL");
  process.once("exit", orphan);
  child.once("exit", () => process.removeListener("exit", orphan));
  let err = "";
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    if (err.length > 20_000) err = err.slice(-10_000);
  });
  // BENCH_SERVER_STDOUT=<file>: the server's standard output (e.g. --trace-gc's lines) is appended there
  const tee = process.env.BENCH_SERVER_STDOUT ? createWriteStream(process.env.BENCH_SERVER_STDOUT, { flags: "a" }) : undefined;
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    let listening = false;
    const t = setTimeout(() => reject(new Error(`server did not start in 60 s: ${err.slice(-2000)}`)), 60_000);
    child.stdout!.on("data", (d: Buffer) => {
      tee?.write(d);
      // (once listening, nothing more is kept: a server that writes on, --trace-gc, would grow this for nothing)
      if (listening) return;
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        listening = true;
        out = "";
        clearTimeout(t);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`server exited (${code}) before listening: ${err.slice(-2000)}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stderr: () => err,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

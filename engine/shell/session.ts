// An interactive terminal session on the simulated cluster, pure: the stack of shells (`ssh node01` and
// `kubectl exec -it POD -- sh` push one, `exit` pops it), the prompt, and here-documents read over several lines.
// It decides what a typed line means; running it is the caller's: `npm run shell` runs lines on a Cluster in-process,
// the web lab sends them to the API's `exec` mutation. Both print the same prompt and the same ssh/exit messages.

export interface Frame {
  /** A node name, or `pod:<namespace>/<name>`. */
  host: string;
  cwd: string;
  env: Record<string, string>;
}

export interface HostInfo {
  name: string;
  ip: string;
}

export type Step =
  /** Print this (ssh's banner, logout…); nothing runs on the cluster. */
  | { kind: "print"; text: string }
  /** Run `line` on `host` (its here-document bodies included, after newlines). */
  | { kind: "run"; line: string; host: string }
  /**
   * `kubectl exec -it POD -- sh` (or TYPE/NAME): run `check` on `host`; if it exits 0, call enter(enteredFrame(step,
   * its stdout)), else print its output. `podFromCheck`: the pod is the one kubectl picked for TYPE/NAME, whose
   * hostname the check prints.
   */
  | { kind: "enter"; check: string; host: string; frame: Frame; podFromCheck?: true }
  /** A here-document is open: read another line (prompt `> `). */
  | { kind: "more"; prompt: string }
  /** `exit` in the first shell: the session is over. */
  | { kind: "quit" }
  /** An empty line. */
  | { kind: "none" };

const EXEC_IT = /^kubectl\s+exec\s+(?:-it|-ti|-i\s+-t|-t\s+-i)\s+(?:(?:-n|--namespace)\s+(\S+)\s+)?(?:pod\/)?(\S+)\s+(?:(?:-c|--container)\s+\S+\s+)?--\s+(?:\/bin\/)?(sh|bash|ash)\s*$/;
const SSH = /^ssh\s+(?:root@)?(\S+)\s*$/;
const HEREDOC = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** The shell an `enter` step opens once its check passed with `stdout`. */
export function enteredFrame(step: Extract<Step, { kind: "enter" }>, stdout: string): Frame {
  return step.podFromCheck ? { ...step.frame, host: step.frame.host + stdout.trim() } : step.frame;
}

/** sshd's "Last login" date: `Sun Dec  5 16:00:00 2021` (ctime format, UTC). */
export function sshdDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** `[root@master01 ~]# `; in a pod, the pod's name and its directory. */
export function promptFor(frame: Frame): string {
  const pod = /^pod:(?:[^/]+\/)?(.+)$/.exec(frame.host);
  const name = pod ? pod[1] : frame.host;
  const dir = frame.cwd === "/root" ? "~" : frame.cwd === "/" ? "/" : frame.cwd.split("/").pop();
  return `[root@${name} ${dir}]# `;
}

export class ShellSession {
  private readonly frames: Frame[];
  private heredoc: { lines: string[]; delims: { word: string; strip: boolean }[] } | undefined;

  constructor(
    private readonly hosts: () => HostInfo[],
    first: Frame = { host: "master01", cwd: "/root", env: {} },
  ) {
    this.frames = [first];
  }

  get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  /** How many shells deep (1: the first host). */
  get depth(): number {
    return this.frames.length;
  }

  prompt(): string {
    return this.heredoc ? "> " : promptFor(this.frame);
  }

  /** Abandons a half-read here-document (Ctrl-C). */
  interrupt(): void {
    this.heredoc = undefined;
  }

  /** What one typed line means. `nowSeconds`: the cluster's virtual clock, for ssh's banner. */
  line(text: string, nowSeconds: number): Step {
    if (this.heredoc) {
      const h = this.heredoc;
      h.lines.push(text);
      const d = h.delims[0];
      if ((d.strip ? text.replace(/^\t+/, "") : text) === d.word) h.delims.shift();
      if (h.delims.length) return { kind: "more", prompt: "> " };
      this.heredoc = undefined;
      return { kind: "run", line: h.lines.join("\n"), host: this.frame.host };
    }
    const trimmed = text.trim();
    if (!trimmed) return { kind: "none" };
    const delims = [...text.matchAll(HEREDOC)].map((m) => ({ word: m[3], strip: m[1] === "-" }));
    if (delims.length && !/<<</.test(text)) {
      this.heredoc = { lines: [text], delims };
      return { kind: "more", prompt: "> " };
    }
    const cur = this.frame;
    if (trimmed === "exit" || trimmed === "logout" || /^exit \d+$/.test(trimmed)) {
      if (this.frames.length === 1) return { kind: "quit" };
      const left = this.frames.pop()!;
      return { kind: "print", text: left.host.startsWith("pod:") ? "" : `logout\nConnection to ${left.host} closed.\n` };
    }
    const ssh = SSH.exec(trimmed);
    if (ssh && !cur.host.startsWith("pod:")) {
      const all = this.hosts();
      const node = all.find((h) => h.name === ssh[1] || h.ip === ssh[1]);
      if (!node) return { kind: "print", text: `ssh: Could not resolve hostname ${ssh[1]}: Name or service not known\n` };
      this.frames.push({ host: node.name, cwd: "/root", env: {} });
      return { kind: "print", text: `Last login: ${sshdDate(nowSeconds)} from ${all.find((h) => h.name === cur.host)?.ip ?? "192.168.2.100"}\n` };
    }
    const execIt = EXEC_IT.exec(trimmed);
    if (execIt && !cur.host.startsWith("pod:")) {
      const ns = execIt[1] ?? "default";
      // deploy/web, svc/web…: kubectl attaches to one of its pods, which the check names (a pod's hostname is its name)
      if (execIt[2].includes("/"))
        return { kind: "enter", check: `kubectl exec -n ${ns} ${execIt[2]} -- hostname`, host: cur.host, frame: { host: `pod:${ns}/`, cwd: "/", env: {} }, podFromCheck: true };
      return { kind: "enter", check: `kubectl exec -n ${ns} ${execIt[2]} -- true`, host: cur.host, frame: { host: `pod:${ns}/${execIt[2]}`, cwd: "/", env: {} } };
    }
    return { kind: "run", line: text, host: cur.host };
  }

  /** After an `enter` step's check passed. */
  enter(frame: Frame): void {
    this.frames.push(frame);
  }

  /** The shell ran `exit` inside a line (`true && exit`): leave it. Returns false when that was the first shell. */
  leave(): boolean {
    if (this.frames.length === 1) return false;
    this.frames.pop();
    return true;
  }
}

// A V8 CPU profile (.cpuprofile) as the profile readers use it, and where a frame's code lives: a package of
// node_modules folded into its name, a file of this repository as its path in the checkout.

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** "(native)" for no URL, `pg` or `@scope/name` for a package, `api/app.ts` for a file of a checkout under /work/. */
export function codeOf(url: string): string {
  if (!url) return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const i = url.indexOf("/work/");
  return i >= 0 ? url.slice(url.indexOf("/", i + 6) + 1) : url.replace(/^file:\/\//, "");
}

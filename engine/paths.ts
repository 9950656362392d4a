// Paths on a simulated host: `~` is /root (where every terminal starts), relative paths are resolved against the
// current directory, `.` and `..` segments are folded.

export const HOME = "/root";

export function resolvePath(cwd: string, p: string): string {
  let path = p;
  if (path === "~" || path.startsWith("~/")) path = HOME + path.slice(1);
  if (!path.startsWith("/")) path = (cwd === "/" ? "" : cwd) + "/" + path;
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  return "/" + out.join("/");
}

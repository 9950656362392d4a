// The page's routes, matched on location.pathname; links are plain <a href> that navigate() intercepts, so the
// server serves index.html for every route (api/web-assets.ts) and a reload lands on the same page.
import { signal } from "@preact/signals";

export type Route =
  | { name: "labs" }
  | { name: "lab"; slug: string }
  /** The instructor's pages (`/teach`, `/teach/<rest>`): `rest` is the path after /teach/, "" for /teach. */
  | { name: "teach"; rest: string }
  | { name: "not-found"; path: string };

export function match(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { name: "labs" };
  const lab = /^\/labs\/([a-z0-9][a-z0-9-]*)\/?$/.exec(pathname);
  if (lab) return { name: "lab", slug: lab[1] };
  const teach = /^\/teach(?:\/(.*))?$/.exec(pathname);
  if (teach) return { name: "teach", rest: (teach[1] ?? "").replace(/\/$/, "") };
  return { name: "not-found", path: pathname };
}

export function createRouter(win: Window) {
  const route = signal<Route>(match(win.location.pathname));
  const navigate = (path: string) => {
    if (path === win.location.pathname) return;
    win.history.pushState(null, "", path);
    route.value = match(path);
    win.scrollTo(0, 0);
  };
  const onPop = () => (route.value = match(win.location.pathname));
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, win.location.href);
    if (url.origin !== win.location.origin || url.pathname.startsWith("/graphql")) return;
    if (url.hash && url.pathname === win.location.pathname) return; // a jump within the page
    e.preventDefault();
    navigate(url.pathname);
  };
  win.addEventListener("popstate", onPop);
  win.document.addEventListener("click", onClick);
  return {
    route,
    navigate,
    dispose() {
      win.removeEventListener("popstate", onPop);
      win.document.removeEventListener("click", onClick);
    },
  };
}

export type Router = ReturnType<typeof createRouter>;

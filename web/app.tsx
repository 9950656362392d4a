// The page's frame: a header, then the route's page. Routes: `/` → LabList, `/labs/<slug>` → Workspace,
// `/teach…` → the instructor's pages (TeachPages: the hook where they plug in).
import { useServices } from "./context.ts";
import { Header } from "./components/Header.tsx";
import { SignInNeeded } from "./components/SignInNeeded.tsx";
import { LabList } from "./components/LabList.tsx";
import { Workspace } from "./components/Workspace.tsx";
import { TeachPages } from "./components/TeachPages.tsx";

export function App() {
  const { session, router } = useServices();
  const s = session.state.value;
  const route = router.route.value;
  return (
    <>
      <Header name={s.status === "signed-in" ? (s.claims.name ?? s.claims.sub) : undefined} onSignOut={session.signOut} />
      <main id="main" class={route.name === "lab" ? "main main-wide" : "main"}>
        {s.status !== "signed-in" ? (
          <SignInNeeded state={s} />
        ) : route.name === "labs" ? (
          <LabList />
        ) : route.name === "lab" ? (
          <Workspace key={route.slug} slug={route.slug} />
        ) : route.name === "teach" ? (
          <TeachPages rest={route.rest} role={s.claims.role} />
        ) : (
          <section aria-labelledby="nf">
            <h1 id="nf">Page not found</h1>
            <p>
              There is no page at <code>{route.path}</code>. <a href="/">Back to the labs</a>.
            </p>
          </section>
        )}
      </main>
    </>
  );
}

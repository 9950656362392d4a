// The lab page's entry: reads the token (URL fragment → sessionStorage), creates the client and the router, and
// renders <App/>. Nothing here is loaded from another origin (the server's CSP would refuse it anyway).
import "@xterm/xterm/css/xterm.css";
import "./styles.css";
import { render } from "preact";
import { createHttpClient } from "./api/client.ts";
import { createSessionModel, tokenFromFragment } from "./models/session.ts";
import { createRouter } from "./router.ts";
import { App } from "./app.tsx";
import { AppContext } from "./context.ts";

const session = createSessionModel({
  storage: window.sessionStorage,
  location: window.location,
  replaceUrl: (url) => window.history.replaceState(null, "", url),
  now: () => Date.now(),
});
const client = createHttpClient({ token: () => session.token.peek(), onAuthError: (m) => session.refused(m) });
const router = createRouter(window);
// a sign-in link opened in a tab that already shows the page (only the fragment changes): start again with it
window.addEventListener("hashchange", () => {
  if (tokenFromFragment(window.location.hash)) window.location.reload();
});

render(
  <AppContext.Provider value={{ client, session, router }}>
    <App />
  </AppContext.Provider>,
  document.getElementById("app")!,
);

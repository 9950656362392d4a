// What every page shares, handed down through context (so tests can render with their own): the API client, the
// session, the router.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Client } from "./api/client.ts";
import type { SessionModel } from "./models/session.ts";
import type { Router } from "./router.ts";

export interface AppServices {
  client: Client;
  session: SessionModel;
  router: Router;
}

export const AppContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(AppContext);
  if (!s) throw new Error("useServices outside <AppContext.Provider>");
  return s;
}

// The hook for the instructor's pages (/teach, /teach/<rest>): web/teach/TeachRoutes.tsx.
import { TeachRoutes } from "../teach/TeachRoutes.tsx";

export function TeachPages({ rest, role }: { rest: string; role: string }) {
  return <TeachRoutes rest={rest} role={role} />;
}

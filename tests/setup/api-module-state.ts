// Mutation testing of api/ without isolation (vitest.mutants.config.ts): the test files of one run share a worker that
// keeps the api's modules loaded, so the state they keep at module level is reset before each test file, as a fresh
// import would leave it. Without this, users "ensured" in an earlier test file's database would be missing from this
// file's, and a statement text or name handed out for one file would be taken as given in the next. What is reset:
//   api/db/cluster-store.ts  the save statements built per batch size
//   api/clusters.ts          users ensured, clusters found contended
//   api/db/pg-sql.ts         prepared-statement names
// Caches keyed by objects each test makes (auth's verified tokens per AuthConfig, the engine caches per app) need no
// reset. api/db/migrate.ts's schema engine (WebAssembly) is loaded once and kept: its JS glue caches views of the
// instance's memory, so a second instance behind it hangs the next call; it holds nothing a test file could see.
// A module that gains state at module level must gain a reset here, or run its mutants isolated.
import { forgetSaveSqls } from "../../api/db/cluster-store.ts";
import { forgetProcessState } from "../../api/clusters.ts";
import { forgetStatementNames } from "../../api/db/pg-sql.ts";

forgetSaveSqls();
forgetProcessState();
forgetStatementNames();

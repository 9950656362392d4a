// Mutation testing of api/ without isolation (vitest.mutants.config.ts): the worker keeps the api's modules loaded
// from one mutant's run to the next, so the state they keep at module level is reset before each test file, as a
// fresh import would leave it. Without this, a statement text built under one mutant would be sent under the next
// (and a mutant in the code that builds it would never run), and users "ensured" in an earlier test file's database
// would be missing from this file's. What is reset (each module's own function says why):
//   api/db/cluster-store.ts  the save statements built per batch size
//   api/clusters.ts          users ensured, clusters found contended
//   api/db/pg-sql.ts         prepared-statement names
//   api/db/migrate.ts        the schema engine's WebAssembly instance
// Caches keyed by objects each test makes (auth's verified tokens per AuthConfig, the engine caches per app) need no
// reset. A module that gains state at module level must gain a reset here, or run its mutants isolated.
import { forgetSaveSqls } from "../../api/db/cluster-store.ts";
import { forgetProcessState } from "../../api/clusters.ts";
import { forgetStatementNames } from "../../api/db/pg-sql.ts";
import { forgetSchemaEngine } from "../../api/db/migrate.ts";

forgetSaveSqls();
forgetProcessState();
forgetStatementNames();
forgetSchemaEngine();

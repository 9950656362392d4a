// Mutation runs only (vitest.mutants.config.ts): the engine stays loaded from one mutant to the next (isolate: false),
// so its string-keyed memo caches (engine/memo.ts) are turned off — a result cached before a mutant was switched on
// would hide that mutant, and one cached under a mutant would answer for the next.
import { memoCaches } from "../../engine/memo.ts";

memoCaches.off = true;

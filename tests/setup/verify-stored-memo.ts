// Every test runs with the stored-form memo checking itself (engine/stored-memo.ts): each memo hit is computed again
// and compared, so an engine write that changes an object without a new resourceVersion fails the test that made it.
import { verifyStoredMemo } from "../../engine/stored-memo.ts";

verifyStoredMemo(true);

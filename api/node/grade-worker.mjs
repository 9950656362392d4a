// Worker thread entry: TypeScript through tsx (as the server itself runs), then the worker proper.
import { register } from "tsx/esm/api";

register();
await import("./grade-worker.ts");

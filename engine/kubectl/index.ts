import type { CommandFn } from "../shell/context.ts";
import { fail } from "../shell/context.ts";
export const kubectl: CommandFn = () => fail("kubectl: not yet", 1);

// bash's `history`: the lines typed in this terminal, numbered from 1, this one last (`%5d  %s`). The caller of
// exec keeps them (the API from the cluster's command log, `npm run shell` from its session) and passes them in.
import type { CommandFn } from "./context.ts";

export const history: CommandFn = (ctx, argv) => {
  const args = argv.slice(1);
  const all = [...(ctx.st.history ?? []), ...(ctx.st.line !== undefined ? [ctx.st.line] : [])];
  if (args.length && /^-[cdarwnps]/.test(args[0]))
    return { stdout: "", stderr: `bash: history: kubelab keeps the history itself; ${args[0]} is not supported\n`, code: 1 };
  let shown = all.map((l, i) => ({ n: i + 1, l }));
  if (args.length) {
    if (!/^\d+$/.test(args[0])) return { stdout: "", stderr: `bash: history: ${args[0]}: numeric argument required\n`, code: 1 };
    const n = Number(args[0]);
    shown = n === 0 ? [] : shown.slice(-n);
  }
  return { stdout: shown.map(({ n, l }) => `${String(n).padStart(5)}  ${l}\n`).join(""), stderr: "", code: 0 };
};

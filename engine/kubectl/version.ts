// kubectl version: the v1.19.4 client and server it simulates.
import type { Sub } from "./command.ts";

export const version: Sub = (_ctx, argv) => {
  const short = argv.includes("--short");
  const client = argv.includes("--client");
  if (short) return { stdout: "Client Version: v1.19.4\n" + (client ? "" : "Server Version: v1.19.4\n"), stderr: "", code: 0 };
  const info = (date: string) =>
    `version.Info{Major:"1", Minor:"19", GitVersion:"v1.19.4", GitCommit:"d360454c9bcd1634cf4cc52d1867af5491dc9c5f", GitTreeState:"clean", BuildDate:"${date}", GoVersion:"go1.15.2", Compiler:"gc", Platform:"linux/amd64"}`;
  return { stdout: `Client Version: ${info("2020-11-11T13:17:17Z")}\n` + (client ? "" : `Server Version: ${info("2020-11-11T13:09:17Z")}\n`), stderr: "", code: 0 };
};

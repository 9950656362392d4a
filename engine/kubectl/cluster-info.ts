// kubectl cluster-info: the master and KubeDNS URLs.
import type { Sub } from "./command.ts";

export const clusterInfo: Sub = (ctx) => {
  const master = ctx.c.hosts().find((h) => h.roles.includes("master")) ?? ctx.c.hosts()[0];
  const url = `https://${master.ip}:6443`;
  return {
    stdout: `Kubernetes master is running at ${url}\nKubeDNS is running at ${url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`,
    stderr: "",
    code: 0,
  };
};

// Clusters of one topology share kube-system's pod templates, the static pods' specs and the nodes' status (one
// frozen copy in memory, engine/shared.ts): what a student changes there changes their cluster, as upstream does, and
// no other. Each row writes in cluster A and reads in A and in B, both restored from their stored form (the way the
// API loads a cluster), B read before and after A's write.
import { describe, expect, it } from "vitest";
import { Cluster } from "../engine/index.ts";

const restored = (seed: number) => Cluster.fromJSON(Cluster.create({ seed }).toJSONText());

const ROWS: { what: string; write: string[]; read: string; changedTo: string }[] = [
  {
    what: "kubectl set image on a DaemonSet's template",
    write: ["kubectl set image ds/kube-proxy -n kube-system kube-proxy=k8s.gcr.io/kube-proxy:v1.19.5"],
    read: "kubectl get ds kube-proxy -n kube-system -o jsonpath={.spec.template.spec.containers[0].image}",
    changedTo: "k8s.gcr.io/kube-proxy:v1.19.5",
  },
  {
    what: "kubectl set image on coredns's Deployment (and so its new ReplicaSet's template)",
    write: ["kubectl set image deploy/coredns -n kube-system coredns=k8s.gcr.io/coredns:1.7.1"],
    read: "kubectl get rs -n kube-system -l k8s-app=kube-dns -o jsonpath={.items[*].spec.template.spec.containers[0].image}",
    changedTo: "k8s.gcr.io/coredns:1.7.1 k8s.gcr.io/coredns:1.7.0", // listed by name: the new ReplicaSet before coredns-f9fd979d6
  },
  {
    what: "kubectl set image on a static pod's own spec",
    write: ["kubectl set image pod/kube-scheduler-master01 -n kube-system kube-scheduler=k8s.gcr.io/kube-scheduler:v1.19.5"],
    read: "kubectl get pod kube-scheduler-master01 -n kube-system -o jsonpath={.spec.containers[0].image}",
    changedTo: "k8s.gcr.io/kube-scheduler:v1.19.5",
  },
  {
    what: "kubectl label on a node (its status stays shared, its labels are its own)",
    write: ["kubectl label node node01 disk=ssd"],
    read: "kubectl get node node01 -o jsonpath={.metadata.labels.disk}/{.status.addresses[0].address}",
    changedTo: "ssd/192.168.2.2",
  },
];

describe("kube-system parts shared between clusters", () => {
  it.each(ROWS)("$what changes one cluster only", ({ write, read, changedTo }) => {
    const a = restored(1);
    const b = restored(2);
    const bBefore = b.exec(read);
    expect(bBefore.exitCode).toBe(0);
    for (const line of write) expect(a.exec(line)).toMatchObject({ exitCode: 0 });
    expect(a.exec(read).stdout).toBe(changedTo);
    expect(Cluster.fromJSON(a.toJSONText()).exec(read).stdout).toBe(changedTo);
    expect(b.exec(read)).toEqual(bBefore);
    expect(restored(3).exec(read)).toEqual(bBefore);
  });
});

// Discovery, generated from engine/resources.ts (RESOURCES), so kubectl's api-resources, the engine's own command
// and this facade cannot drift apart: /version, /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>.
import { RESOURCES, type ResourceInfo } from "../../engine/resources.ts";

export const VERSION_INFO = {
  major: "1",
  minor: "19",
  gitVersion: "v1.19.4",
  gitCommit: "d360454c9bcd1634cf4cc52d1867af5491dc9c5f",
  gitTreeState: "clean",
  buildDate: "2020-11-11T13:09:17Z",
  goVersion: "go1.15.2",
  compiler: "gc",
  platform: "linux/amd64",
};

const groups = () => [...new Set(RESOURCES.filter((r) => r.group !== "").map((r) => r.group))].sort();

/** The one version kubelab serves of a group (v1, or v1beta1 for discovery.k8s.io as v1.19 serves it). */
const versionOf = (group: string) => RESOURCES.find((r) => r.group === group)!.version;

function groupJson(group: string) {
  const version = versionOf(group);
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

function resourceList(groupVersion: string, list: ResourceInfo[]) {
  const resources: Record<string, unknown>[] = [];
  for (const r of [...list].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
    const main: Record<string, unknown> = { name: r.plural, singularName: "", namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) main.shortNames = r.shortNames;
    if (r.categories.length) main.categories = r.categories;
    resources.push(main);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: "", namespaced: r.namespaced };
      if (s.group) Object.assign(sub, { group: s.group, version: "v1" });
      resources.push({ ...sub, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion, resources };
}

/** The JSON body for a discovery path, or undefined when there is none. */
export function discovery(path: string, serverAddress: string): unknown {
  if (path === "/version") return VERSION_INFO;
  if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
  if (path === "/api/v1") return resourceList("v1", RESOURCES.filter((r) => r.group === ""));
  if (path === "/apis") return { kind: "APIGroupList", apiVersion: "v1", groups: groups().map(groupJson) };
  const m = /^\/apis\/([^/]+)(?:\/(v1|v1beta1))?$/.exec(path);
  if (m && groups().includes(m[1])) {
    if (!m[2]) return { kind: "APIGroup", apiVersion: "v1", ...groupJson(m[1]) };
    if (m[2] !== versionOf(m[1])) return undefined;
    return resourceList(`${m[1]}/${m[2]}`, RESOURCES.filter((r) => r.group === m[1]));
  }
  return undefined;
}

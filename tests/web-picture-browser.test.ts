// The cluster picture in a real Chromium, driven by keystrokes in the lab terminal: it follows the cluster live
// (clusterChanged over SSE) — 3 pods and 3 endpoint links, then 2 after scaling — and in readiness-endpoints a
// failed probe turns that pod's link "not ready" after `sleep 30`, and a curl draws the request's path with the
// client IP the pod saw (SNAT). Skipped with one line when Chromium is missing; failing under CI=true.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { browserLab, lookAt as lookAtSizes, requireChromium, screenRows, typeLine, waitForPrompt } from "./helpers/browser.ts";

const run = requireChromium();

/** Both sizes with the picture in view; axe on the picture. */
const lookAt = (page: Page, name: string) => lookAtSizes(page, name, { include: ".ws-picture", before: (p) => p.locator(".ws-picture").scrollIntoViewIfNeeded() });

const links = (page: Page, svc: string, ready?: boolean) => page.locator(`.ws-picture [data-link="${svc}"]${ready === undefined ? "" : `[data-ready="${ready}"]`}`);
const pods = (page: Page, prefix: string) => page.locator(`.ws-picture [data-pod^="${prefix}"]`);

async function enter(page: Page, line: string) {
  await typeLine(page, line);
  return waitForPrompt(page);
}

describe.skipIf(!run)("the cluster picture in Chromium", () => {
  const lab = browserLab();
  const open = async (sub: string, path: string) => {
    const { page, errors } = await lab.student(sub, { slug: path.replace(/^\/labs\//, "") });
    await expect.poll(() => page.locator("[data-testid=picture-status]").getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    return { page, errors };
  };

  it("shows 3 pods with 3 endpoint links, then 2 after kubectl scale --replicas=2", async () => {
    const { page, errors } = await open("pic1", "/labs/clusterip-services");
    await expect.poll(() => pods(page, "demoapp-").count()).toBe(3);
    await expect.poll(() => links(page, "default/demoapp-svc").count()).toBe(0);
    await enter(page, "kubectl apply -f services-clusterip-demo.yaml");
    await expect.poll(() => links(page, "default/demoapp-svc", true).count(), { timeout: 15_000 }).toBe(3);
    // each link ends at one of the pods drawn
    const podNames = await pods(page, "demoapp-").evaluateAll((els) => els.map((e) => `default/${e.getAttribute("data-pod")}`).sort());
    expect(await links(page, "default/demoapp-svc").evaluateAll((els) => els.map((e) => e.getAttribute("data-target")).sort())).toEqual(podNames);
    await lookAt(page, "picture-3-pods");

    await enter(page, "kubectl scale deployment demoapp --replicas=2");
    await expect.poll(() => links(page, "default/demoapp-svc").count(), { timeout: 15_000 }).toBe(2);
    await enter(page, "sleep 35"); // the removed pod's grace period
    await expect.poll(() => pods(page, "demoapp-").count(), { timeout: 15_000 }).toBe(2);
    await expect.poll(() => page.locator("[data-testid=picture-summary]").textContent()).toBe("2 pods (2 ready), 2 Services, 3 endpoint links");
    // a pod's labels on keyboard focus
    await page.locator(".ws-picture [data-pod^='demoapp-']").first().focus();
    await expect.poll(() => page.locator("[data-testid=picture-detail]").textContent()).toMatch(/^Pod demoapp-\S+ on node0\d: IP 10\.244\.\d+\.\d+, Ready \(Running\); labels: app=demoapp, pod-template-hash=\w+$/);
    expect(errors).toEqual([]);
  }, 180_000);

  it("readiness-endpoints: a failed probe turns the pod's link not ready after sleep 30; a curl draws the path with the SNAT client IP", async () => {
    const { page, errors } = await open("pic2", "/labs/readiness-endpoints");
    await enter(page, "kubectl apply -f services-readiness-demo.yaml");
    await enter(page, "sleep 30");
    const svc = "default/services-readiness-demo";
    await expect.poll(() => links(page, svc, true).count(), { timeout: 15_000 }).toBe(2);
    await enter(page, "ssh node01");
    await enter(page, "curl -X POST -d 'readyz=FAIL' 10.98.48.27/readyz");
    // one request, one pod told to fail: still ready until the probe has failed three times
    await expect.poll(() => page.locator("[data-testid=request]").textContent(), { timeout: 15_000 }).toContain("curl -X POST -d 'readyz=FAIL' 10.98.48.27/readyz");
    expect(await links(page, svc, false).count()).toBe(0);
    await enter(page, "sleep 30");
    await expect.poll(() => links(page, svc, false).count(), { timeout: 15_000 }).toBe(1);
    expect(await links(page, svc, true).count()).toBe(1);
    const unready = await links(page, svc, false).getAttribute("data-target");
    expect(await links(page, svc, false).locator(".link-label").textContent()).toBe("not ready");
    expect(await page.locator(`.ws-picture [data-pod="${unready!.split("/")[1]}"]`).getAttribute("data-ready")).toBe("false");

    const rows = await enter(page, "curl 10.98.48.27");
    const answer = rows.find((r) => r.includes("ClientIP:"))!;
    const clientIP = /ClientIP: ([\d.]+)/.exec(rows.filter((r) => r.includes("ClientIP:")).pop()!)![1];
    const server = /ServerName: ([\w-]+)/.exec(rows.filter((r) => r.includes("ServerName:")).pop()!)![1];
    expect(answer).toBeTruthy();
    const req = page.locator("[data-testid=request]");
    await expect.poll(() => req.locator("h3").textContent(), { timeout: 15_000 }).toBe("Last request: curl 10.98.48.27 (HTTP 200)");
    expect(await page.locator("[data-testid=request-client-ip] code").textContent()).toBe(clientIP);
    expect(await page.locator("[data-testid=request-dnat]").textContent()).toMatch(/Service default\/services-readiness-demo, KUBE-SEP-\w+: DNAT to 10\.244\.\d+\.\d+:80/);
    expect(await req.textContent()).toContain(`pod ${server} (`);
    expect(await page.locator("[data-testid=request-path]").getAttribute("d")).toMatch(/^M[\d,]+ L[\d,]+ L[\d,]+$/);
    expect(await page.locator(`.ws-picture .pod.on-path`).getAttribute("data-pod")).toBe(server);
    expect(`default/${server}`).not.toBe(unready); // traffic only reaches the ready pod
    await lookAt(page, "picture-request-path");
    expect((await screenRows(page)).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  }, 180_000);
});

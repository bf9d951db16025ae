import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../../src/server/web-build.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";

let t: TestApp;
let client: TestClient;
beforeAll(async () => {
  await ensureWebBuild();
  t = await startTestApp();
  client = t.client();
});
afterAll(() => t.close());

const APP_MARKER = '<div id="root">';

/** The CSP as a map of directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("the web app's pages", () => {
  it("every client route answers the app's HTML with a strict CSP and no inline code", async () => {
    for (const path of ["/", "/sign-in", "/members", "/invitations/accept?token=abc"]) {
      const res = await client.fetch(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const csp = directives(res.headers.get("content-security-policy") ?? "");
      expect(csp.get("script-src"), path).toEqual(["'self'"]);
      expect(csp.get("style-src"), path).toEqual(["'self'"]);
      expect(csp.get("connect-src"), path).toEqual(["'self'"]);
      expect(csp.get("img-src"), path).toEqual(["'self'", "data:"]);
      expect(csp.get("frame-ancestors"), path).toEqual(["'none'"]);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("cache-control"), path).toBe("no-cache");
      const html = await res.text();
      expect(html).toContain(APP_MARKER);
      // Scripts and styles only by reference: no inline script, style element or attribute.
      for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
        expect(tag).toMatch(/\ssrc="\/assets\//);
      expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>|<style|\sstyle=|\son\w+=/i);
    }
  });

  it("serves the hashed assets with their types and a long immutable cache", async () => {
    const html = await (await client.fetch("/")).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
    expect(assets.some((a) => a.endsWith(".css"))).toBe(true);
    for (const asset of assets) {
      const res = await client.fetch(asset);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type"), asset).toMatch(/^text\/(javascript|css)/);
      expect(res.headers.get("cache-control"), asset).toBe("public, max-age=31536000, immutable");
    }
    expect((await client.fetch("/assets/missing-123.js")).status).toBe(404);
    expect((await client.fetch("/assets/..%2Findex.html")).status).toBe(404);
    expect((await client.fetch("/favicon.ico")).status).toBe(404);
  });

  it("a fresh bundle is not built again (a start costs one hash of the sources)", async () => {
    expect(await ensureWebBuild()).toBe(false);
  });

  it("never shadows the API, hooks, review pages or probes", async () => {
    const owned = [
      "/api",
      "/api/nope",
      "/api/v1/nope",
      "/trpc/nope",
      "/hooks/nope",
      "/r/nope",
      "/q/nope",
    ];
    for (const path of owned) {
      const res = await client.fetch(path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(await res.text(), path).not.toContain(APP_MARKER);
    }
    expect((await client.fetch("/healthz")).status).toBe(200);
    const api = await client.fetch("/api/nope");
    expect(await api.json()).toEqual({ error: { code: "NOT_FOUND", message: "Not found" } });
    expect((await client.fetch("/api/docs")).status).toBe(200);
    expect(await (await client.fetch("/api/docs")).text()).not.toContain(APP_MARKER);
  });
});

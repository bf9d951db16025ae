import { type ServerType, serve } from "@hono/node-server";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";

const CHROMIUM = "/usr/bin/chromium";

let t: TestApp;
let anonymous: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  anonymous = t.client();
});
afterAll(() => t.close());

/** Every src/href in the page, as written. */
const references = (html: string) =>
  [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? "");

describe("GET /api/docs", () => {
  it("is an HTML page whose every reference is a path on this instance", async () => {
    const res = await anonymous.fetch("/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const refs = references(html);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(ref).toMatch(/^\/api\/docs\/[\w./-]+$/);
    expect(html).not.toMatch(/https?:|\/\//i);
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/i); // nothing inline for the CSP
  });

  it("sends a CSP that allows this origin only, on the page and on every asset", async () => {
    const html = await (await anonymous.fetch("/api/docs")).text();
    for (const path of ["/api/docs", ...references(html), "/api/docs/assets/x/unknown.js"]) {
      const csp = (await anonymous.fetch(path)).headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("default-src 'none'");
      for (const directive of csp.split(";")) {
        const [name, ...sources] = directive.trim().split(/\s+/);
        if (name === "default-src") continue;
        // 'self' everywhere; data: only for the stylesheet's embedded icons.
        const allowed = name === "img-src" ? ["'self'", "data:"] : ["'self'", "'none'"];
        for (const source of sources) expect(allowed, `${path}: ${directive}`).toContain(source);
      }
    }
  });

  it("serves the assets it references with their content types, and the init script points to the v1 document", async () => {
    const html = await (await anonymous.fetch("/api/docs")).text();
    const types = new Map<string, string>();
    for (const ref of references(html)) {
      const res = await anonymous.fetch(ref);
      expect(res.status, ref).toBe(200);
      types.set(ref.split(".").pop() ?? "", res.headers.get("content-type") ?? "");
      const body = await res.text();
      if (ref.endsWith(".css")) expect(body).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
      if (ref.endsWith(".js")) expect(body).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|googleapis/i);
      if (ref === "/api/docs/init.js") {
        expect(body).toContain('url: "/api/v1/openapi.json"');
        expect(body).toContain("validatorUrl: null");
        expect(body).not.toMatch(/https?:/);
      }
    }
    expect(types.get("js")).toMatch(/^text\/javascript/);
    expect(types.get("css")).toMatch(/^text\/css/);
    expect(types.get("png")).toBe("image/png");
  });

  it("serves no other file from the package", async () => {
    const html = await (await anonymous.fetch("/api/docs")).text();
    const bundle = references(html).find((ref) => ref.endsWith("swagger-ui-bundle.js")) ?? "";
    const dir = bundle.slice(0, bundle.lastIndexOf("/"));
    for (const name of [
      "package.json",
      "index.html",
      "swagger-initializer.js",
      "..%2Fpackage.json",
    ]) {
      expect((await anonymous.fetch(`${dir}/${name}`)).status, name).toBe(404);
    }
    expect((await anonymous.fetch("/api/docs/assets/0.0.0/swagger-ui.css")).status).toBe(404);
  });
});

describe("/api/docs in a real browser", () => {
  let server: ServerType;
  let origin = "";

  beforeAll(async () => {
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("no address");
    origin = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("renders every operation of the v1 document, loading nothing from elsewhere", async () => {
    type Items = Record<string, Record<string, unknown>>;
    const document = (await (await anonymous.fetch("/api/v1/openapi.json")).json()) as {
      paths: Items;
      webhooks?: Items;
    };
    // Swagger UI shows the paths' operations and, for OpenAPI 3.1, the webhooks' as well.
    const methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
    const operations = [document.paths, document.webhooks ?? {}]
      .flatMap((items) => Object.values(items))
      .flatMap((item) => Object.keys(item).filter((key) => methods.includes(key))).length;
    expect(operations).toBeGreaterThan(0);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage();
      const requested: string[] = [];
      const problems: string[] = [];
      page.on("request", (request) => requested.push(request.url()));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(message.text());
      });
      page.on("pageerror", (error) => problems.push(error.message));

      await page.goto(`${origin}/api/docs`);
      await page.locator(".opblock").first().waitFor();
      expect(await page.locator(".opblock").count()).toBe(operations);
      await expect(page.locator(".opblock-summary-path").allTextContents()).resolves.toEqual(
        expect.arrayContaining([expect.stringContaining("/reviews")]),
      );

      expect(requested.length).toBeGreaterThanOrEqual(4);
      for (const url of requested) {
        expect(url.startsWith(`${origin}/`) || url.startsWith("data:"), url).toBe(true);
      }
      expect(requested).toContain(`${origin}/api/v1/openapi.json`);
      expect(problems).toEqual([]); // no CSP violation, no script error
    } finally {
      await browser.close();
    }
  });
});

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { vi } from "vitest";
import type { Config } from "../../src/config/config.ts";
import { ensureWebBuild } from "../../src/server/web-build.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { firstLink } from "../helpers/smtp.ts";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
];
const SCREENSHOTS = join(import.meta.dirname, "../../test-artifacts/screenshots");

// A browser flow clicks through many pages, each waiting on the server: on the 2-core machine
// loaded by the other test files it can take longer than the suite's default 30 s.
vi.setConfig({ testTimeout: 90_000 });

/**
 * The real server on an ephemeral loopback port with its own database and SMTP peer, the
 * web bundle built if stale, and Debian's Chromium. BASE_URL is the server's own origin, so
 * origin checks and mail links work as they do in production. `overrides` adjust the config
 * (e.g. `outboundAllow` for a test service on loopback).
 */
export async function startWebTest(overrides: Partial<Config> = {}) {
  await ensureWebBuild();
  let t: TestApp | undefined;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve(
      {
        // The node-server env carries the connection, so the app sees the browser's address.
        fetch: (request, env) =>
          t ? t.app.fetch(request, env) : new Response("starting", { status: 503 }),
        port: 0,
        hostname: "127.0.0.1",
      },
      () => resolve(s),
    );
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no address");
  const origin = `http://127.0.0.1:${address.port}`;
  t = await startTestApp({ ...overrides, baseUrl: origin });
  const app = t;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const pages: Page[] = [];
  return {
    t: app,
    origin,
    browser,
    /** A fresh browser profile (own cookies) whose page records script errors and CSP reports. */
    async newPage() {
      const context = await browser.newContext({
        baseURL: origin,
        viewport: { width: 1024, height: 768 },
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      pages.push(page);
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          problems.push(message.text());
      });
      return { page, problems };
    },
    /** The first link of the newest mail to `email`, as a path on this instance. */
    async mailedLink(email: string): Promise<string> {
      const link = new URL(firstLink((await app.smtp.lastTo(email)).text));
      return `${link.pathname}${link.search}`;
    },
    /** Screenshots of every open page, e.g. from `onTestFailed` to see where a test stopped. */
    async screenshotAll(prefix: string) {
      for (const [i, page] of pages.entries()) await screenshot(page, `${prefix}-${i + 1}`);
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

export type WebTest = Awaited<ReturnType<typeof startWebTest>>;

/** Saves a full-page screenshot under test-artifacts/screenshots (gitignored) for review. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Signs up through the form (at /sign-up, or on the current page when it already shows the
 * form) and follows the verification link from the mail.
 */
export async function signUpAndVerify(
  web: WebTest,
  page: Page,
  email: string,
  password: string,
  { fromCurrentPage = false } = {},
) {
  if (!fromCurrentPage) await page.goto("/sign-up");
  await page.getByLabel("Name").fill(email.split("@")[0] ?? "user");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();
  await page.goto(await web.mailedLink(email));
  await page.getByRole("heading", { name: "E-mail address verified" }).waitFor();
}

/** Fills and submits the sign-in form on the current page. */
export async function signInWithForm(page: Page, email: string, password: string) {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import type { SocialProviderId } from "../../src/config/social.ts";
import { signedInUser } from "../helpers/users.ts";
import { CLIENTS, FakeProviders, type Identity } from "../social/fake-providers.ts";
import { identity } from "../social/flow.ts";
import { signIn } from "./editor-pages.ts";
import { startWebTest, type WebTest } from "./harness.ts";

const fake = new FakeProviders();
let web: WebTest;
beforeAll(async () => {
  fake.install(); // Fluxo's calls to the providers' token and user-info URLs
  web = await startWebTest({ socialProviders: CLIENTS });
});
afterAll(async () => {
  await web?.close();
  fake.restore();
});

/**
 * The provider's authorization page, for the browser: `who` approves at once and the
 * provider sends the browser back to Fluxo's callback with a code and the state.
 */
async function approveAtProvider(page: Page, provider: SocialProviderId, who: Identity) {
  await page.route(
    /^https:\/\/(github\.com|accounts\.google\.com|www\.dropbox\.com)\//,
    (route) => {
      const authorization = new URL(route.request().url());
      const code = fake.approve(provider, authorization, who);
      const back = new URL(authorization.searchParams.get("redirect_uri") ?? "");
      back.search = new URLSearchParams({
        code,
        state: authorization.searchParams.get("state") ?? "",
      }).toString();
      return route.fulfill({ status: 302, headers: { location: back.href } });
    },
  );
}

describe("social sign-in in the browser", () => {
  it("offers the configured providers and signs a new user in with one", async () => {
    onTestFailed(() => web.screenshotAll("social-sign-in-failed"));
    const { page, problems } = await web.newPage();
    const who = identity();
    await approveAtProvider(page, "github", who);
    await page.goto("/sign-in");
    for (const name of ["Google", "GitHub", "Dropbox"])
      await page.getByRole("button", { name: `Continue with ${name}` }).waitFor();
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await page.getByRole("heading", { name: "Organizations", exact: true }).waitFor();
    await page.getByRole("banner").getByText(who.email).waitFor();
    expect(problems).toEqual([]);
  });

  it("a refused sign-in comes back to the sign-in page with the reason", async () => {
    onTestFailed(() => web.screenshotAll("social-refused-failed"));
    const { page, problems } = await web.newPage();
    await approveAtProvider(page, "google", identity({ emailVerified: false }));
    await page.goto("/sign-in");
    await page.getByRole("button", { name: "Continue with Google" }).click();
    await page.waitForURL(/\/sign-in\?error=email_not_verified/);
    await page
      .getByRole("alert")
      .getByText("The provider has not verified the e-mail address")
      .waitFor();
    expect(problems).toEqual([]);
  });

  it("linking an account with another e-mail comes back to the account page with the reason", async () => {
    onTestFailed(() => web.screenshotAll("social-link-failed"));
    const client = await signedInUser(web.t);
    const { email } = await client.query<{ email: string }>("me");
    const { page, problems } = await signIn(web, email);
    await approveAtProvider(page, "dropbox", identity()); // a different address
    await page.goto("/account");
    await page.getByRole("button", { name: "Link Dropbox" }).click();
    await page.waitForURL(/\/account\?error=email_does_not_match/);
    await page.getByRole("alert").getByText("has a different e-mail address").waitFor();
    const methods = page.getByRole("table", { name: "Sign-in methods" });
    expect(await methods.getByRole("cell", { name: "Dropbox" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

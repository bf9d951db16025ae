import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../src/server/web-build.ts";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { firstLink } from "./helpers/smtp.ts";
import { orgOwner, PASSWORD, uniqueEmail } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  await ensureWebBuild();
  t = await startTestApp();
});
afterAll(() => t.close());

/** The link in the newest mail to `email`, as a path on this instance. */
async function mailedLink(email: string): Promise<URL> {
  const link = new URL(firstLink((await t.smtp.lastTo(email)).text));
  expect(link.origin).toBe(t.deps.config.baseUrl);
  return link;
}

async function expectAppPage(path: string) {
  const res = await t.client().fetch(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
  expect(await res.text()).toContain('<div id="root">');
}

describe("links in mails lead to pages of the web app", () => {
  it("verification: the link verifies, then lands on /email-verified", async () => {
    const email = uniqueEmail("verify");
    const client = t.client();
    await client.post("/api/auth/sign-up/email", { email, password: PASSWORD, name: "V" });
    const link = await mailedLink(email);
    const res = await client.fetch(`${link.pathname}${link.search}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/email-verified");
    await expectAppPage("/email-verified");

    // A used or broken link lands on the same page, which shows the error.
    const broken = await client.fetch(link.pathname + link.search.replace("token=", "token=x"));
    expect(broken.headers.get("location")).toBe("/email-verified?error=INVALID_TOKEN");
  });

  it("verification: the app may say where to go next, nothing else", async () => {
    const next = "/email-verified?redirect=%2Finvitations%2Faccept%3Ftoken%3Dabc";
    for (const [callbackURL, landing] of [
      [next, next],
      ["/elsewhere", "/email-verified"],
    ]) {
      const email = uniqueEmail("verify");
      const client = t.client();
      const body = { email, password: PASSWORD, name: "V", callbackURL };
      expect((await client.post("/api/auth/sign-up/email", body)).status).toBe(200);
      const link = await mailedLink(email);
      const res = await client.fetch(`${link.pathname}${link.search}`);
      expect(res.headers.get("location"), callbackURL).toBe(landing);
    }
  });

  it("password reset: the link opens /reset-password with the token", async () => {
    const { client } = await orgOwner(t);
    const { email } = await client.query<{ email: string }>("me");
    await t.client().post("/api/auth/request-password-reset", { email });
    const link = await mailedLink(email);
    expect(link.pathname).toBe("/reset-password");
    expect(link.searchParams.get("token")?.length).toBeGreaterThanOrEqual(20);
    await expectAppPage(`${link.pathname}${link.search}`);
  });

  it("invitation: the link opens /invitations/accept with the token", async () => {
    const { client } = await orgOwner(t);
    const email = uniqueEmail("invitee");
    await client.mutate("invitations.create", { email, role: "REVIEWER" });
    const link = await mailedLink(email);
    expect(link.pathname).toBe("/invitations/accept");
    await expectAppPage(`${link.pathname}${link.search}`);
  });
});

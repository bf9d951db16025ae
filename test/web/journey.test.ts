import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { PASSWORD, uniqueEmail } from "../helpers/users.ts";
import {
  screenshot,
  signInWithForm,
  signUpAndVerify,
  startWebTest,
  type WebTest,
} from "./harness.ts";

const TOKEN = "journey-token-3b7e91c04d";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const openNav = (page: Page, name: string) => nav(page).getByRole("link", { name }).click();

/** Every API answer the page receives, to check that a secret never comes back. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.startsWith("/trpc")) {
      bodies.push(await response.text().catch(() => ""));
    }
  });
  return bodies;
}

async function expectNotShown(page: Page, responses: string[], secret: string) {
  expect(await page.content()).not.toContain(secret);
  for (const body of responses) expect(body).not.toContain(secret);
}

describe("the journey in the browser", () => {
  it("sign up, invite a reviewer, store a credential, create a key, and a review it requests is approved", async () => {
    onTestFailed(() => web.screenshotAll("journey-failed"));
    // Sign up with the mailed verification link, sign in, create the organization.
    const owner = await web.newPage();
    const responses = recordResponses(owner.page);
    const ownerEmail = uniqueEmail("owner");
    await signUpAndVerify(web, owner.page, ownerEmail, PASSWORD);
    await owner.page.getByRole("link", { name: "Sign in" }).click();
    await signInWithForm(owner.page, ownerEmail, PASSWORD);
    await owner.page.getByLabel("Organization name").fill("Acme Robotics");
    await owner.page.getByRole("button", { name: "Create organization" }).click();
    await owner.page.getByRole("heading", { name: "Acme Robotics" }).waitFor();

    // Invite a REVIEWER, who signs up from the mail's link in another browser and accepts.
    await openNav(owner.page, "Members");
    const reviewerEmail = uniqueEmail("reviewer");
    await owner.page.getByLabel("E-mail to invite").fill(reviewerEmail);
    await owner.page.getByLabel("Role", { exact: true }).selectOption("REVIEWER");
    await owner.page.getByRole("button", { name: "Send invitation" }).click();
    const pending = owner.page.getByRole("table", { name: "Pending invitations" });
    await pending.getByRole("cell", { name: reviewerEmail, exact: true }).waitFor();

    const reviewer = await web.newPage();
    await reviewer.page.goto(await web.mailedLink(reviewerEmail));
    await reviewer.page.getByRole("link", { name: "Sign up to accept" }).click();
    await signUpAndVerify(web, reviewer.page, reviewerEmail, PASSWORD, { fromCurrentPage: true });
    await reviewer.page.getByRole("link", { name: "Sign in" }).click();
    await signInWithForm(reviewer.page, reviewerEmail, PASSWORD);
    await reviewer.page.getByRole("button", { name: "Accept invitation" }).click();
    await reviewer.page.getByRole("heading", { name: "Acme Robotics" }).waitFor();

    await owner.page.reload();
    const members = owner.page.getByRole("table", { name: "Members" });
    await members.getByRole("cell", { name: reviewerEmail, exact: true }).waitFor();
    await expect(owner.page.getByLabel(`Role of ${reviewerEmail}`).inputValue()).resolves.toBe(
      "REVIEWER",
    );
    expect(await pending.getByRole("cell", { name: reviewerEmail, exact: true }).count()).toBe(0);
    await screenshot(owner.page, "journey-members");

    // A credential through the form: its token never comes back to the browser.
    await openNav(owner.page, "Credentials");
    await owner.page.getByRole("button", { name: "New credential" }).click();
    const create = owner.page.getByRole("dialog", { name: "New credential" });
    await create.getByLabel("Name").fill("Deploy API");
    await create.getByLabel("Type").selectOption({ label: "HTTP bearer token" });
    await create.getByLabel("Token", { exact: true }).fill(TOKEN);
    await create.getByRole("button", { name: "Create credential" }).click();
    const credentials = owner.page.getByRole("table", { name: "Credentials" });
    await credentials.getByRole("cell", { name: "Deploy API", exact: true }).waitFor();
    await screenshot(owner.page, "journey-credentials");
    await owner.page.getByRole("button", { name: "Edit Deploy API" }).click();
    const edit = owner.page.getByRole("dialog", { name: "Edit Deploy API" });
    await edit.getByRole("button", { name: "Replace Token" }).waitFor();
    await expectNotShown(owner.page, responses, TOKEN);
    await edit.getByRole("button", { name: "Cancel" }).click();

    // An API key that may request reviews: shown once, then only its prefix.
    await openNav(owner.page, "API keys");
    await owner.page.getByLabel("Key name").fill("Billing bot");
    await owner.page.getByLabel("reviews:write").check();
    await owner.page.getByRole("button", { name: "Create API key" }).click();
    const reveal = owner.page.getByRole("dialog", { name: "Your new API key" });
    await reveal.getByText("it won't be shown again").waitFor();
    const key = await reveal.getByLabel("API key", { exact: true }).inputValue();
    expect(key).toMatch(/^flx_/);
    await screenshot(owner.page, "journey-api-key-reveal");
    await reveal.getByRole("button", { name: "Done" }).click();
    const keyRow = owner.page
      .getByRole("table", { name: "API keys" })
      .getByRole("row")
      .filter({ hasText: "Billing bot" });
    await keyRow.getByText(`${key.slice(0, 12)}…`).waitFor();
    await keyRow.getByText("reviews:write").waitFor();
    expect(await owner.page.content()).not.toContain(key.slice(12));

    // The key requests a review for any reviewer through the REST API.
    const title = `Refund order 1042 (${Date.now()})`;
    const requested = await fetch(`${web.origin}/api/v1/reviews`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({
        title,
        body: "Customer asks for 40 EUR back.",
        payload: { order: 1042, amount: "40.00", currency: "EUR" },
        any_reviewer: true,
      }),
    });
    expect(requested.status).toBe(201);

    // The REVIEWER finds it in the inbox and approves it with a comment.
    await openNav(reviewer.page, "Reviews");
    const inbox = reviewer.page.getByRole("table", { name: "Reviews" });
    await inbox.getByRole("link", { name: title }).click();
    await reviewer.page.getByRole("heading", { name: title }).waitFor();
    await reviewer.page.getByLabel("Comment").fill("Refund is within policy");
    await reviewer.page.getByRole("button", { name: "Approve" }).click();
    await reviewer.page.getByText("Review approved").first().waitFor();

    // The activity names who decided, through which channel, from which address and browser.
    const activity = reviewer.page.getByRole("table", { name: "Activity" });
    const request = activity.getByRole("row").filter({ hasText: "Requested" });
    await expect(request.textContent()).resolves.toMatch(/Billing bot.*api.*127\.0\.0\.1/);
    const approved = activity.getByRole("row").filter({ hasText: "Approved" });
    await approved.waitFor(); // the activity refetches after the decision
    const cells = await approved.getByRole("cell").allTextContents();
    expect(cells.slice(1)).toEqual([
      expect.stringContaining("Refund is within policy"),
      `${reviewerEmail.split("@")[0]} <${reviewerEmail}>`, // the name the sign-up form gave
      "app",
      "127.0.0.1",
      expect.stringMatching(/Chrome\/\d+/),
    ]);
    await reviewer.page.reload(); // without the toasts
    await approved.waitFor();
    await screenshot(reviewer.page, "journey-review-detail");

    // The REVIEWER's navigation leaves out what the role may not use, and forcing the URL
    // shows the API's refusal.
    const labels = await nav(reviewer.page).getByRole("link").allTextContents();
    expect(labels).toContain("Reviews");
    for (const hidden of ["Members", "Credentials", "API keys", "Webhooks"])
      expect(labels).not.toContain(hidden);
    for (const path of ["/credentials", "/api-keys", "/webhooks"]) {
      await reviewer.page.goto(path);
      await expect(reviewer.page.getByRole("alert").first().textContent()).resolves.toContain(
        "REVIEWER",
      );
      // Only the refusal: no form whose every submission would be refused too.
      const create = /^(New credential|Create API key|Add endpoint)$/;
      expect(await reviewer.page.getByRole("button", { name: create }).count()).toBe(0);
      expect(await reviewer.page.getByRole("button", { name: "Try again" }).count()).toBe(0);
    }

    await expectNotShown(owner.page, responses, TOKEN);
    expect(owner.problems).toEqual([]); // no CSP violation, no script error
    expect(reviewer.problems).toEqual([]);
  }, 180_000);
});

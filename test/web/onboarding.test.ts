import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { PASSWORD, uniqueEmail } from "../helpers/users.ts";
import {
  screenshot,
  signInWithForm,
  signUpAndVerify,
  startWebTest,
  type WebTest,
} from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

describe("onboarding in the browser", () => {
  it("sign up, verify, sign in, create an organization, invite a reviewer who joins", async () => {
    onTestFailed(() => web.screenshotAll("onboarding-failed"));
    const owner = await web.newPage();
    const ownerEmail = uniqueEmail("owner");
    await signUpAndVerify(web, owner.page, ownerEmail, PASSWORD);
    await owner.page.getByRole("link", { name: "Sign in" }).click();
    await signInWithForm(owner.page, ownerEmail, PASSWORD);

    // No organization yet: the app asks for one.
    await owner.page.getByLabel("Organization name").fill("Acme Robotics");
    await screenshot(owner.page, "organizations");
    await owner.page.getByRole("button", { name: "Create organization" }).click();
    await owner.page.getByRole("heading", { name: "Acme Robotics" }).waitFor();

    await owner.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Members" })
      .click();
    const inviteeEmail = uniqueEmail("reviewer");
    await owner.page.getByLabel("E-mail to invite").fill(inviteeEmail);
    await owner.page.getByLabel("Role", { exact: true }).selectOption("REVIEWER");
    await owner.page.getByRole("button", { name: "Send invitation" }).click();
    const pending = owner.page.getByRole("table", { name: "Pending invitations" });
    await pending.getByRole("cell", { name: inviteeEmail, exact: true }).waitFor();
    await screenshot(owner.page, "members-invited");

    // The invitee opens the mail's link signed out and signs up; after verifying and signing
    // in, the app brings them back to the invitation.
    const invitee = await web.newPage();
    await invitee.page.goto(await web.mailedLink(inviteeEmail));
    await invitee.page.getByRole("link", { name: "Sign up to accept" }).click();
    await signUpAndVerify(web, invitee.page, inviteeEmail, PASSWORD, { fromCurrentPage: true });
    await invitee.page.getByRole("link", { name: "Sign in" }).click();
    await signInWithForm(invitee.page, inviteeEmail, PASSWORD);
    await invitee.page.getByRole("button", { name: "Accept invitation" }).click();
    await invitee.page.getByRole("heading", { name: "Acme Robotics" }).waitFor();

    // A reviewer's navigation shows reviews, not members or API keys.
    const nav = invitee.page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Reviews" }).waitFor();
    expect(await nav.getByRole("link", { name: "Members" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "API keys" }).count()).toBe(0);
    await screenshot(invitee.page, "reviewer-home");

    await owner.page.reload();
    const members = owner.page.getByRole("table", { name: "Members" });
    await members.getByRole("cell", { name: inviteeEmail, exact: true }).waitFor();
    await expect(owner.page.getByLabel(`Role of ${inviteeEmail}`).inputValue()).resolves.toBe(
      "REVIEWER",
    );
    expect(await pending.getByRole("cell", { name: inviteeEmail, exact: true }).count()).toBe(0);

    expect(owner.problems).toEqual([]); // no CSP violation, no script error
    expect(invitee.problems).toEqual([]);
  }, 120_000);
});

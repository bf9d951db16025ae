import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { orgOwner, PASSWORD, signedInUser, uniqueEmail } from "../helpers/users.ts";
import { signInWithForm, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

const NEW_PASSWORD = "a brand new passphrase 42";

describe("signing in and recovering access in the browser", () => {
  it("a signed-out visit to an app page goes to sign in, then back to that page", async () => {
    onTestFailed(() => web.screenshotAll("sign-in-redirect-failed"));
    const { client } = await orgOwner(web.t, "Redirect Corp");
    const { email } = await client.query<{ email: string }>("me");
    const { page, problems } = await web.newPage();
    await page.goto("/members");
    await page.waitForURL(/\/sign-in\?redirect=%2Fmembers$/);
    await signInWithForm(page, email, PASSWORD);
    await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/members");
    expect(problems).toEqual([]);
  });

  it("forgot password: the mailed link opens the reset page, and the new password works", async () => {
    onTestFailed(() => web.screenshotAll("password-reset-failed"));
    const { client } = await orgOwner(web.t, "Reset Corp");
    const { email } = await client.query<{ email: string }>("me");
    const { page, problems } = await web.newPage();
    await page.goto("/sign-in");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByLabel("E-mail").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await page.getByRole("status").getByText("a reset link is on its way").waitFor();

    await page.goto(await web.mailedLink(email));
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("heading", { name: "Password changed" }).waitFor();

    await page.getByRole("link", { name: "Sign in" }).click();
    await signInWithForm(page, email, PASSWORD);
    await page.getByRole("alert").waitFor(); // the old password no longer works
    await signInWithForm(page, email, NEW_PASSWORD);
    await page.getByRole("heading", { name: "Reset Corp" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("an invitation opened while signed in as someone else: the refusal, then sign out there and accept as the invitee", async () => {
    onTestFailed(() => web.screenshotAll("invitation-other-user-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Invite Corp");
    const invitee = uniqueEmail("invitee");
    await signedInUser(web.t, invitee); // has an account already
    await ownerApi.mutate("invitations.create", { email: invitee, role: "PARTICIPANT" });
    const link = await web.mailedLink(invitee);
    const { client: otherApi } = await orgOwner(web.t, "Other Corp");
    const { email: other } = await otherApi.query<{ email: string }>("me");

    const { page, problems } = await web.newPage();
    await page.goto("/sign-in");
    await signInWithForm(page, other, PASSWORD);
    await page.getByRole("heading", { name: "Other Corp" }).waitFor();
    await page.goto(link);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.getByRole("alert").getByText("sent to a different e-mail address").waitFor();
    await page.getByRole("button", { name: `Not ${other}? Sign out` }).click();
    await page.getByRole("link", { name: "Sign in to accept" }).click();
    await signInWithForm(page, invitee, PASSWORD);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.getByRole("heading", { name: "Invite Corp" }).waitFor();
    // the mail's link opened again: it says so and leads into the app
    await page.goto(link);
    await page.getByRole("alert").getByText("This invitation has already been accepted.").waitFor();
    await page.getByRole("link", { name: "Open Fluxo" }).click();
    await page.getByRole("heading", { name: "Invite Corp" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("an invitation link says who invites whom where before signing up, and why an ended one no longer works", async () => {
    onTestFailed(() => web.screenshotAll("invitation-preview-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Preview Corp");
    const { email: ownerEmail } = await ownerApi.query<{ email: string }>("me");
    const invitee = uniqueEmail("previewee");
    await ownerApi.mutate("invitations.create", { email: invitee, role: "REVIEWER" });
    const link = await web.mailedLink(invitee);

    const { page, problems } = await web.newPage();
    await page.goto(link);
    const inviter = ownerEmail.split("@")[0] ?? "";
    await page.getByText(`${inviter} invited you to join Preview Corp as REVIEWER.`).waitFor();
    await page.getByText(`Sent to p•••@${invitee.split("@")[1]}`).waitFor();
    await page.getByRole("link", { name: "Sign up to accept" }).waitFor();

    const [pending] = await ownerApi.list<{ id: string }>("invitations.list");
    await ownerApi.mutate("invitations.revoke", { invitationId: pending?.id });
    await page.reload();
    await page.getByRole("alert").getByText("This invitation was withdrawn.").waitFor();
    expect(await page.getByRole("link", { name: "Sign up to accept" }).count()).toBe(0);

    await page.goto("/invitations/accept?token=not-a-real-token");
    await page.getByRole("alert").getByText("This invitation link is not valid").waitFor();
    expect(problems).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { orgOwner, PASSWORD } from "../helpers/users.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  // A configured provider, only to show its link button: clicking it would leave loopback.
  web = await startWebTest({
    socialProviders: { github: { clientId: "github-client-id", clientSecret: "github-secret" } },
  });
});
afterAll(() => web?.close());

const NEW_PASSWORD = "another long passphrase 7";

describe("account in the browser", () => {
  it("renames the user, signs out another session, changes the password, and signs in with the new one", async () => {
    onTestFailed(() => web.screenshotAll("account-failed"));
    const { client } = await orgOwner(web.t, "Account Corp");
    const { email } = await client.query<{ email: string }>("me");

    const laptop = await web.newPage();
    const phone = await web.newPage();
    for (const { page } of [laptop, phone]) {
      await page.goto("/sign-in");
      await signInWithForm(page, email, PASSWORD);
      await page.getByRole("heading", { name: "Account Corp" }).waitFor();
    }

    // The laptop lists its sessions (plus the helper's), marks its own, and signs out the phone's.
    await laptop.page.getByRole("link", { name: "Account" }).click();
    await laptop.page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
    const sessions = laptop.page.getByRole("table", { name: "Sessions" });
    await sessions.getByText("This session").waitFor();
    expect(await sessions.getByRole("row").count()).toBe(4); // header, helper, laptop, phone
    await laptop.page
      .getByRole("table", { name: "Sign-in methods" })
      .getByText("Password")
      .waitFor();
    await laptop.page.getByRole("button", { name: "Link GitHub" }).waitFor();
    await screenshot(laptop.page, "account");

    // The name others see changes; the sign-in address does not.
    const name = laptop.page.getByLabel("Name", { exact: true });
    await name.fill("Ada Lovelace");
    await laptop.page.getByRole("button", { name: "Save name" }).click();
    await laptop.page.getByText("Name saved").first().waitFor();
    const members = await client.list<{ name: string; email: string }>("members.list");
    expect(members).toEqual([expect.objectContaining({ name: "Ada Lovelace", email })]);
    expect(await laptop.page.getByRole("button", { name: "Save name" }).isDisabled()).toBe(true);

    // The phone's session is the other one from this browser's address.
    const others = sessions.getByRole("button", { name: /^Sign out / });
    expect(await others.count()).toBe(2);
    await sessions.getByRole("button", { name: /^Sign out .*\(127\.0\.0\.1\)$/ }).click();
    await laptop.page
      .getByRole("dialog", { name: "Sign out this session?" })
      .getByRole("button", { name: "Sign out session" })
      .click();
    await laptop.page.getByText("Session signed out").first().waitFor();
    await expect.poll(() => others.count()).toBe(1);

    await phone.page.goto("/members");
    await phone.page.waitForURL(/\/sign-in\?redirect=%2Fmembers$/);

    // Change the password; the remaining other session (the helper's) is signed out with it.
    await laptop.page.getByLabel("Current password").fill(PASSWORD);
    await laptop.page.getByLabel("New password").fill(NEW_PASSWORD);
    await laptop.page.getByLabel("Sign out my other sessions").check();
    await laptop.page.getByRole("button", { name: "Change password" }).click();
    await laptop.page
      .getByText("Password changed; your other sessions are signed out")
      .first()
      .waitFor();
    expect((await client.trpcError("query", "me")).status).toBe(401);
    await expect.poll(() => others.count()).toBe(0);

    await laptop.page.getByRole("button", { name: "Sign out", exact: true }).click();
    await laptop.page.waitForURL(/\/sign-in/);
    await signInWithForm(laptop.page, email, PASSWORD);
    await laptop.page.getByRole("alert").waitFor(); // the old password no longer works
    await signInWithForm(laptop.page, email, NEW_PASSWORD);
    await laptop.page.getByRole("heading", { name: "Account Corp" }).waitFor();

    expect(laptop.problems).toEqual([]);
    expect(phone.problems).toEqual([]);
  }, 120_000);
});

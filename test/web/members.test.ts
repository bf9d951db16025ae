import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { addMember, orgOwner } from "../helpers/users.ts";
import { signIn } from "./editor-pages.ts";
import { screenshot, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

const openMembers = async (page: Page) => {
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Members" })
    .click();
  await page.getByRole("heading", { name: "Members", level: 1 }).waitFor();
};
const membersTable = (page: Page) => page.getByRole("table", { name: "Members" });
const memberRow = (page: Page, email: string) =>
  membersTable(page).getByRole("row").filter({ hasText: email });

describe("members in the browser", () => {
  it("an ADMIN changes and removes members but gets no controls over the OWNER; the OWNER hands over ownership and then leaves", async () => {
    onTestFailed(() => web.screenshotAll("members-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Crew Corp");
    const { email: ownerEmail } = await ownerApi.query<{ email: string }>("me");
    const admin = await addMember(web.t, ownerApi, "ADMIN");
    const participant = await addMember(web.t, ownerApi, "PARTICIPANT");
    const reviewer = await addMember(web.t, ownerApi, "REVIEWER");
    const promoted = await addMember(web.t, ownerApi, "PARTICIPANT");

    // The ADMIN: no role select and no Remove on the OWNER's row, and no "owner" to assign.
    const { page, problems } = await signIn(web, admin.email);
    await openMembers(page);
    await memberRow(page, ownerEmail).getByText("owner", { exact: true }).waitFor();
    await memberRow(page, admin.email).getByText("(you)").waitFor();
    expect(await memberRow(page, ownerEmail).getByText("(you)").count()).toBe(0);
    expect(await page.getByLabel(`Role of ${ownerEmail}`).count()).toBe(0);
    expect(await page.getByRole("button", { name: `Remove ${ownerEmail}` }).count()).toBe(0);
    expect(
      await page.getByLabel("Role", { exact: true }).locator("option").allTextContents(),
    ).toEqual(["admin", "participant", "reviewer"]); // whom to invite as
    const participantRole = page.getByLabel(`Role of ${participant.email}`);
    expect(await participantRole.locator("option").allTextContents()).toEqual([
      "admin",
      "participant",
      "reviewer",
    ]);
    await participantRole.selectOption("REVIEWER");
    await page.getByText(`${participant.email} is now reviewer`, { exact: true }).waitFor();
    await page.getByRole("button", { name: `Remove ${reviewer.email}` }).click();
    await page
      .getByRole("dialog", { name: `Remove ${reviewer.email}?` })
      .getByRole("button", { name: "Remove" })
      .click();
    await page.getByText(`Removed ${reviewer.email}`, { exact: true }).waitFor();
    await memberRow(page, reviewer.email).waitFor({ state: "detached" }); // after the refetch
    await screenshot(page, "members-admin");

    // Made an OWNER meanwhile: the page still offers Remove, and the dialog shows the refusal.
    await ownerApi.mutate("members.updateRole", { memberId: promoted.memberId, role: "OWNER" });
    await page.getByRole("button", { name: `Remove ${promoted.email}` }).click();
    const confirm = page.getByRole("dialog", { name: `Remove ${promoted.email}?` });
    await confirm.getByRole("button", { name: "Remove" }).click();
    await confirm.getByRole("alert").getByText("Only an OWNER may").waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: `Remove ${promoted.email}` }).click();
    expect(await confirm.getByRole("alert").count()).toBe(0); // a new attempt starts clean
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await ownerApi.mutate("members.remove", { memberId: promoted.memberId });

    // The last OWNER may not leave: the API's refusal is shown.
    const owner = await signIn(web, ownerEmail);
    await openMembers(owner.page);
    expect(
      await owner.page.getByLabel(`Role of ${admin.email}`).locator("option").allTextContents(),
    ).toContain("owner");
    await owner.page.getByRole("button", { name: "Leave organization" }).click();
    await owner.page
      .getByRole("dialog", { name: "Leave this organization?" })
      .getByRole("button", { name: "Leave" })
      .click();
    await owner.page
      .getByRole("dialog", { name: "Leave this organization?" })
      .getByRole("alert")
      .getByText("The last OWNER cannot leave the organization")
      .waitFor();

    // Ownership goes to the ADMIN; the former OWNER is an ADMIN now and may leave.
    await owner.page.keyboard.press("Escape");
    await owner.page.getByRole("button", { name: `Make ${admin.email} owner` }).click();
    await owner.page
      .getByRole("dialog", { name: `Transfer ownership to ${admin.email}?` })
      .getByRole("button", { name: "Transfer ownership" })
      .click();
    await memberRow(owner.page, admin.email).getByText("owner", { exact: true }).waitFor();
    await memberRow(owner.page, ownerEmail).getByText("admin", { exact: true }).waitFor();
    await owner.page.getByRole("button", { name: "Leave organization" }).click();
    await owner.page
      .getByRole("dialog", { name: "Leave this organization?" })
      .getByRole("button", { name: "Leave" })
      .click();
    await owner.page.getByText("You are not a member of any organization yet.").waitFor();

    expect(problems).toEqual([]);
    expect(owner.problems).toEqual([]);
  }, 120_000);
});

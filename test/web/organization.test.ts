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

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });

describe("organization settings", () => {
  it("an ADMIN renames the organization; only its OWNER deletes it, after typing its slug; a PARTICIPANT has no such page", async () => {
    onTestFailed(() => web.screenshotAll("organization-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Typo Crop");
    const { email: ownerEmail } = await ownerApi.query<{ email: string }>("me");
    const { slug } = await ownerApi.query<{ slug: string }>("orgs.current");
    const admin = await addMember(web.t, ownerApi, "ADMIN");
    const participant = await addMember(web.t, ownerApi, "PARTICIPANT");

    // The ADMIN renames it; the switcher shows the new name. Deleting is not offered.
    const { page, problems } = await signIn(web, admin.email);
    await nav(page).getByRole("link", { name: "Organization" }).click();
    await page.getByRole("heading", { name: "Organization", exact: true }).waitFor();
    const name = page.getByLabel("Organization name");
    expect(await name.inputValue()).toBe("Typo Crop");
    await name.fill("  ");
    expect(await page.getByRole("button", { name: "Save name" }).isDisabled()).toBe(true);
    await name.fill("Typo Corp");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Organization renamed").first().waitFor();
    await page.getByRole("option", { name: "Typo Corp" }).waitFor({ state: "attached" });
    expect(await ownerApi.query("orgs.current")).toMatchObject({ name: "Typo Corp", slug });
    expect(await page.getByRole("button", { name: "Delete organization" }).count()).toBe(0);
    expect(problems).toEqual([]);

    // A PARTICIPANT sees no link to it; forced, the page only shows the name.
    const other = await signIn(web, participant.email);
    await nav(other.page).getByRole("link", { name: "Workflows" }).waitFor();
    expect(await nav(other.page).getByRole("link").allTextContents()).not.toContain("Organization");
    await other.page.goto("/settings/organization");
    await other.page.getByText("Only an OWNER or ADMIN can change it.").waitFor();
    expect(await other.page.getByRole("button", { name: "Save name" }).count()).toBe(0);

    // The OWNER deletes it once the slug is typed; everyone's view of it ends.
    const owner = await signIn(web, ownerEmail);
    await owner.page.goto("/settings/organization");
    await owner.page.getByRole("button", { name: "Delete organization" }).click();
    const confirm = owner.page.getByRole("dialog", { name: "Delete Typo Corp?" });
    const deleteForGood = confirm.getByRole("button", { name: "Delete for good" });
    await confirm.getByLabel("Slug").fill("typo-corp-not");
    expect(await deleteForGood.isDisabled()).toBe(true);
    await screenshot(owner.page, "organization-delete");
    await confirm.getByLabel("Slug").fill(slug);
    await deleteForGood.click();
    await owner.page.waitForURL("**/organizations");
    expect(await ownerApi.query("orgs.list")).toEqual({ items: [], nextCursor: null });
    expect(await admin.client.query("orgs.list")).toEqual({ items: [], nextCursor: null });
    expect(owner.problems).toEqual([]);
  }, 90_000);
});

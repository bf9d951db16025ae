import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { orgOwner } from "../helpers/users.ts";
import { signIn } from "./editor-pages.ts";
import { startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

const rows = (page: Page) =>
  page
    .getByRole("table", { name: "Audit events" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
const actions = (page: Page) => rows(page).locator("code").allTextContents();

describe("the audit log in the browser", () => {
  it("pages through more events than one page holds, forwards and back; a filter that fits one page has no pager", async () => {
    onTestFailed(() => web.screenshotAll("audit-paging-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Ledger Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    // 55 key creations after the organization's creation: 56 events, a page holds 50.
    for (let i = 1; i <= 55; i++) {
      await ownerApi.mutate("apiKeys.create", { name: `key ${i}`, scopes: ["reviews:read"] });
    }

    const { page, problems } = await signIn(web, email);
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Audit log" })
      .click();
    const next = page.getByRole("button", { name: "Next page" });
    const previous = page.getByRole("button", { name: "Previous page" });
    await rows(page).nth(49).waitFor();
    expect(await rows(page).count()).toBe(50);
    // Each event's details, folded: here the newest key's name and scopes.
    const newest = rows(page).first();
    await newest.getByText("Show").click();
    await expect(newest.locator("pre").textContent()).resolves.toMatch(
      /name: key 55[\s\S]*scopes: \["reviews:read"\]/,
    );
    expect(await previous.isDisabled()).toBe(true);
    await next.click();
    await rows(page).filter({ hasText: "org.created" }).waitFor();
    expect(await rows(page).count()).toBe(6);
    expect(await next.isDisabled()).toBe(true);
    await previous.click();
    await rows(page).nth(49).waitFor();
    expect(await rows(page).filter({ hasText: "org.created" }).count()).toBe(0);

    // A filter starts again from the first page.
    await next.click();
    await rows(page).filter({ hasText: "org.created" }).waitFor();
    await page.getByLabel("Action").fill("org.");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await rows(page).filter({ hasText: "apiKey." }).first().waitFor({ state: "detached" });
    expect(await actions(page)).toEqual(["org.created"]);
    // one page: no pager at all
    expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);
});

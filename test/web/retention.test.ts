import type { Locator, Page } from "playwright-core";
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

/** The problem shown under a field (its aria-describedby error). */
async function fieldError(page: Page, label: string) {
  const field: Locator = page.getByLabel(label, { exact: true });
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ");
  const id = ids.find((i) => i.endsWith("-error"));
  return id ? page.locator(`[id="${id}"]`).textContent() : null;
}

/** The "in force" and "instance default" cells of one row of the summary. */
async function summaryRow(page: Page, name: string) {
  const row = page
    .getByRole("table", { name: "Retention in force" })
    .getByRole("row")
    .filter({ hasText: name });
  return (await row.getByRole("cell").allTextContents()).slice(1);
}

const KEEP = "Keep succeeded and cancelled executions (days)";
const FAILED = "Keep failed executions (days)";
const PER_WORKFLOW = "Newest executions kept per workflow";

describe("execution retention settings", () => {
  it("an ADMIN replaces the instance defaults (the API's refusals at their fields) and resets them after confirming; a PARTICIPANT has no such page", async () => {
    onTestFailed(() => web.screenshotAll("retention-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Archive Corp");
    const admin = await addMember(web.t, ownerApi, "ADMIN");
    const participant = await addMember(web.t, ownerApi, "PARTICIPANT");

    const { page, problems } = await signIn(web, admin.email);
    await nav(page).getByRole("link", { name: "Execution retention" }).click();
    await page.getByRole("heading", { name: "Execution retention" }).waitFor();
    await page.getByText("Instance defaults", { exact: true }).waitFor();
    expect(await summaryRow(page, "Failed executions")).toEqual(["30 days", "30 days"]);
    expect(await page.getByLabel(KEEP).inputValue()).toBe("14");
    expect(await page.getByRole("button", { name: "Reset to instance defaults" }).count()).toBe(0);

    // Out of range: the API's messages, each at its field; nothing is saved.
    await page.getByLabel(KEEP).fill("0");
    await page.getByLabel(FAILED).fill("5000");
    await page.getByLabel(PER_WORKFLOW).fill("");
    await page.getByRole("button", { name: "Save settings" }).click();
    expect(await fieldError(page, PER_WORKFLOW)).toBe("enter a number");
    await page.getByLabel(PER_WORKFLOW).fill("500");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("at least 1 day").waitFor();
    expect(await fieldError(page, KEEP)).toBe("at least 1 day");
    expect(await fieldError(page, FAILED)).toBe("at most 3650 days");
    expect(await fieldError(page, PER_WORKFLOW)).toBeNull();
    expect(await page.getByLabel(KEEP).getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByText("keepDays: at least 1 day").count()).toBe(0); // no toast besides
    await screenshot(page, "retention-refused");
    expect(await ownerApi.query("orgs.retention.get")).toMatchObject({ source: "instance" });

    // Valid settings replace the defaults, and stay after a reload.
    await page.getByLabel(KEEP).fill("7");
    await page.getByLabel(FAILED).fill("90");
    await page.getByLabel("No count limit per workflow").check();
    expect(await page.getByLabel(PER_WORKFLOW).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Retention settings saved").first().waitFor();
    await page.getByText("Organization settings", { exact: true }).waitFor();
    expect(await summaryRow(page, "Succeeded and cancelled")).toEqual(["7 days", "14 days"]);
    expect(await summaryRow(page, "Newest kept per workflow")).toEqual(["no limit", "10,000"]);
    expect(await ownerApi.query("orgs.retention.get")).toMatchObject({
      source: "organization",
      keepDays: 7,
      keepFailedDays: 90,
      keepPerWorkflow: null,
    });
    await page.reload();
    await page.getByText("Organization settings", { exact: true }).waitFor();
    expect(await page.getByLabel(FAILED).inputValue()).toBe("90");
    await screenshot(page, "retention");

    // Reset asks first; cancelling keeps the organization's settings.
    await page.getByRole("button", { name: "Reset to instance defaults" }).click();
    const confirm = page.getByRole("dialog", { name: "Reset retention to the instance defaults?" });
    await confirm.getByText("failed executions: 30 days").waitFor();
    await confirm.getByRole("button", { name: "Cancel" }).click();
    expect(await ownerApi.query("orgs.retention.get")).toMatchObject({ source: "organization" });
    await page.getByRole("button", { name: "Reset to instance defaults" }).click();
    await confirm.getByRole("button", { name: "Reset to defaults" }).click();
    await page.getByText("Retention reset to the instance defaults").first().waitFor();
    await page.getByText("Instance defaults", { exact: true }).waitFor();
    expect(await page.getByLabel(KEEP).inputValue()).toBe("14");
    expect(await ownerApi.query("orgs.retention.get")).toMatchObject({ source: "instance" });
    expect(problems).toEqual([]);

    // A PARTICIPANT sees no link to it, and the page shows the API's refusal.
    const other = await signIn(web, participant.email);
    await nav(other.page).getByRole("link", { name: "Workflows" }).waitFor();
    expect(await nav(other.page).getByRole("link").allTextContents()).not.toContain(
      "Execution retention",
    );
    await other.page.goto("/settings/retention");
    await expect(other.page.getByRole("alert").first().textContent()).resolves.toContain(
      "PARTICIPANT",
    );
    expect(other.problems).toEqual([]);
  }, 90_000);
});

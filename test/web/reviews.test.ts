import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { createApiKey } from "../helpers/api-keys.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, PASSWORD, signedInUser, uniqueEmail } from "../helpers/users.ts";
import { restCaller } from "../rest/harness.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
let ownerEmail: string;
let owner: TestClient;
let reviewer: Awaited<ReturnType<typeof addMember>>;
let requestReview: (body: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  web = await startWebTest();
  ownerEmail = uniqueEmail("owner");
  owner = await signedInUser(web.t, ownerEmail);
  await owner.mutate("orgs.create", { name: "Northwind Payments" });
  reviewer = await addMember(web.t, owner, "REVIEWER");
  const key = await createApiKey(web.t, owner, { scopes: ["reviews:write"], name: "Billing bot" });
  const api = restCaller(web.t, key.key);
  requestReview = async (body) => {
    const res = await api.post<{ id: string }>("/reviews", body);
    if (res.status !== 201) throw new Error(`review request failed: ${res.status}`);
    return res.body.id;
  };
});
afterAll(() => web?.close());

async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await signInWithForm(page, email, PASSWORD);
  await page.getByRole("heading", { name: "Northwind Payments" }).waitFor();
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });

describe("reviews in the browser", () => {
  it("a review requested through the API is approved by its REVIEWER; the OWNER audits it", async () => {
    onTestFailed(() => web.screenshotAll("reviews-failed"));
    const title = `Refund order 1042 (${Date.now()})`;
    await requestReview({
      title,
      body: "Customer asks for a refund of 40 EUR.",
      payload: { order: 1042, note: "<img src=x onerror=alert(1)>" },
      assignees: [reviewer.memberId],
    });

    const { page, problems } = await web.newPage();
    await signIn(page, reviewer.email);
    const links = nav(page).getByRole("link");
    await nav(page).getByRole("link", { name: "Reviews" }).waitFor();
    const labels = await links.allTextContents();
    for (const hidden of ["Credentials", "API keys", "Webhooks"])
      expect(labels).not.toContain(hidden);

    await nav(page).getByRole("link", { name: "Reviews" }).click();
    await page.getByLabel("Assigned to me").check();
    const inbox = page.getByRole("table", { name: "Reviews" });
    await inbox.getByRole("link", { name: title }).waitFor();
    await screenshot(page, "reviews-inbox");

    await inbox.getByRole("link", { name: title }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    const payload = page.getByRole("region", { name: "Payload" });
    await expect(payload.textContent()).resolves.toContain("<img src=x onerror=alert(1)>");
    expect(await payload.locator("img").count()).toBe(0);
    await page.getByLabel("Comment").fill("Refund is within policy");
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Review approved").first().waitFor();

    const activity = page.getByRole("table", { name: "Activity" });
    const requested = activity.getByRole("row").filter({ hasText: "Requested" });
    await expect(requested.textContent()).resolves.toMatch(/Billing bot.*api/);
    const approved = activity.getByRole("row").filter({ hasText: "Approved" });
    await approved.waitFor();
    const approvedText = await approved.textContent();
    expect(approvedText).toContain(reviewer.email);
    expect(approvedText).toContain("app");
    expect(approvedText).toContain("Refund is within policy");
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
    await screenshot(page, "review-detail");

    // A page the role may not see: the API's refusal, not a crash.
    await page.goto("/credentials");
    await expect(page.getByRole("alert").first().textContent()).resolves.toContain("REVIEWER");
    expect(problems).toEqual([]);

    const ownerPage = await web.newPage();
    await signIn(ownerPage.page, ownerEmail);
    await nav(ownerPage.page).getByRole("link", { name: "Audit log" }).click();
    await ownerPage.page.getByLabel("Action").fill("review.");
    await ownerPage.page.getByRole("button", { name: "Apply filters" }).click();
    const audit = ownerPage.page.getByRole("table", { name: "Audit events" });
    const decision = audit.getByRole("row").filter({ hasText: "review.approved" });
    await expect(decision.textContent()).resolves.toContain(reviewer.email);
    await audit.getByRole("row").filter({ hasText: "review.created" }).waitFor();
    // until the filtered page arrives the table still shows the unfiltered one: wait for it
    await audit
      .getByRole("row")
      .filter({ hasText: "member." })
      .first()
      .waitFor({ state: "detached" });
    expect(await audit.getByRole("row").filter({ hasText: "member." }).count()).toBe(0);
    await screenshot(ownerPage.page, "audit-log");
    expect(ownerPage.problems).toEqual([]);
  }, 120_000);

  it("the OWNER creates a public link with an expiry and max uses, sees it once, and revokes it after confirming", async () => {
    onTestFailed(() => web.screenshotAll("review-links-failed"));
    const title = `Pay invoice 77 (${Date.now()})`;
    const id = await requestReview({ title, any_reviewer: true });
    const { page, problems } = await web.newPage();
    await signIn(page, ownerEmail);
    await page.goto(`/reviews/${id}`);
    await page.getByRole("heading", { name: title }).waitFor();

    await page.getByLabel("Link expires in (hours)").fill("2");
    await page.getByLabel("Max uses").fill("3");
    await page.getByRole("button", { name: "Create public link" }).click();
    await page.getByText("it will not be shown again").waitFor();
    const url = await page.getByLabel("Public link").inputValue();
    expect(url).toMatch(new RegExp(`^${web.origin}/r/`));
    await page.getByRole("button", { name: "Copy link" }).waitFor();
    await page.getByRole("button", { name: "Done" }).click();
    expect(await page.getByLabel("Public link").count()).toBe(0);

    const linksTable = page.getByRole("table", { name: "Public links" });
    await linksTable.getByRole("cell", { name: "active" }).waitFor();
    const [stored] = await dbRows<{ expires_at: Date | string; max_uses: number }>(
      web.t,
      sql`select expires_at, max_uses from review_link where review_id = ${id}`,
    );
    const expiresAt = new Date(stored?.expires_at ?? 0).getTime();
    expect(Math.abs(expiresAt - (Date.now() + 2 * 3600_000))).toBeLessThan(10 * 60_000);
    expect(stored?.max_uses).toBe(3);
    const shownExpiry = await page.evaluate((t) => new Date(t).toLocaleString(), expiresAt);
    await linksTable.getByRole("cell", { name: shownExpiry }).waitFor();
    await linksTable.getByRole("cell", { name: "0 of 3" }).waitFor();
    await linksTable.getByRole("button", { name: /^Revoke link/ }).click();
    await page.getByRole("dialog", { name: "Revoke this link?" }).waitFor();
    await page.getByRole("button", { name: "Revoke link", exact: true }).click();
    await linksTable.getByRole("cell", { name: "revoked" }).waitFor();
    expect(await page.textContent("body")).not.toContain(url);
    expect((await fetch(url)).status).toBeGreaterThanOrEqual(400);
    expect(problems).toEqual([]);
  }, 90_000);

  it("the OWNER requests a review in the app, naming the REVIEWER; a payload that is not JSON is refused first; the REVIEWER finds it assigned", async () => {
    onTestFailed(() => web.screenshotAll("review-request-failed"));
    const title = `Approve vendor Acme (${Date.now()})`;
    const { page, problems } = await web.newPage();
    await signIn(page, ownerEmail);
    await nav(page).getByRole("link", { name: "Reviews" }).click();
    await page.getByRole("button", { name: "Request a review" }).click();
    const dialog = page.getByRole("dialog", { name: "Request a review" });
    await dialog.getByLabel("Title").fill(title);
    await dialog.getByLabel("Details").fill("New supplier for packaging.");
    await dialog.getByLabel("Payload (JSON, optional)").fill("{vendor: acme}");
    await dialog.getByLabel(`<${reviewer.email}> (REVIEWER)`).check();
    await dialog.getByLabel("Expires after").selectOption({ label: "24 hours" });
    await dialog.getByRole("button", { name: "Request review" }).click();
    await dialog.getByText("Payload is not valid JSON").waitFor();
    await dialog.getByLabel("Payload (JSON, optional)").fill('{"vendor": "acme", "limit": 5000}');
    await screenshot(page, "review-request");
    await dialog.getByRole("button", { name: "Request review" }).click();
    await page.getByRole("heading", { name: title }).waitFor();
    await page.getByText('"limit": 5000').waitFor();

    const { items } = await owner.query<{
      items: { id: string; title: string; expiresAt: string; createdAt: string }[];
    }>("reviews.list", { status: "pending" });
    const created = items.find((r) => r.title === title);
    const lifetime = Date.parse(created?.expiresAt ?? "") - Date.parse(created?.createdAt ?? "");
    expect(Math.round(lifetime / 3600_000)).toBe(24);
    const detail = await owner.query<{ assignees: { memberId: string }[] }>("reviews.get", {
      reviewId: created?.id,
    });
    expect(detail.assignees.map((a) => a.memberId)).toEqual([reviewer.memberId]);

    const other = await web.newPage();
    await signIn(other.page, reviewer.email);
    await nav(other.page).getByRole("link", { name: "Reviews" }).click();
    expect(await other.page.getByRole("button", { name: "Request a review" }).count()).toBe(0);
    await other.page.getByLabel("Assigned to me").check();
    await other.page.getByRole("link", { name: title }).waitFor();
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  }, 90_000);
});

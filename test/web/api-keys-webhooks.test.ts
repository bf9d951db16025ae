import { createServer } from "node:net";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { instanceDeliveryDeps, startWebhookWorker } from "../../src/modules/webhooks/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { orgOwner, PASSWORD } from "../helpers/users.ts";
import { type Sink, type SinkRequest, startSink } from "../webhooks/delivery-fixture.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
let sink: Sink;
/** A loopback port nobody listens on: deliveries there are refused, with no response. */
let closedPort: number;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  sink = await startSink((_req, res) => res.end("thanks"));
  closedPort = await freePort();
  // the receivers are on loopback: allowed explicitly, as an operator would for a local receiver
  web = await startWebTest({
    outboundAllow: parseAllowlist(`127.0.0.1:${new URL(sink.url).port},127.0.0.1:${closedPort}`),
  });
  await startWebhookWorker(instanceDeliveryDeps(web.t.deps), web.t.deps.queue);
});
afterAll(async () => {
  await web?.close();
  await sink?.close();
});

/** An OWNER of a fresh organization, signed in through the form. */
async function signedInOwner(orgName: string) {
  const { client } = await orgOwner(web.t, orgName);
  const { email } = await client.query<{ email: string }>("me");
  const { page, problems } = await web.newPage();
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/sign-in");
  await signInWithForm(page, email, PASSWORD);
  await page.getByRole("heading", { name: orgName }).waitFor();
  return { page, problems, client };
}

const openNav = (page: Page, name: string) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();

const listReviews = (key: string) =>
  fetch(`${web.origin}/api/v1/reviews`, { headers: { authorization: `Bearer ${key}` } });

async function received(type: string, timeoutMs = 20_000): Promise<SinkRequest> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = sink.requests.find((r) => JSON.parse(r.body).type === type);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no ${type} delivery arrived`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("API keys in the browser", () => {
  it("shows a new key once, then only its prefix; the key works until rolled, the new one until revoked", async () => {
    onTestFailed(() => web.screenshotAll("api-keys-failed"));
    const { page, problems } = await signedInOwner("Key Corp");
    await openNav(page, "API keys");
    await page.getByText("No API keys yet").waitFor();

    await page.getByLabel("Key name").fill("CI pipeline");
    await page.getByLabel("reviews:read").check();
    await page.getByLabel("Expires").selectOption({ label: "In 90 days" });
    await page.getByRole("button", { name: "Create API key" }).click();
    const reveal = page.getByRole("dialog", { name: "Your new API key" });
    await reveal.getByText("it won't be shown again").waitFor();
    await reveal.getByRole("button", { name: "Copy API key" }).click();
    const key = String(await page.evaluate("navigator.clipboard.readText()"));
    expect(key).toMatch(/^flx_[0-9A-Za-z]{49}$/);
    expect(await reveal.getByLabel("API key", { exact: true }).inputValue()).toBe(key);
    await screenshot(page, "api-keys-reveal");
    await reveal.getByRole("button", { name: "Done" }).click();

    const table = page.getByRole("table", { name: "API keys" });
    const row = table.getByRole("row").filter({ hasText: "CI pipeline" });
    await row.getByText(`${key.slice(0, 12)}…`).waitFor();
    await row.getByText("reviews:read").waitFor();
    await row.getByText("active").waitFor();
    expect(await page.content()).not.toContain(key.slice(12));

    expect((await listReviews(key)).status).toBe(200);
    await web.t.deps.apiKeyUsage.flush(); // written in batches off the request path
    await page.reload();
    await row.getByText("active").waitFor();
    expect(await row.getByText("Never").count()).toBe(0); // last used: now; expires: in 90 days
    await screenshot(page, "api-keys-list");

    // Rolling with no overlap: the new key is shown once and the old one stops at once.
    await page.getByRole("button", { name: "Roll CI pipeline" }).click();
    const roll = page.getByRole("dialog", { name: "Roll CI pipeline?" });
    await roll.getByLabel("Old key keeps working for").selectOption({ label: "Stop it now" });
    await roll.getByRole("button", { name: "Roll key" }).click();
    const rolled = page.getByRole("dialog", { name: "Your rolled API key" });
    const newKey = await rolled.getByLabel("API key", { exact: true }).inputValue();
    expect(newKey).not.toBe(key);
    await rolled.getByRole("button", { name: "Done" }).click();
    expect((await listReviews(key)).status).toBe(401);
    expect((await listReviews(newKey)).status).toBe(200);
    await row.filter({ hasText: "expired" }).waitFor();
    expect(await page.content()).not.toContain(newKey.slice(12));

    await page.getByRole("button", { name: "Revoke CI pipeline" }).click();
    await page
      .getByRole("dialog", { name: "Revoke CI pipeline?" })
      .getByRole("button", { name: "Revoke key" })
      .click();
    await row.getByText("revoked").waitFor();
    expect((await listReviews(newKey)).status).toBe(401);
    expect(problems).toEqual([]);
  });
});

describe("webhooks in the browser", () => {
  it("adds an endpoint, shows its secret once, and a test event arrives signed with it", async () => {
    onTestFailed(() => web.screenshotAll("webhooks-failed"));
    const { page, problems } = await signedInOwner("Hook Corp");
    await openNav(page, "Webhooks");
    await page.getByText("No webhook endpoints yet").waitFor();

    const url = `${sink.url}/fluxo`;
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("Description").fill("Billing sync");
    await page.getByLabel("review.approved").check(); // the choices come from the server
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const added = page.getByRole("dialog", { name: "Endpoint added" });
    await added.getByText("it won't be shown again").waitFor();
    const secret = await added.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await added.getByRole("button", { name: "Done" }).click();
    const endpoints = page.getByRole("table", { name: "Webhook endpoints" });
    await endpoints.getByText("review.approved").waitFor();
    expect(await page.content()).not.toContain(secret.slice(6));
    await screenshot(page, "webhooks-list");

    await endpoints.getByRole("link", { name: url }).click();
    await page.getByRole("heading", { name: url }).waitFor();
    await page.getByRole("button", { name: "Send test event" }).click();
    const delivery = await received("webhook.test");
    const headers = delivery.headers as Record<string, string>;
    expect(new Webhook(secret).verify(delivery.body, headers)).toMatchObject({
      type: "webhook.test",
    });

    // The table refreshes itself while the delivery is pending.
    const deliveryId = headers["webhook-id"] as string;
    const deliveries = page.getByRole("table", { name: "Deliveries" });
    const row = deliveries.getByRole("row").filter({ hasText: deliveryId });
    await row.getByText("succeeded").waitFor();
    await row.getByRole("button", { name: `Details of delivery ${deliveryId}` }).click();
    const attempts = page.getByRole("table", { name: "Attempts" });
    const attempt = attempts.getByRole("row").filter({ hasText: "scheduled" });
    await attempt.getByRole("cell", { name: "200", exact: true }).waitFor();
    await attempt.getByText("Response").click();
    await attempt.getByText("thanks").waitFor();
    await screenshot(page, "webhooks-endpoint");

    await page.getByRole("button", { name: "Redeliver" }).click();
    await attempts.getByRole("row").filter({ hasText: "manual" }).waitFor();
    await page.getByLabel("Delivery status").selectOption({ label: "Failed" });
    await page.getByText("No deliveries").waitFor();
    await page.getByLabel("Delivery status").selectOption({ label: "Succeeded" });
    await row.waitFor();

    // An OWNER may see the secret again, after confirming.
    await page.getByRole("button", { name: "Reveal secret" }).click();
    await page
      .getByRole("dialog", { name: "Reveal the signing secret?" })
      .getByRole("button", { name: "Reveal" })
      .click();
    const revealed = page.getByRole("dialog", { name: "Signing secret" });
    expect(await revealed.getByLabel("Signing secret", { exact: true }).inputValue()).toBe(secret);
    await revealed.getByRole("button", { name: "Done" }).click();

    // Rotation without grace: the new secret is shown once and alone signs what follows.
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await rotate.getByLabel("Old secret keeps signing for").selectOption("0");
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    const rotated = page.getByRole("dialog", { name: "New signing secret" });
    await rotated.getByText("it won't be shown again").waitFor();
    const newSecret = await rotated.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole("button", { name: "Done" }).click();
    sink.requests.length = 0;
    await page.getByRole("button", { name: "Send test event" }).click();
    const next = await received("webhook.test");
    const nextHeaders = next.headers as Record<string, string>;
    expect(() => new Webhook(newSecret).verify(next.body, nextHeaders)).not.toThrow();
    expect(() => new Webhook(secret).verify(next.body, nextHeaders)).toThrow();

    // Edit, disable (confirmed), enable, delete (confirmed).
    await page.getByLabel("review.rejected").check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Events: review.approved, review.rejected").waitFor();
    await page.getByRole("button", { name: "Disable endpoint" }).click();
    await page
      .getByRole("dialog", { name: "Disable this endpoint?" })
      .getByRole("button", { name: "Disable" })
      .click();
    await page.getByText("by a member").waitFor();
    await page.getByRole("button", { name: "Enable endpoint" }).click();
    await page.getByRole("button", { name: "Disable endpoint" }).waitFor();
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await page
      .getByRole("dialog", { name: "Delete this endpoint?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByText("No webhook endpoints yet").waitFor();
    expect(problems).toEqual([]);
  });

  it("an attempt that got no response shows its error, not a Response toggle; refusals show inside the secret and disable dialogs", async () => {
    onTestFailed(() => web.screenshotAll("webhooks-refusals-failed"));
    const { page, problems, client } = await signedInOwner("Refused Hook Corp");
    const url = `http://127.0.0.1:${closedPort}/hook`;
    const created = await client.mutate<{ id: string }>("webhooks.create", {
      url,
      eventTypes: ["review.approved"],
    });
    await openNav(page, "Webhooks");
    await page.getByRole("link", { name: url }).click();
    await page.getByRole("heading", { name: url }).waitFor();
    await page.getByRole("button", { name: "Send test event" }).click();

    const row = page.getByRole("table", { name: "Deliveries" }).getByRole("row").nth(1);
    await row.getByRole("button", { name: /^Details of delivery/ }).click();
    const attempt = page.getByRole("table", { name: "Attempts" }).getByRole("row").nth(1);
    await attempt.getByText("No response:").waitFor({ timeout: 20_000 });
    await attempt.getByText("refused", { exact: true }).waitFor();
    expect(await attempt.getByText("Response", { exact: true }).count()).toBe(0);
    // one delivery: no pager under the deliveries
    expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);

    // The endpoint goes away behind the open dialogs: each refusal shows in its dialog.
    await client.mutate("webhooks.delete", { endpointId: created.id });
    await page.getByRole("button", { name: "Reveal secret" }).click();
    const reveal = page.getByRole("dialog", { name: "Reveal the signing secret?" });
    await reveal.getByRole("button", { name: "Reveal" }).click();
    await reveal.getByRole("alert").getByText("not found").waitFor();
    await reveal.getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotate = page.getByRole("dialog", { name: "Rotate the signing secret?" });
    await rotate.getByRole("button", { name: "Rotate secret" }).click();
    await rotate.getByRole("alert").getByText("not found").waitFor();
    await rotate.getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("button", { name: "Disable endpoint" }).click();
    const disable = page.getByRole("dialog", { name: "Disable this endpoint?" });
    await disable.getByRole("button", { name: "Disable" }).click();
    await disable.getByRole("alert").getByText("not found").waitFor();
    await disable.getByRole("button", { name: "Cancel" }).click();
    // closing the dialog clears the refusal
    await page.getByRole("button", { name: "Disable endpoint" }).click();
    expect(await disable.getByRole("alert").count()).toBe(0);
    expect(problems).toEqual([]);
  });
});

import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner, PASSWORD } from "../helpers/users.ts";
import { startSink, waitForExecution, workflowWith } from "../workflows/harness.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
let sink: Awaited<ReturnType<typeof startSink>>;
let ownerApi: TestClient;
let ownerEmail: string;

beforeAll(async () => {
  sink = await startSink((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ accepted: true }));
  });
  web = await startWebTest({ outboundAllow: parseAllowlist(new URL(sink.url).host) });
  await startEngineWorkers(web.t.deps.engine, web.t.deps.queue);
  ownerApi = (await orgOwner(web.t, "Panel Corp")).client;
  ownerEmail = (await ownerApi.query<{ email: string }>("me")).email;
});
afterAll(async () => {
  await web?.close();
  await sink?.close();
});

async function signedIn() {
  const opened = await web.newPage();
  await opened.page.goto("/sign-in");
  await signInWithForm(opened.page, ownerEmail, PASSWORD);
  await opened.page.getByRole("navigation", { name: "Main" }).waitFor();
  return opened;
}

/** Opens the workflow in the editor and the settings panel of one of its nodes. */
async function openPanel(page: Page, workflowId: string, nodeId: string, title = nodeId) {
  await page.goto(`/workflows/${workflowId}`);
  await page.getByTestId(`node-${nodeId}`).click();
  await page.getByRole("complementary", { name: `Configure ${title}` }).waitFor();
  // named after the node, which the test may rename
  const panel = page.getByRole("complementary", { name: /^Configure / });
  await panel.waitFor();
  return panel;
}

/** The problems listed under a field (its aria-describedby ids). */
async function fieldErrors(panel: Locator, label: string) {
  const field = panel.getByLabel(label, { exact: true });
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(" ");
  const lists = ids.filter((id) => id.endsWith("-errors"));
  const texts = await Promise.all(lists.map((id) => panel.locator(`[id="${id}"]`).textContent()));
  return texts.join("\n");
}

describe("the node settings panel", () => {
  it("configures an HTTP request by label, picks a credential, previews an expression against the last execution and shows a save's problems at their fields", async () => {
    onTestFailed(() => web.screenshotAll("node-config-failed"));
    const bearer = await ownerApi.mutate<{ id: string }>("credentials.create", {
      name: "Orders API",
      type: "http_bearer",
      settings: {},
      secret: { token: "orders-token-5b1e" },
    });
    // of a type the node does not accept: not offered
    await ownerApi.mutate("credentials.create", {
      name: "Mail relay",
      type: "smtp",
      settings: {
        host: "127.0.0.1",
        port: 2525,
        secure: false,
        user: "flows",
        from: "flows@example.com",
      },
      secret: { password: "relay-password" },
    });
    const wf = await workflowWith(
      ownerApi,
      {
        nodes: [
          { id: "start", type: "manual_trigger" },
          { id: "call", type: "http_request", parameters: { url: `${sink.url}/first` } },
        ],
        edges: [{ from: "start", to: "call" }],
      },
      "Order sync",
    );
    const { executionId } = await ownerApi.mutate<{ executionId: string }>("workflows.run", {
      workflowId: wf.id,
      payload: { order: { id: 42, customer: "Ada" } },
    });
    expect((await waitForExecution(ownerApi, executionId)).status).toBe("succeeded");

    const { page, problems } = await signedIn();
    const panel = await openPanel(page, wf.id, "call");

    await panel.getByLabel("Node name").fill("Post order");
    await panel.getByLabel("method", { exact: true }).selectOption("POST");
    const url = panel.getByLabel("url", { exact: true });
    await url.fill(`${sink.url}/orders/{{ trigger.order.id }}`);
    await panel.getByRole("button", { name: "Add to headers" }).click();
    await panel.getByLabel("headers name 1", { exact: true }).fill("X-Customer");
    await panel
      .getByLabel("headers.X-Customer", { exact: true })
      .fill("{{ trigger.order.customer }}");
    await panel.getByLabel("timeoutMs", { exact: true }).fill("5000");
    await panel.getByLabel("failOnStatus", { exact: true }).check();
    await panel.getByText("Retries and timeout").click();
    await panel.getByLabel("Retry attempts").fill("3");
    await panel.getByLabel("Retry backoff (ms)").fill("500");
    await panel.getByLabel("Step timeout (ms)").fill("20000");

    const credential = panel.getByLabel("Credential", { exact: true });
    const offered = await credential.locator("option").allInnerTexts();
    expect(offered).toEqual(["None", "Orders API (http_bearer)"]);
    await credential.selectOption({ label: "Orders API (http_bearer)" });

    // The url's expression, evaluated against the run above.
    const urlBox = panel.getByTestId("field-url");
    await urlBox.getByRole("button", { name: "Preview" }).click();
    await urlBox.getByRole("status").getByText(`"${sink.url}/orders/42"`).waitFor();
    const header = panel.getByTestId("field-headers.X-Customer");
    await header.getByRole("button", { name: "Preview" }).click();
    await header.getByRole("status").getByText('"Ada"').waitFor();
    await url.scrollIntoViewIfNeeded();
    await screenshot(page, "node-config-panel");

    // A refused save: the problem stands at its field, not at the top.
    await url.fill("");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("alert", { name: "Save problems" }).waitFor();
    await expect
      .poll(() => fieldErrors(panel, "url"))
      .toMatch(/must be an http:\/\/ or https:\/\/ URL/);
    expect(await panel.getByRole("alert", { name: "Problems with this node" }).count()).toBe(0);

    await url.fill(`${sink.url}/orders/{{ trigger.order.id }}`);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Version 2", { exact: true }).waitFor();
    const saved = await ownerApi.query<{ definition: { nodes: unknown[] } }>(
      "workflows.getDefinition",
      { workflowId: wf.id },
    );
    expect(saved.definition.nodes[1]).toMatchObject({
      id: "call",
      name: "Post order",
      credentialId: bearer.id,
      retry: { attempts: 3, backoffMs: 500 },
      timeoutMs: 20000,
      parameters: {
        method: "POST",
        url: `${sink.url}/orders/{{ trigger.order.id }}`,
        headers: { "X-Customer": "{{ trigger.order.customer }}" },
        timeoutMs: 5000,
        failOnStatus: true,
      },
    });

    // An older version is read-only: every input of the panel is disabled.
    await page.goto(`/workflows/${wf.id}?version=1`);
    await page.getByText("Version 1 (read-only)").waitFor();
    await page.getByTestId("node-call").click();
    const readOnly = page.getByRole("complementary", { name: "Configure call" });
    await readOnly.waitFor();
    const inputs = readOnly.locator("input, select, textarea");
    expect(await inputs.count()).toBeGreaterThan(4);
    for (const input of await inputs.all()) expect(await input.isDisabled()).toBe(true);
    expect(await readOnly.getByRole("button", { name: "Add to headers" }).count()).toBe(0);

    expect(problems).toEqual([]); // no CSP violation, no script error
  });

  it("shows a schedule's next runs in its time zone and an invalid cron at the field; a webhook trigger's URL", async () => {
    onTestFailed(() => web.screenshotAll("node-config-triggers-failed"));
    const scheduled = await workflowWith(
      ownerApi,
      { nodes: [{ id: "tick", type: "schedule_trigger", parameters: { cron: "0 9 * * 1" } }] },
      "Weekly report",
    );
    const { page, problems } = await signedIn();
    const panel = await openPanel(page, scheduled.id, "tick");
    const runs = panel.getByRole("region", { name: "Next runs" });
    expect(await runs.getByRole("listitem").allInnerTexts()).toHaveLength(5);
    await expect.poll(() => runs.textContent()).toMatch(/Mon.*09:00/);

    await panel.getByLabel("timezone", { exact: true }).fill("America/New_York");
    await panel.getByLabel("cron", { exact: true }).fill("30 6 * * *");
    await runs.getByText("Next runs (America/New_York)").waitFor();
    await expect.poll(() => runs.getByRole("listitem").first().textContent()).toMatch(/06:30/);

    await panel.getByLabel("cron", { exact: true }).fill("61 * * * *");
    await expect.poll(() => fieldErrors(panel, "cron")).toMatch(/not a valid cron expression/);
    expect(await runs.count()).toBe(0);
    // a schedule is registered as written: no expressions
    await panel.getByLabel("cron", { exact: true }).fill("{{ trigger.cron }} * * * *");
    await expect.poll(() => fieldErrors(panel, "cron")).toMatch(/must be literal/);
    expect(
      await panel.getByTestId("field-cron").getByRole("button", { name: "Preview" }).count(),
    ).toBe(0);
    await panel.getByLabel("timezone", { exact: true }).fill("Mars/Olympus");
    await panel.getByLabel("cron", { exact: true }).fill("*/5 * * * *");
    await expect.poll(() => fieldErrors(panel, "timezone")).toMatch(/not a known time zone/);
    await screenshot(page, "node-config-schedule");

    const hooked = await workflowWith(
      ownerApi,
      { nodes: [{ id: "hook", type: "webhook_trigger" }] },
      "Inbound",
    );
    const hookPanel = await openPanel(page, hooked.id, "hook");
    await hookPanel
      .getByRole("region", { name: "Trigger URL" })
      .getByText(`POST ${web.origin}/hooks/${hooked.id}/<secret>`)
      .waitFor();
    expect(problems).toEqual([]);
  });
  it("configures a review node: numbers, a select, a tagged union and a list, with a problem on the list", async () => {
    onTestFailed(() => web.screenshotAll("node-config-review-failed"));
    const wf = await workflowWith(
      ownerApi,
      {
        nodes: [
          { id: "start", type: "manual_trigger" },
          {
            id: "approve",
            type: "review",
            parameters: { title: "Refund", expiresInHours: "{{ trigger.hours }}" },
          },
        ],
        edges: [{ from: "start", to: "approve" }],
      },
      "Refunds",
    );
    const { page, problems } = await signedIn();
    const panel = await openPanel(page, wf.id, "approve");
    await panel.getByLabel("title", { exact: true }).fill("Refund {{ trigger.amount }} EUR?");
    // a number given as an expression is edited (and previewed) as one, until a number replaces it
    const hours = panel.getByTestId("field-expiresInHours");
    expect(await hours.getByLabel("expiresInHours", { exact: true }).inputValue()).toBe(
      "{{ trigger.hours }}",
    );
    await hours.getByRole("button", { name: "Preview" }).waitFor();
    await panel.getByLabel("expiresInHours", { exact: true }).fill("1.5");
    await panel.getByLabel("onExpiry", { exact: true }).selectOption("fail");
    await panel.getByLabel("anyReviewer", { exact: true }).uncheck();
    await panel.getByLabel("notify.channel", { exact: true }).selectOption("email");
    await panel.getByRole("button", { name: "Add to notify.to" }).click();
    await panel.getByLabel("notify.to[0]", { exact: true }).fill("stranger@example.com");

    await page.getByRole("button", { name: "Save", exact: true }).click();
    const notifyTo = panel.getByRole("group", { name: "notify.to" });
    await notifyTo.getByText(/e-mail goes only to members/).waitFor();
    await screenshot(page, "node-config-review");

    await panel.getByLabel("notify.to[0]", { exact: true }).fill(ownerEmail);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Version 2", { exact: true }).waitFor();
    const saved = await ownerApi.query<{ definition: { nodes: unknown[] } }>(
      "workflows.getDefinition",
      { workflowId: wf.id },
    );
    expect(saved.definition.nodes[1]).toMatchObject({
      parameters: {
        title: "Refund {{ trigger.amount }} EUR?",
        expiresInHours: 1.5,
        onExpiry: "fail",
        anyReviewer: false,
        notify: { channel: "email", to: [ownerEmail] },
      },
    });
    expect(problems).toEqual([]);
  });
});

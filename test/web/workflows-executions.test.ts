import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import type { TestClient } from "../helpers/client.ts";
import { orgOwner, PASSWORD } from "../helpers/users.ts";
import { startSink, waitForExecution, workflowWith } from "../workflows/harness.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

const TOKEN = "partner-token-3f9c1e7a52";

let web: WebTest;
let sink: Awaited<ReturnType<typeof startSink>>;
let owner: TestClient;
let ownerEmail: string;

beforeAll(async () => {
  // The partner's API: it echoes the Authorization header it was sent, so an unmasked
  // secret would come back in the HTTP node's output.
  sink = await startSink((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({ received: JSON.parse(req.body || "{}"), auth: req.headers.authorization }),
    );
  });
  web = await startWebTest({ outboundAllow: parseAllowlist(new URL(sink.url).host) });
  await startEngineWorkers(web.t.deps.engine, web.t.deps.queue);
  owner = (await orgOwner(web.t, "Flow Corp")).client;
  ownerEmail = (await owner.query<{ email: string }>("me")).email;
});
afterAll(async () => {
  await web?.close();
  await sink?.close();
});

const manualTransform = {
  nodes: [
    { id: "start", type: "manual_trigger" },
    {
      id: "shape",
      type: "transform",
      name: "Greeting",
      parameters: { fields: { greeting: "{{ 'Hello ' & trigger.name }}" } },
    },
  ],
  edges: [{ from: "start", to: "shape" }],
};

async function signedIn() {
  const { page, problems } = await web.newPage();
  await page.goto("/sign-in?redirect=/workflows");
  await signInWithForm(page, ownerEmail, PASSWORD);
  await page.getByRole("heading", { name: "Workflows" }).waitFor();
  return { page, problems };
}

const rowOf = (page: Page, name: string) =>
  page.getByRole("table", { name: "Workflows" }).getByRole("row").filter({ hasText: name });

/** Every API answer the page receives, to check that no secret ever comes back. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.startsWith("/trpc"))
      bodies.push(await response.text().catch(() => ""));
  });
  return bodies;
}

describe("workflows and executions in the browser", () => {
  it("lists workflows with trigger and last status; create, rename, share and delete", async () => {
    onTestFailed(() => web.screenshotAll("workflows-failed"));
    const orders = await workflowWith(owner, manualTransform, "Order intake");
    await workflowWith(owner, { nodes: [{ id: "hook", type: "webhook_trigger" }] }, "Leads in");
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: orders.id,
      payload: { name: "Ada" },
    });
    await waitForExecution(owner, executionId);

    const { page, problems } = await signedIn();
    const ordersRow = rowOf(page, "Order intake");
    await ordersRow.getByText("Manual trigger").waitFor();
    await ordersRow.getByText("succeeded").waitFor();
    await ordersRow.getByText("Restricted").waitFor();
    const leadsRow = rowOf(page, "Leads in");
    await leadsRow.getByText("Incoming webhook").waitFor();
    await leadsRow.getByText("Never run").waitFor();
    await screenshot(page, "workflows-list");
    // at 1024 px the name keeps one line: the rarer actions are in a menu, reachable by keys
    const name = ordersRow.getByRole("link", { name: "Order intake", exact: true });
    expect((await name.boundingBox())?.height).toBeLessThan(30);
    const more = page.getByRole("button", { name: "More actions for Order intake" });
    await more.focus();
    await page.keyboard.press("Enter");
    const menu = page.getByRole("menu", { name: "More actions for Order intake" });
    const focused = () => menu.locator(":focus").getAttribute("aria-label", { timeout: 1000 });
    await expect.poll(focused).toBe("Rename Order intake");
    await page.keyboard.press("End");
    await expect.poll(focused).toBe("Delete Order intake");
    await screenshot(page, "workflows-list-menu");
    await page.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });

    // Create: named here, built in the editor it opens.
    await page.getByRole("button", { name: "New workflow" }).click();
    const create = page.getByRole("dialog", { name: "New workflow" });
    await create.getByLabel("Name").fill("Invoice sync");
    await create.getByLabel("Description").fill("Copies paid invoices to the ledger");
    await create.getByRole("button", { name: "Create workflow" }).click();
    await page.waitForURL(/\/workflows\/[^/]+$/);
    await page.goto("/workflows");
    await rowOf(page, "Invoice sync").getByText("Not saved").waitFor();

    await page.getByRole("button", { name: "More actions for Invoice sync" }).click();
    await page.getByRole("menuitem", { name: "Rename Invoice sync" }).click();
    const rename = page.getByRole("dialog", { name: "Rename Invoice sync" });
    await rename.getByLabel("Name").fill("Ledger sync");
    await rename.getByRole("button", { name: "Save" }).click();
    await rowOf(page, "Ledger sync").waitFor();

    // Sharing: a workflow's levels are view and edit.
    await page.getByRole("button", { name: "More actions for Ledger sync" }).click();
    await page.getByRole("menuitem", { name: "Share Ledger sync" }).click();
    const share = page.getByRole("dialog", { name: "Share Ledger sync" });
    await share.getByLabel("Default level").waitFor();
    const levels = await share.getByLabel("Default level").locator("option").allTextContents();
    expect(levels).toEqual(["view", "edit"]);
    await share.getByLabel("Sharing").selectOption("shared");
    await share.getByRole("button", { name: "Save sharing" }).click();
    await page.getByText("Sharing saved").first().waitFor();
    await share.getByRole("button", { name: "Done" }).click();
    await rowOf(page, "Ledger sync").getByText("Shared · view").waitFor();

    await page.getByRole("button", { name: "More actions for Ledger sync" }).click();
    await page.getByRole("menuitem", { name: "Delete Ledger sync" }).click();
    await page
      .getByRole("dialog", { name: "Delete Ledger sync?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await rowOf(page, "Ledger sync").waitFor({ state: "detached" });
    const names = (await owner.list<{ name: string }>("workflows.list")).map((w) => w.name);
    expect(names).toEqual(["Leads in", "Order intake"]);

    // The API's refusal shows in the run form: the workflow was deleted meanwhile elsewhere.
    await page.getByRole("button", { name: "Run Order intake" }).click();
    const run = page.getByRole("dialog", { name: "Run Order intake" });
    await owner.mutate("workflows.delete", { workflowId: orders.id });
    await run.getByRole("button", { name: "Run now" }).click();
    await run.getByRole("alert").getByText("Workflow not found").waitFor();
    expect(problems).toEqual([]);
  });

  it("runs a workflow with a payload and watches it succeed; the HTTP node's output shows no secret", async () => {
    onTestFailed(() => web.screenshotAll("workflow-run-failed"));
    const credential = await owner.mutate<{ id: string }>("credentials.create", {
      name: "Partner API",
      type: "http_bearer",
      secret: { token: TOKEN },
    });
    await workflowWith(
      owner,
      {
        nodes: [
          ...manualTransform.nodes,
          {
            id: "notify",
            type: "http_request",
            name: "Notify partner",
            credentialId: credential.id,
            parameters: { method: "POST", url: `${sink.url}/orders`, body: "{{ nodes.shape }}" },
          },
        ],
        edges: [...manualTransform.edges, { from: "shape", to: "notify" }],
      },
      "Partner greeting",
    );

    const { page, problems } = await signedIn();
    const responses = recordResponses(page);
    await page.getByRole("button", { name: "Run Partner greeting" }).click();
    const run = page.getByRole("dialog", { name: "Run Partner greeting" });
    await run.getByLabel("Payload (JSON)").fill("{ name: Ada }");
    await run.getByRole("button", { name: "Run now" }).click();
    await run.getByRole("alert").getByText("Payload is not valid JSON").waitFor();
    await run.getByLabel("Payload (JSON)").fill('{ "name": "Ada" }');
    await run.getByRole("button", { name: "Run now" }).click();

    await page.waitForURL(/\/executions\/[^/]+$/);
    await page.getByRole("heading", { name: "Execution of Partner greeting" }).waitFor();
    const steps = page.getByRole("list", { name: "Steps" });
    await steps.getByRole("button", { name: /Notify partner.*succeeded/ }).waitFor();
    await page.getByRole("definition").getByText("succeeded", { exact: true }).waitFor();
    // each step's bar places it within the run; its times are text for screen readers
    const notifyStep = steps.getByRole("listitem").filter({ hasText: "Notify partner" });
    await notifyStep.getByText(/^started .+ into the execution, took .+$/).waitFor();
    await screenshot(page, "execution-step-bars");

    // The graph colours each node by its step's status; choosing a node opens its step.
    const graph = page.getByRole("region", { name: "Graph" });
    await graph.locator('[data-testid="node-notify"][data-status="succeeded"]').waitFor();
    await graph.getByTestId("node-shape").click();
    const greeting = page.getByRole("figure", { name: "Output of Greeting" });
    expect(await greeting.textContent()).toContain('"greeting": "Hello Ada"');

    await steps.getByRole("button", { name: /Notify partner/ }).click();
    const output = page.getByRole("figure", { name: "Output of Notify partner" });
    expect(await output.textContent()).toContain('"greeting": "Hello Ada"');
    expect(sink.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await page.content()).not.toContain(TOKEN);
    for (const body of responses) expect(body).not.toContain(TOKEN);

    await page.getByRole("button", { name: "Dismiss" }).click();
    await screenshot(page, "execution-viewer");
    expect(problems).toEqual([]);
  });

  it("filters executions, shows what a waiting node waits for, and cancels it", async () => {
    onTestFailed(() => web.screenshotAll("executions-failed"));
    const awaiting = await workflowWith(
      owner,
      {
        nodes: [
          { id: "start", type: "manual_trigger" },
          {
            id: "paid",
            type: "wait_for_event",
            name: "Payment arrives",
            parameters: { key: "invoice-paid", timeoutSeconds: 3600 },
          },
        ],
        edges: [{ from: "start", to: "paid" }],
      },
      "Await payment",
    );
    const { executionId } = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: awaiting.id,
    });
    await waitForExecution(owner, executionId, ["waiting"]);

    const { page, problems } = await signedIn();
    await page.getByRole("link", { name: "Executions of Await payment" }).click();
    const filters = page.getByRole("form", { name: "Filter executions" });
    expect(await filters.getByLabel("Workflow").inputValue()).toBe(awaiting.id);
    const table = page.getByRole("table", { name: "Executions" });
    await table.getByRole("row").filter({ hasText: "Await payment" }).waitFor();

    await page.goto("/executions");
    await filters.getByLabel("Status").selectOption("waiting");
    await page.waitForURL(/status=waiting/);
    const rows = table.getByRole("row").filter({ hasNotText: "Started" });
    await rows.filter({ hasText: "Await payment" }).waitFor();
    await rows.filter({ hasText: "succeeded" }).waitFor({ state: "detached" });
    await screenshot(page, "executions-list");

    await rows.filter({ hasText: "Await payment" }).getByRole("link").click();
    await page.getByText("Waiting for a signal with key invoice-paid").waitFor();
    await page.getByRole("button", { name: "Send signal" }).waitFor();
    await page.getByRole("button", { name: "Cancel execution" }).click();
    await page
      .getByRole("dialog", { name: "Cancel this execution?" })
      .getByRole("button", { name: "Cancel execution" })
      .click();
    await page.getByRole("definition").getByText("cancelled", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel execution" }).waitFor({ state: "detached" });
    const after = await owner.query<{ status: string }>("executions.get", { executionId });
    expect(after.status).toBe("cancelled");

    // Another run of it resumes when signalled with the key it waits on.
    const second = await owner.mutate<{ executionId: string }>("workflows.run", {
      workflowId: awaiting.id,
    });
    await waitForExecution(owner, second.executionId, ["waiting"]);
    await page.goto(`/executions/${second.executionId}`);
    await page.getByRole("button", { name: "Send signal" }).click();
    const signal = page.getByRole("dialog", { name: "Send a signal" });
    expect(await signal.getByLabel("Key").inputValue()).toBe("invoice-paid");
    await signal.getByLabel("Event payload (JSON)").fill('{ "amount": 120 }');
    await signal.getByRole("button", { name: "Send signal" }).click();
    await page.getByRole("definition").getByText("succeeded", { exact: true }).waitFor();
    await page
      .getByRole("list", { name: "Steps" })
      .getByRole("button", { name: /Payment arrives/ })
      .click();
    const output = page.getByRole("figure", { name: "Output of Payment arrives" });
    expect(await output.textContent()).toContain('"amount": 120');
    expect(problems).toEqual([]);
  });
});

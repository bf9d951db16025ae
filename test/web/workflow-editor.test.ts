import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { startSink } from "../workflows/harness.ts";
import { graphNode, signIn } from "./editor-pages.ts";
import { screenshot, startWebTest, type WebTest } from "./harness.ts";

const TOKEN = "partner-token-8c2d5f1b93";

let web: WebTest;
let sink: Awaited<ReturnType<typeof startSink>>;

beforeAll(async () => {
  // The partner's API echoes the Authorization header, so an unmasked token would show.
  sink = await startSink((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ auth: req.headers.authorization }));
  });
  web = await startWebTest({ outboundAllow: parseAllowlist(new URL(sink.url).host) });
  await startEngineWorkers(web.t.deps.engine, web.t.deps.queue);
});
afterAll(async () => {
  await web?.close();
  await sink?.close();
});

describe("the workflow editor", () => {
  it("builds webhook → transform, refuses it with the problem on the node, saves versions, views and restores an old one, rotates the webhook secret; a viewer sees it read-only", async () => {
    onTestFailed(() => web.screenshotAll("workflow-editor-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Flow Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Greeter",
    });
    const owner = await signIn(web, email);
    const { page } = owner;
    await page.goto(`/workflows/${workflowId}`);
    await page.getByRole("heading", { name: "Greeter" }).waitFor();
    await page.getByText("Not saved yet").waitFor();
    await page.getByText("Start with a trigger from the palette.").waitFor();

    // Build: the trigger, then a transform placed apart and connected by dragging.
    const palette = page.getByRole("navigation", { name: "Node palette" });
    await palette.getByRole("button", { name: "Add Incoming webhook" }).click();
    await graphNode(page, "webhook_trigger").waitFor();
    expect(await palette.getByRole("button", { name: "Add Manual trigger" }).isDisabled()).toBe(
      true,
    );
    await page.getByRole("button", { name: "Close node settings" }).click();
    await palette.getByRole("button", { name: "Add Transform" }).click();
    await graphNode(page, "transform").waitFor();
    await page.getByRole("button", { name: "Close node settings" }).click();
    await expect(page.locator(".react-flow__edge").count()).resolves.toBe(0);
    await page.getByRole("button", { name: "Fit view" }).click();
    await graphNode(page, "webhook_trigger")
      .locator(".react-flow__handle.source")
      .dragTo(graphNode(page, "transform").locator(".react-flow__handle.target"));
    await page.locator(".react-flow__edge").waitFor({ state: "attached" });
    await page.getByText("Unsaved changes").waitFor();

    // A transform without fields is refused: the problem is on the node and in its panel.
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const refusal = page.getByRole("alert", { name: "Save problems" });
    await refusal.getByText("parameters.fields").waitFor();
    expect(await graphNode(page, "transform").getAttribute("data-invalid")).toBe("true");
    await refusal.getByRole("button", { name: "transform" }).click();
    const panel = page.getByRole("complementary", { name: "Configure transform" });
    await panel.waitFor();
    await screenshot(page, "workflow-editor-refused");

    // Configure it in the panel and save: version 1, and the webhook URL shown once.
    await panel.getByRole("button", { name: "Add to fields" }).click();
    await panel.getByLabel("fields name 1").fill("greeting");
    await panel.getByLabel("fields.greeting").fill("{{ trigger.body.name }}");
    // the edited field's problem is gone from the node before the next save checks it again
    await graphNode(page, "transform").and(page.locator(":not([data-invalid])")).waitFor();
    await refusal.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const secretDialog = page.getByRole("dialog", { name: "Webhook URL" });
    const hookUrl = await secretDialog.getByLabel("Webhook URL", { exact: true }).inputValue();
    expect(hookUrl).toMatch(new RegExp(`^${web.origin}/hooks/${workflowId}/\\S+$`));
    await secretDialog.getByRole("button", { name: "Done" }).click();
    await page.getByText("Version 1", { exact: true }).waitFor();
    expect(await refusal.count()).toBe(0);

    // A reload draws the same graph where it was left.
    // where each node sits on the canvas (flow coordinates, whatever the zoom)
    const offset = () =>
      Promise.all(
        ["webhook_trigger", "transform"].map(async (id) => {
          const style = await page
            .locator(`.react-flow__node[data-id="${id}"]`)
            .getAttribute("style");
          return style?.match(/translate\([^)]*\)/)?.[0];
        }),
      );
    const before = await offset();
    await page.reload();
    await graphNode(page, "transform").waitFor();
    await page.getByText("Version 1", { exact: true }).waitFor();
    expect(await page.locator(".react-flow__edge").count()).toBe(1);
    expect(await offset()).toEqual(before);
    await screenshot(page, "workflow-editor");
    const saved = await ownerApi.query<{ definition: unknown }>("workflows.getDefinition", {
      workflowId,
    });
    expect(saved.definition).toMatchObject({
      nodes: [
        { id: "webhook_trigger", type: "webhook_trigger", position: expect.any(Object) },
        { id: "transform", parameters: { fields: { greeting: "{{ trigger.body.name }}" } } },
      ],
      edges: [{ from: "webhook_trigger", to: "transform", port: "main" }],
    });

    // Version 2 renames the transform; the history lists both and opens v1 read-only.
    await graphNode(page, "transform").click();
    await page.getByLabel("Node name").fill("Shape greeting");
    await page.keyboard.press("Control+s");
    await page.getByText("Version 2", { exact: true }).waitFor();
    await screenshot(page, "workflow-editor-panel");
    await page.getByRole("button", { name: "Version history" }).click();
    const history = page.getByRole("dialog", { name: "Version history" });
    await history.getByRole("cell", { name: "v2 current" }).waitFor();
    await history.getByRole("cell", { name: "v1", exact: true }).waitFor();
    await history.getByRole("link", { name: "Open version 1" }).click();
    await page.getByText("Version 1 (read-only)").waitFor();
    await graphNode(page, "transform").getByText("transform", { exact: true }).waitFor();
    expect(await page.getByRole("button", { name: "Save", exact: true }).count()).toBe(0);
    expect(await page.getByRole("navigation", { name: "Node palette" }).count()).toBe(0);
    // Restoring it saves it again as version 3.
    await page.getByRole("button", { name: "Restore this version" }).click();
    await page.getByText("Version 3", { exact: true }).waitFor();
    await graphNode(page, "transform").getByText("transform", { exact: true }).waitFor();

    // Leaving with unsaved changes asks first.
    await page.getByRole("navigation", { name: "Node palette" }).waitFor();
    await graphNode(page, "transform").click();
    await palette.getByRole("button", { name: "Add If" }).click();
    await graphNode(page, "if").waitFor();
    expect(await page.locator(".react-flow__edge").count()).toBe(2); // connected after the transform
    // undoing back to what was saved is no longer unsaved; redoing is again
    const unsaved = page.getByText("Unsaved changes");
    await unsaved.waitFor();
    await page.getByRole("button", { name: "Undo", exact: true }).click();
    await graphNode(page, "if").waitFor({ state: "detached" });
    await unsaved.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Redo", exact: true }).click();
    await unsaved.waitFor();
    await page.getByRole("link", { name: "← Workflows" }).click();
    const leave = page.getByRole("dialog", { name: "Leave without saving?" });
    await leave.getByRole("button", { name: "Cancel" }).click();

    // Connecting without dragging: the selected node's output, chosen in a dialog.
    await page.getByRole("button", { name: "Close node settings" }).click();
    await palette.getByRole("button", { name: "Add Wait for event" }).click();
    await page.getByRole("button", { name: "Close node settings" }).click();
    await page.getByRole("button", { name: "Fit view" }).click();
    await graphNode(page, "if").click();
    await page.getByRole("button", { name: "Connect…" }).click();
    const connect = page.getByRole("dialog", { name: "Connect if" });
    await connect.getByLabel("Output").selectOption("false");
    await connect.getByLabel("To node").selectOption("wait_for_event");
    await connect.getByRole("button", { name: "Connect" }).click();
    await page.locator('.react-flow__edge[data-id="if:false->wait_for_event"]').waitFor({
      state: "attached",
    });
    await screenshot(page, "workflow-editor-ports");
    await graphNode(page, "if").click();
    await page.keyboard.press("Delete");
    await graphNode(page, "if").waitFor({ state: "detached" });
    expect(await page.locator(".react-flow__edge").count()).toBe(1);

    // Rotating the webhook secret: the old URL stops working, the new one runs the workflow.
    await page.getByRole("button", { name: "Rotate webhook secret" }).click();
    await page
      .getByRole("dialog", { name: "Rotate the webhook secret?" })
      .getByRole("button", { name: "Rotate" })
      .click();
    const rotated = page.getByRole("dialog", { name: "Webhook URL" });
    const newUrl = await rotated.getByLabel("Webhook URL", { exact: true }).inputValue();
    await rotated.getByRole("button", { name: "Done" }).click();
    expect(newUrl).not.toBe(hookUrl);
    const post = (url: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect((await post(hookUrl)).status).toBe(404);
    expect((await post(newUrl)).status).toBeLessThan(300);

    // Closing the tab with unsaved changes (the wait node) makes the browser ask first.
    const asked = new Promise<string>((resolve) =>
      page.once("dialog", (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      }),
    );
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe("beforeunload");

    // A member with a view grant sees the editor read-only.
    const viewer = await addMember(web.t, ownerApi, "PARTICIPANT");
    await ownerApi.mutate("sharing.grant", {
      assetType: "workflow",
      assetId: workflowId,
      memberId: viewer.memberId,
      level: "view",
    });
    const viewerPage = await signIn(web, viewer.email);
    await viewerPage.page.goto(`/workflows/${workflowId}`);
    await viewerPage.page.getByText("View only").waitFor();
    await graphNode(viewerPage.page, "transform").click();
    const readOnlyPanel = viewerPage.page.getByRole("complementary", {
      name: "Configure transform",
    });
    expect(await readOnlyPanel.getByLabel("Node name").isDisabled()).toBe(true);
    for (const name of ["Save", "Rotate webhook secret", "Delete selected"]) {
      expect(await viewerPage.page.getByRole("button", { name, exact: true }).count()).toBe(0);
    }
    expect(await viewerPage.page.getByRole("navigation", { name: "Node palette" }).count()).toBe(0);
    await screenshot(viewerPage.page, "workflow-editor-read-only");

    expect(owner.problems).toEqual([]); // no CSP violation, no script error
    expect(viewerPage.problems).toEqual([]);
  });

  it("a webhook → transform → HTTP request workflow built by clicks and typing runs through its URL; the viewer shows it succeeded without the token", async () => {
    onTestFailed(() => web.screenshotAll("workflow-editor-run-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Partner Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    await ownerApi.mutate("credentials.create", {
      name: "Partner API",
      type: "http_bearer",
      secret: { token: TOKEN },
    });
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Partner hook",
    });
    const { page, problems } = await signIn(web, email);
    await page.goto(`/workflows/${workflowId}`);
    const palette = page.getByRole("navigation", { name: "Node palette" });

    // Each node is added after the selected one, so the chain builds itself.
    await palette.getByRole("button", { name: "Add Incoming webhook" }).click();
    await palette.getByRole("button", { name: "Add Transform" }).click();
    const transform = page.getByRole("complementary", { name: "Configure transform" });
    await transform.getByRole("button", { name: "Add to fields" }).click();
    await transform.getByLabel("fields name 1").fill("greeting");
    await transform.getByLabel("fields.greeting").fill("{{ 'Hello ' & trigger.body.name }}");
    await palette.getByRole("button", { name: "Add HTTP request" }).click();
    const http = page.getByRole("complementary", { name: "Configure http_request" });
    await http.getByLabel("url", { exact: true }).fill(`${sink.url}/hello`);
    await http.getByLabel("Credential").selectOption({ label: "Partner API (http_bearer)" });
    expect(await page.locator(".react-flow__edge").count()).toBe(2);
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const secretDialog = page.getByRole("dialog", { name: "Webhook URL" });
    const hookUrl = await secretDialog.getByLabel("Webhook URL", { exact: true }).inputValue();
    await secretDialog.getByRole("button", { name: "Done" }).click();

    const triggered = await fetch(hookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Ada" }),
    });
    expect(triggered.status).toBe(202);
    const { executionId } = (await triggered.json()) as { executionId: string };

    await page.goto(`/executions/${executionId}`);
    const graph = page.getByRole("region", { name: "Graph" });
    await graph.locator('[data-testid="node-http_request"][data-status="succeeded"]').waitFor();
    await graph.getByTestId("node-transform").click();
    const greeting = page.getByRole("figure", { name: "Output of transform" });
    expect(await greeting.textContent()).toContain('"greeting": "Hello Ada"');
    await graph.getByTestId("node-http_request").click();
    const output = page.getByRole("figure", { name: "Output of http_request" });
    expect(await output.textContent()).toContain('"auth"');
    expect(sink.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await page.content()).not.toContain(TOKEN);
    expect(problems).toEqual([]);
  });

  it("pages through a long version history to the first version", async () => {
    const { client: ownerApi } = await orgOwner(web.t, "Many Versions Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Often saved",
    });
    for (let run = 1; run <= 22; run++) {
      await ownerApi.mutate("workflows.saveDefinition", {
        workflowId,
        definition: { nodes: [{ id: "start", type: "manual_trigger", name: `Start ${run}` }] },
      });
    }
    const { page } = await signIn(web, email);
    await page.goto(`/workflows/${workflowId}`);
    await page.getByRole("button", { name: "Version history" }).click();
    const history = page.getByRole("dialog", { name: "Version history" });
    await history.getByRole("cell", { name: "v22 current" }).waitFor();
    expect(await history.getByRole("link", { name: /^Open version/ }).count()).toBe(20);
    await history.getByRole("button", { name: "Older versions" }).click();
    await history.getByRole("cell", { name: "v1", exact: true }).waitFor();
    expect(await history.getByRole("link", { name: /^Open version/ }).count()).toBe(2);
    expect(await history.getByRole("button", { name: "Older versions" }).isDisabled()).toBe(true);
    await history.getByRole("button", { name: "Newer versions" }).click();
    await history.getByRole("cell", { name: "v22 current" }).waitFor();
    // opened again after leaving it on an older page, it starts from the newest
    await history.getByRole("button", { name: "Older versions" }).click();
    await history.getByRole("cell", { name: "v1", exact: true }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Version history" }).click();
    await history.getByRole("cell", { name: "v22 current" }).waitFor();
  });
});

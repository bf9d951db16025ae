import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import { graphNode, signIn } from "./editor-pages.ts";
import { screenshot, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;

beforeAll(async () => {
  web = await startWebTest();
  await startEngineWorkers(web.t.deps.engine, web.t.deps.queue);
});
afterAll(() => web?.close());

/** The settings panel of the selected node, whatever it is named. */
const panelOf = (page: Page) => page.getByRole("complementary", { name: /^Configure / });

/** Names the selected transform and gives it one field, so each branch says where it went. */
async function configureBranch(page: Page, name: string, decision: string) {
  const panel = panelOf(page);
  await panel.getByLabel("Node name").fill(name);
  await panel.getByRole("button", { name: "Add to fields" }).click();
  await panel.getByLabel("fields name 1").fill("decision");
  await panel.getByLabel("fields.decision").fill(decision);
}

describe("a workflow with a human review", () => {
  it("built in the editor, waits on its review; a REVIEWER approves it in the inbox and the execution goes on through the approved branch", async () => {
    onTestFailed(() => web.screenshotAll("review-workflow-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Refund Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    // the review node routes to every REVIEWER unless told otherwise (anyReviewer)
    const reviewer = await addMember(web.t, ownerApi, "REVIEWER");
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Refund approval",
    });

    // Build: manual trigger → review, approved → "On approved", rejected → "On rejected".
    const owner = await signIn(web, email);
    const { page } = owner;
    await page.goto(`/workflows/${workflowId}`);
    const palette = page.getByRole("navigation", { name: "Node palette" });
    await palette.getByRole("button", { name: "Add Manual trigger" }).click();
    await palette.getByRole("button", { name: "Add Human review" }).click();
    const review = page.getByRole("complementary", { name: "Configure review" });
    await review.getByLabel("title", { exact: true }).fill("Refund order 1042");
    await palette.getByRole("button", { name: "Add Transform" }).click(); // on "approved"
    await configureBranch(page, "On approved", "approved");
    await page.getByRole("button", { name: "Close node settings" }).click();
    // added after the review again: on its first port that leads nowhere yet, "rejected"
    await page.getByRole("button", { name: "Fit view" }).click();
    await graphNode(page, "review").click();
    await palette.getByRole("button", { name: "Add Transform" }).click();
    await configureBranch(page, "On rejected", "rejected");
    await page.getByRole("button", { name: "Close node settings" }).click();
    await page.getByRole("button", { name: "Fit view" }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Version 1", { exact: true }).waitFor();
    await screenshot(page, "review-workflow-editor");
    const saved = await ownerApi.query<{ definition: unknown }>("workflows.getDefinition", {
      workflowId,
    });
    expect(saved.definition).toMatchObject({
      nodes: [
        { id: "manual_trigger" },
        { id: "review", type: "review", parameters: { title: "Refund order 1042" } },
        { id: "transform", name: "On approved" },
        { id: "transform_2", name: "On rejected" },
      ],
      edges: expect.arrayContaining([
        { from: "review", to: "transform", port: "approved" },
        { from: "review", to: "transform_2", port: "rejected" },
      ]),
    });

    // Run it from the list: the viewer shows it waiting on the review, with a link to it.
    await page.goto("/workflows");
    await page.getByRole("button", { name: "Run Refund approval" }).click();
    const run = page.getByRole("dialog", { name: "Run Refund approval" });
    await run.getByLabel("Payload (JSON)").fill('{ "order": 1042 }');
    await run.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/executions\/[^/]+$/);
    const executionUrl = page.url();
    const graph = page.getByRole("region", { name: "Graph" });
    await graph.locator('[data-testid="node-review"][data-status="waiting"]').waitFor();
    const reviewLink = page.getByRole("link", { name: "open the review" });
    await page.getByText("Waiting for a review decision").waitFor();
    const reviewPath = await reviewLink.getAttribute("href");
    expect(reviewPath).toMatch(/^\/reviews\/[^/]+$/);
    await screenshot(page, "review-workflow-waiting");
    await reviewLink.click();
    await page.getByRole("heading", { name: "Refund order 1042" }).waitFor();

    // The REVIEWER finds it in the inbox and approves it.
    const decider = await signIn(web, reviewer.email);
    await decider.page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Reviews" })
      .click();
    const inbox = decider.page.getByRole("table", { name: "Reviews" });
    await inbox.getByRole("link", { name: "Refund order 1042" }).click();
    await decider.page.waitForURL(`**${reviewPath}`);
    await decider.page.getByLabel("Comment").fill("Within policy");
    await decider.page.getByRole("button", { name: "Approve" }).click();
    await decider.page.getByText("Review approved").first().waitFor();

    // The viewer (polling while the execution waits) shows it succeeded through "approved".
    await page.goto(executionUrl);
    await page.locator("header dl").getByText("succeeded", { exact: true }).waitFor();
    await graph.locator('[data-testid="node-transform"][data-status="succeeded"]').waitFor();
    expect(await graphNode(page, "review").getAttribute("data-status")).toBe("succeeded");
    expect(await graphNode(page, "transform_2").getAttribute("data-status")).toBe("skipped");
    const steps = page.getByRole("list", { name: "Steps" });
    const reviewStep = steps.getByRole("listitem").filter({ hasText: "→ approved" });
    const reviewText = await reviewStep.textContent();
    expect(reviewText).toContain("review");
    expect(reviewText).not.toContain("—"); // the wait is the step's duration
    await steps.getByRole("button", { name: /^On approved/ }).click();
    const output = page.getByRole("figure", { name: "Output of On approved" });
    expect(await output.textContent()).toContain('"decision": "approved"');
    await screenshot(page, "review-workflow-approved");

    expect(owner.problems).toEqual([]); // no CSP violation, no script error
    expect(decider.problems).toEqual([]);
  }, 120_000);
});

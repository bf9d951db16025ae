import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { startEngineWorkers } from "../../src/modules/workflows/engine/worker.ts";
import { orgOwner } from "../helpers/users.ts";
import { graphNode, signIn } from "./editor-pages.ts";
import { screenshot, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;

beforeAll(async () => {
  web = await startWebTest();
  await startEngineWorkers(web.t.deps.engine, web.t.deps.queue);
});
afterAll(async () => {
  await web?.close();
});

/** Whether the node's box lies inside the canvas, none of it scrolled out of view. */
async function onCanvas(page: Page, id: string) {
  const canvas = page.locator(".react-flow").first();
  const [outer, inner] = await Promise.all([
    canvas.boundingBox(),
    graphNode(page, id).boundingBox(),
  ]);
  if (!outer || !inner) return false;
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe("the workflow editor's canvas", () => {
  it("undoes and redoes a node deleted by keyboard (with its edges) and typing in a node's settings as one step; closing the panel brings back the nodes it pushed aside", async () => {
    onTestFailed(() => web.screenshotAll("editor-undo-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Undo Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Chain",
    });
    const { page, problems } = await signIn(web, email);
    await page.goto(`/workflows/${workflowId}`);
    const palette = page.getByRole("navigation", { name: "Node palette" });
    const undo = page.getByRole("button", { name: "Undo", exact: true });
    const redo = page.getByRole("button", { name: "Redo", exact: true });
    expect(await undo.isDisabled()).toBe(true);

    // Each node goes after the selected one, whose settings panel covers the canvas's right.
    for (const type of ["Incoming webhook", "Transform", "HTTP request", "Transform"])
      await palette.getByRole("button", { name: `Add ${type}` }).click();
    await graphNode(page, "transform_2").waitFor();
    expect(await onCanvas(page, "transform_2")).toBe(true);
    await page.getByRole("button", { name: "Close node settings" }).click();
    // the view moves back: the node before the last one is on the canvas again
    await expect.poll(() => onCanvas(page, "http_request")).toBe(true);
    await screenshot(page, "editor-undo-closed");

    // Delete on the middle node removes it and both its edges; Ctrl+Z brings all back at once.
    const edges = page.locator(".react-flow__edge");
    await expect.poll(() => edges.count()).toBe(3);
    await graphNode(page, "http_request").click();
    await page.getByRole("complementary", { name: "Configure http_request" }).waitFor();
    await graphNode(page, "http_request").press("Delete");
    await graphNode(page, "http_request").waitFor({ state: "detached" });
    await expect.poll(() => edges.count()).toBe(1);
    await page.keyboard.press("Control+z");
    await graphNode(page, "http_request").waitFor();
    await expect.poll(() => edges.count()).toBe(3);
    await page.keyboard.press("Control+Shift+z");
    await graphNode(page, "http_request").waitFor({ state: "detached" });
    await undo.click();
    await graphNode(page, "http_request").waitFor();
    expect(await redo.isDisabled()).toBe(false);

    // Typing a name is one step; in the field, Ctrl+Z is the browser's own undo of the text.
    await page.getByRole("button", { name: "Close node settings" }).click();
    await page.getByRole("button", { name: "Fit view" }).click();
    await graphNode(page, "transform").click();
    const name = page.getByLabel("Node name");
    await name.fill("Shape");
    await name.pressSequentially(" it");
    await graphNode(page, "transform").getByText("Shape it").waitFor();
    expect(await redo.isDisabled()).toBe(true); // an edit after an undo drops the redo
    const typed = await name.inputValue();
    // in the field, Ctrl+Z is the browser's own undo of the text, not the graph's
    await name.press("Control+z");
    expect(await graphNode(page, "http_request").count()).toBe(1);
    const beforeUndo = await name.inputValue();
    expect([typed, "Shape", ""]).toContain(beforeUndo);
    await undo.click();
    await graphNode(page, "transform").getByText("transform", { exact: true }).waitFor();
    // the panel shows the restored value, not the one typed before
    expect(await page.getByLabel("Node name").inputValue()).toBe("");
    await redo.click();
    expect(await page.getByLabel("Node name").inputValue()).toBe(beforeUndo);

    // With nothing selected, a new node goes to the middle of the view, clear of the others.
    await page.getByRole("button", { name: "Close node settings" }).click();
    await page.getByRole("button", { name: "Fit view" }).click();
    await palette.getByRole("button", { name: "Add If" }).click();
    await graphNode(page, "if").waitFor();
    await page.getByRole("button", { name: "Close node settings" }).click();
    const [canvas, added] = await Promise.all([
      page.locator(".react-flow").first().boundingBox(),
      graphNode(page, "if").boundingBox(),
    ]);
    if (!canvas || !added) throw new Error("no canvas or node");
    expect(Math.abs(added.x + added.width / 2 - (canvas.x + canvas.width / 2))).toBeLessThan(4);
    expect(await onCanvas(page, "if")).toBe(true);
    for (const id of ["webhook_trigger", "transform", "http_request", "transform_2"]) {
      const other = await graphNode(page, id).boundingBox();
      const apart =
        !other ||
        other.x + other.width <= added.x ||
        added.x + added.width <= other.x ||
        other.y + other.height <= added.y ||
        added.y + added.height <= other.y;
      expect(apart, id).toBe(true);
    }
    await screenshot(page, "editor-added-in-view");
    expect(problems).toEqual([]);
  });

  it('opens a graph of six columns whole at 1024 px, and a node chosen there at full size, in the editor and in the execution viewer, where nodes after a failure show "not run" and the failed step is open', async () => {
    onTestFailed(() => web.screenshotAll("editor-canvas-wide-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Wide Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const { id: workflowId } = await ownerApi.mutate<{ id: string }>("workflows.create", {
      name: "Long chain",
    });
    const ids = ["start", "a", "b", "c", "d", "e"];
    await ownerApi.mutate("workflows.saveDefinition", {
      workflowId,
      definition: {
        nodes: [
          { id: "start", type: "manual_trigger" },
          ...ids.slice(1).map((id) => ({
            id,
            type: "transform",
            // c fails ($number of a word), so d and e never run
            parameters: { fields: { step: id === "c" ? '{{ $number("x") }}' : id } },
          })),
        ],
        edges: ids.slice(1).map((to, i) => ({ from: ids[i], to })),
      },
    });
    const { page, problems } = await signIn(web, email);
    await page.goto(`/workflows/${workflowId}`);
    for (const id of ids) await graphNode(page, id).waitFor();
    for (const id of ids) expect(await onCanvas(page, id), id).toBe(true);
    await screenshot(page, "editor-canvas-wide");
    // a node chosen from that overview is shown at full size beside its settings
    await graphNode(page, "c").click();
    const panel = page.getByRole("complementary", { name: "Configure c" });
    await panel.waitFor();
    await expect
      .poll(async () => (await graphNode(page, "c").boundingBox())?.width)
      .toBeGreaterThan(180);
    const [node, side] = await Promise.all([
      graphNode(page, "c").boundingBox(),
      panel.boundingBox(),
    ]);
    expect(node && side && node.x + node.width <= side.x).toBe(true);
    // below 1280 px the main navigation is an icon rail, so the panel covers under half the
    // canvas; its links keep their names
    const canvas = await page.locator(".react-flow").first().boundingBox();
    expect(side && canvas && side.width < canvas.width / 2).toBe(true);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect((await nav.boundingBox())?.width).toBeLessThan(80);
    await nav.getByRole("link", { name: "Workflows" }).waitFor();
    await screenshot(page, "editor-canvas-zoomed");
    // the rail's toggle shows the links' texts beside their icons, and hides them again
    await nav.getByRole("button", { name: "Show navigation labels" }).click();
    await expect.poll(async () => (await nav.boundingBox())?.width).toBeGreaterThan(200);
    expect(await nav.getByText("Workflows", { exact: true }).isVisible()).toBe(true);
    await nav.getByRole("button", { name: "Hide navigation labels" }).click();
    await expect.poll(async () => (await nav.boundingBox())?.width).toBeLessThan(80);
    const { executionId } = await ownerApi.mutate<{ executionId: string }>("workflows.run", {
      workflowId,
    });
    await page.goto(`/executions/${executionId}`);
    for (const id of ids) await graphNode(page, id).waitFor();
    for (const id of ids) expect(await onCanvas(page, id), id).toBe(true);
    // once the execution failed, the nodes after c are "not run", no longer "pending"
    await graphNode(page, "c").and(page.locator('[data-status="failed"]')).waitFor();
    for (const id of ["d", "e"])
      expect(await graphNode(page, id).getAttribute("data-status"), id).toBe("not run");
    // the failed step is open with its error
    await page
      .getByRole("list", { name: "Steps" })
      .getByRole("alert")
      .getByText("Unable to cast value to a number")
      .waitFor();
    await screenshot(page, "execution-not-run");
    expect(problems).toEqual([]);
  });
});

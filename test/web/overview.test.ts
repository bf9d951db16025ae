import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { addMember, orgOwner } from "../helpers/users.ts";
import { workflowWith } from "../workflows/harness.ts";
import { signIn } from "./editor-pages.ts";
import { screenshot, startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;

beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

const section = (page: Page, name: string) => page.getByRole("region", { name });

describe("the overview", () => {
  it("shows first steps to a new organization, then its pending reviews and latest executions; a REVIEWER sees the reviews routed to them only", async () => {
    onTestFailed(() => web.screenshotAll("overview-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Fresh Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const reviewer = await addMember(web.t, ownerApi, "REVIEWER");

    const { page, problems } = await signIn(web, email);
    const steps = section(page, "First steps");
    await steps.getByRole("link", { name: "Create a workflow" }).waitFor();
    await steps.getByRole("link", { name: "Invite your team" }).waitFor();
    await section(page, "Pending reviews").getByText("No review is waiting").waitFor();
    await section(page, "Recent executions").getByText("No execution yet").waitFor();

    const wf = await workflowWith(
      ownerApi,
      { nodes: [{ id: "start", type: "manual_trigger" }] },
      "Nightly export",
    );
    await ownerApi.mutate("workflows.run", { workflowId: wf.id });
    await ownerApi.mutate("reviews.request", { title: "Ship 4.2?", anyReviewer: true });
    await ownerApi.mutate("reviews.request", { title: "Owners only" });
    await page.reload();
    await section(page, "Recent executions")
      .getByRole("cell", { name: "Nightly export" })
      .waitFor();
    await section(page, "Pending reviews").getByRole("link", { name: "Owners only" }).waitFor();
    expect(await section(page, "First steps").count()).toBe(0);
    await screenshot(page, "overview");
    await section(page, "Pending reviews").getByRole("link", { name: "Ship 4.2?" }).click();
    await page.getByRole("heading", { name: "Ship 4.2?" }).waitFor();
    expect(problems).toEqual([]);

    const other = await signIn(web, reviewer.email);
    const pending = section(other.page, "Pending reviews");
    await pending.getByRole("link", { name: "Ship 4.2?" }).waitFor();
    expect(await pending.getByRole("link", { name: "Owners only" }).count()).toBe(0);
    expect(await section(other.page, "Recent executions").count()).toBe(0);
    expect(await section(other.page, "First steps").count()).toBe(0);
    expect(other.problems).toEqual([]);
  }, 90_000);
});

import type { Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { orgOwner } from "../helpers/users.ts";
import { signIn } from "./editor-pages.ts";
import { startWebTest, type WebTest } from "./harness.ts";

let web: WebTest;
beforeAll(async () => {
  web = await startWebTest();
});
afterAll(() => web?.close());

/** The labels of the secret fields the form offers. */
const secretLabels = (form: Locator) =>
  form.getByRole("group", { name: "Secret" }).locator("label").allTextContents();

describe("a credential type with variants in the browser", () => {
  it("a PostgreSQL credential asks only for the secret of its mode, and changing the mode drops the other one", async () => {
    onTestFailed(() => web.screenshotAll("credential-variants-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Variant Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const { page, problems } = await signIn(web, email);
    await page.goto("/credentials");

    await page.getByRole("button", { name: "New credential" }).click();
    const create = page.getByRole("dialog", { name: "New credential" });
    await create.getByLabel("Name").fill("Reporting DB");
    await create.getByLabel("Type").selectOption({ label: "PostgreSQL" });
    expect(await create.getByLabel("Mode").inputValue()).toBe("url");
    expect(await secretLabels(create)).toEqual(["Connection URL"]);
    await create.getByLabel("Mode").selectOption("fields");
    expect(await secretLabels(create)).toEqual(["Password"]);
    await create.getByLabel("Mode").selectOption("url");
    await create
      .getByLabel("Connection URL")
      .fill("postgres://report:s3cret-pass@db.example.com:5432/reports");
    await create.getByRole("button", { name: "Create credential" }).click();
    const row = page.getByRole("table", { name: "Credentials" }).getByRole("row");
    await row.filter({ hasText: "Reporting DB" }).waitFor();

    // To separate fields: the stored URL goes, the password comes, in one save.
    await page.getByRole("button", { name: "Edit Reporting DB" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Reporting DB" });
    await edit.getByText("set —").waitFor(); // the URL, stored
    await edit.getByLabel("Mode").selectOption("fields");
    expect(await secretLabels(edit)).toEqual(["Password"]);
    await edit.getByLabel("Host").fill("db.example.com");
    await edit.getByLabel("Port").fill("5432");
    await edit.getByLabel("Database").fill("reports");
    await edit.getByLabel("User").fill("report");
    await edit.getByLabel("SSL").selectOption("require");
    await edit.getByLabel("Password").fill("an-other-pass");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved Reporting DB", { exact: true }).waitFor();

    await page.getByRole("button", { name: "Edit Reporting DB" }).click();
    await edit.getByRole("button", { name: "Replace Password" }).waitFor();
    expect(await edit.getByText("Connection URL").count()).toBe(0);
    expect(problems).toEqual([]);
  }, 90_000);
});

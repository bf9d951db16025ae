import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { addMember, orgOwner, PASSWORD } from "../helpers/users.ts";
import { screenshot, signInWithForm, startWebTest, type WebTest } from "./harness.ts";

const FIRST_TOKEN = "first-token-5d1c0a9e7b";
const SECOND_TOKEN = "second-token-8f3e2b6a41";

let web: WebTest;
let service: Server;
let serviceUrl: string;

beforeAll(async () => {
  // The service the credential is for: only the second token gets in.
  service = createServer((req, res) => {
    res.statusCode = req.headers.authorization === `Bearer ${SECOND_TOKEN}` ? 200 : 401;
    res.end();
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  const { port } = service.address() as AddressInfo;
  serviceUrl = `http://127.0.0.1:${port}/whoami`;
  web = await startWebTest({ outboundAllow: parseAllowlist(`127.0.0.1:${port}`) });
});
afterAll(async () => {
  await web?.close();
  await new Promise((resolve) => service?.close(resolve));
});

/** Every API answer the page receives, to check that no secret ever comes back. */
function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.startsWith("/trpc")) {
      bodies.push(await response.text().catch(() => ""));
    }
  });
  return bodies;
}

async function expectNoSecretIn(page: Page, responses: string[]) {
  const html = await page.content();
  for (const token of [FIRST_TOKEN, SECOND_TOKEN]) {
    expect(html).not.toContain(token);
    for (const body of responses) expect(body).not.toContain(token);
  }
}

describe("credentials in the browser", () => {
  it("create a bearer token, reopen it without its secret, replace it, test it, share it, delete it", async () => {
    onTestFailed(() => web.screenshotAll("credentials-failed"));
    const { client: ownerApi } = await orgOwner(web.t, "Vault Corp");
    const { email } = await ownerApi.query<{ email: string }>("me");
    const member = await addMember(web.t, ownerApi, "PARTICIPANT");

    const { page, problems } = await web.newPage();
    const responses = recordResponses(page);
    await page.goto("/sign-in");
    await signInWithForm(page, email, PASSWORD);
    await page.getByRole("heading", { name: "Vault Corp" }).waitFor();
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Credentials" })
      .click();
    await page.getByText("No credentials yet").waitFor();

    // Create: the form comes from the type's schema.
    await page.getByRole("button", { name: "New credential" }).click();
    const create = page.getByRole("dialog", { name: "New credential" });
    await create.getByLabel("Name").fill("Deploy API");
    await create.getByLabel("Type").selectOption({ label: "HTTP bearer token" });
    await create.getByLabel("Token", { exact: true }).fill(FIRST_TOKEN);
    await screenshot(page, "credentials-new");
    await create.getByRole("button", { name: "Create credential" }).click();
    const table = page.getByRole("table", { name: "Credentials" });
    await table.getByRole("cell", { name: "Deploy API", exact: true }).waitFor();
    await table.getByText("Restricted").waitFor();
    await screenshot(page, "credentials-list");

    // Reopen: the secret shows as set, never as its value, and the input starts empty.
    await page.getByRole("button", { name: "Edit Deploy API" }).click();
    const edit = page.getByRole("dialog", { name: "Edit Deploy API" });
    await edit.getByRole("button", { name: "Replace Token" }).waitFor();
    expect(await edit.locator("input[type=password]").count()).toBe(0);
    await expectNoSecretIn(page, responses);
    await edit.getByRole("button", { name: "Replace Token" }).click();
    await expect(edit.getByLabel("Token", { exact: true }).inputValue()).resolves.toBe("");

    // The stored token is refused by the service; the replaced one works.
    await edit.getByRole("button", { name: "Keep the current Token" }).click();
    await edit.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Test Deploy API" }).click();
    const test = page.getByRole("dialog", { name: "Test Deploy API" });
    await test.getByLabel("Endpoint URL").fill(serviceUrl);
    await test.getByRole("button", { name: "Test connection" }).click();
    await test.getByText("Connection failed: the server answered 401").waitFor();
    await test.getByRole("button", { name: "Close" }).click();

    await page.getByRole("button", { name: "Edit Deploy API" }).click();
    await edit.getByRole("button", { name: "Replace Token" }).click();
    await edit.getByLabel("Token", { exact: true }).fill(SECOND_TOKEN);
    await edit.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved Deploy API").first().waitFor();

    await page.getByRole("button", { name: "Test Deploy API" }).click();
    await test.getByLabel("Endpoint URL").fill(serviceUrl);
    await test.getByRole("button", { name: "Test connection" }).click();
    await test.getByText("Connection works").waitFor();
    await screenshot(page, "credentials-test");
    await test.getByRole("button", { name: "Close" }).click();

    // Share with the member at the use level.
    await page.getByRole("button", { name: "Share Deploy API" }).click();
    const share = page.getByRole("dialog", { name: "Share Deploy API" });
    const memberName = member.email.split("@")[0];
    await share.getByLabel("Member").selectOption({ label: `${memberName} (${member.email})` });
    await share.getByLabel("Level", { exact: true }).selectOption("use");
    await share.getByRole("button", { name: "Grant access" }).click();
    await expect(share.getByLabel(`Level of ${member.email}`).inputValue()).resolves.toBe("use");
    await screenshot(page, "credentials-share");
    await share.getByRole("button", { name: "Done" }).click();
    const listed = await member.client.list<{ id: string; name: string }>("credentials.list");
    expect(listed.map((c) => c.name)).toEqual(["Deploy API"]);
    const sharing = await ownerApi.query<{ grants: { memberId: string; level: string }[] }>(
      "sharing.get",
      { assetType: "credential", assetId: listed[0]?.id },
    );
    expect(sharing.grants).toContainEqual(
      expect.objectContaining({ memberId: member.memberId, level: "use" }),
    );

    // Delete, after confirming.
    await page.getByRole("button", { name: "Delete Deploy API" }).click();
    await page
      .getByRole("dialog", { name: "Delete Deploy API?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await page.getByText("No credentials yet").waitFor();

    await expectNoSecretIn(page, responses);
    expect(problems).toEqual([]);
  }, 120_000);
});

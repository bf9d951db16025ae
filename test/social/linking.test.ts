import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { securityEventsOf } from "../helpers/identity.ts";
import { signedInUser } from "../helpers/users.ts";
import { FakeProviders } from "./fake-providers.ts";
import { accountsOf, identity, landing, startSocialApp, viaProvider } from "./flow.ts";

let t: TestApp;
let restricted: TestApp;
const fake = new FakeProviders();
beforeAll(async () => {
  fake.install();
  t = await startSocialApp();
  // Only Google may join existing accounts here.
  restricted = await startSocialApp({ accountLinkingProviders: ["google"] });
});
afterAll(async () => {
  fake.restore();
  await t?.close();
  await restricted?.close();
});

interface Listed {
  id: string;
  providerId: string;
  accountId: string;
}
async function listAccounts(client: TestClient): Promise<Listed[]> {
  const res = await client.fetch("/api/auth/list-accounts");
  expect(res.status).toBe(200);
  return (await res.json()) as Listed[];
}
const me = (client: TestClient) => client.query<{ userId: string; email: string }>("me");

describe("explicit linking by a signed-in user", () => {
  it("links GitHub, lists both accounts, unlinks GitHub again; each step is audited", async () => {
    const client = await signedInUser(t);
    const { userId, email } = await me(client);
    const who = identity({ email });

    const res = await viaProvider(fake, client, "github", who, "/api/auth/link-social");
    expect(landing(res)).toEqual({ path: "/home", error: null });
    const listed = await listAccounts(client);
    expect(listed.map((a) => a.providerId).sort()).toEqual(["credential", "github"]);
    // The listing carries no token.
    expect(JSON.stringify(listed)).not.toContain(fake.issued.at(-1)?.accessToken);

    // The linked provider now signs in to the same user.
    const other = t.client();
    expect(landing(await viaProvider(fake, other, "github", who)).error).toBeNull();
    expect((await me(other)).userId).toBe(userId);

    const github = listed.find((a) => a.providerId === "github");
    const unlinked = await client.post("/api/auth/unlink-account", { accountId: github?.id });
    expect(unlinked.status).toBe(200);
    expect((await accountsOf(t, userId)).map((a) => a.providerId)).toEqual(["credential"]);

    const events = (await securityEventsOf(t, userId)).map((e) => [e.action, e.metadata]);
    expect(events).toContainEqual([
      "user.account_linked",
      { provider: "github", accountId: github?.id },
    ]);
    expect(events).toContainEqual([
      "user.account_unlinked",
      { provider: "github", accountId: github?.id },
    ]);
    expect(events).toContainEqual(["user.signed_in", { provider: "github" }]);
    const linked = (await securityEventsOf(t, userId)).find(
      (e) => e.action === "user.account_linked",
    );
    expect(linked?.ip).toBe(client.ip);
  });

  it("refuses a provider account with a different e-mail", async () => {
    const client = await signedInUser(t);
    const { userId } = await me(client);
    const res = await viaProvider(fake, client, "dropbox", identity(), "/api/auth/link-social");
    expect(landing(res).error).toBe("email_does_not_match");
    expect(await accountsOf(t, userId)).toHaveLength(1);
  });

  it("refuses a provider account whose e-mail the provider has not verified", async () => {
    const client = await signedInUser(t);
    const { userId, email } = await me(client);
    const who = identity({ email, emailVerified: false });
    const res = await viaProvider(fake, client, "google", who, "/api/auth/link-social");
    expect(landing(res).error).toBe("email_not_verified");
    expect(await accountsOf(t, userId)).toHaveLength(1);
  });

  it("needs a session to start linking", async () => {
    const res = await t
      .client()
      .post("/api/auth/link-social", { provider: "github", callbackURL: "/" });
    expect(res.status).toBe(401);
  });
});

describe("trusted providers for linking are configurable", () => {
  it("an untrusted provider does not join an existing account, a trusted one does", async () => {
    const local = await signedInUser(restricted);
    const { userId, email } = await me(local);

    const viaGithub = restricted.client();
    const refused = await viaProvider(fake, viaGithub, "github", identity({ email }));
    expect(landing(refused).error).toBe("linking_not_allowed");
    expect((await accountsOf(restricted, userId)).map((a) => a.providerId)).toEqual(["credential"]);

    const viaGoogle = restricted.client();
    expect(
      landing(await viaProvider(fake, viaGoogle, "google", identity({ email }))).error,
    ).toBeNull();
    expect((await me(viaGoogle)).userId).toBe(userId);
  });
});

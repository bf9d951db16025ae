import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { user } from "../../src/db/schema/index.ts";
import type { TestApp } from "../helpers/app.ts";
import { findUser, securityEventsOf, sessionCookie, signUp } from "../helpers/identity.ts";
import { signedInUser } from "../helpers/users.ts";
import { FakeProviders, PROVIDERS } from "./fake-providers.ts";
import {
  accountsOf,
  callback,
  identity,
  landing,
  startFlow,
  startSocialApp,
  viaProvider,
} from "./flow.ts";

let t: TestApp;
const fake = new FakeProviders();
beforeAll(async () => {
  fake.install();
  t = await startSocialApp();
});
afterAll(async () => {
  fake.restore();
  await t?.close();
});

const me = (client: ReturnType<TestApp["client"]>) =>
  client.query<{ userId: string; email: string; emailVerified: boolean }>("me");

describe.each(PROVIDERS)(
  "%s: the authorization-code flow through Fluxo's endpoints",
  (provider) => {
    it("a new user signs up: verified user, provider account, session, audit event", async () => {
      const client = t.client();
      const who = identity();
      const res = await viaProvider(fake, client, provider, who);
      expect(landing(res)).toEqual({ path: "/home", error: null });
      expect(sessionCookie(client)).toBeTruthy();
      expect(fake.tokenCalls(provider)).toBeGreaterThan(0);

      const signedIn = await me(client);
      expect(signedIn).toMatchObject({ email: who.email, emailVerified: true });
      const accounts = await accountsOf(t, signedIn.userId);
      expect(accounts.map((a) => [a.providerId, a.accountId])).toEqual([[provider, who.subject]]);
      const events = await securityEventsOf(t, signedIn.userId);
      expect(events.map((e) => [e.action, e.metadata, e.ip])).toEqual([
        ["user.signed_in", { provider }, client.ip],
      ]);
    });

    it("a provider's name longer than 100 characters is cut to 100, not refused", async () => {
      const client = t.client();
      const who = identity({ name: `Sam ${"Social ".repeat(40)}` });
      expect(landing(await viaProvider(fake, client, provider, who)).error).toBeNull();
      const stored = await findUser(t, who.email);
      expect(stored.name).toBe(who.name.trim().slice(0, 100));
    });

    it("a returning user signs in to the same user, without a second account row", async () => {
      const who = identity();
      const first = t.client();
      expect(landing(await viaProvider(fake, first, provider, who)).error).toBeNull();
      const { userId } = await me(first);

      const later = t.client();
      expect(landing(await viaProvider(fake, later, provider, who))).toEqual({
        path: "/home",
        error: null,
      });
      expect((await me(later)).userId).toBe(userId);
      expect(await accountsOf(t, userId)).toHaveLength(1);
      const users = await t.deps.database.db.select().from(user).where(eq(user.email, who.email));
      expect(users).toHaveLength(1);
    });

    it("links to an existing verified e-mail/password account when the provider verified the e-mail", async () => {
      const local = await signedInUser(t);
      const { userId, email } = await me(local);

      const client = t.client();
      const res = await viaProvider(fake, client, provider, identity({ email }));
      expect(landing(res)).toEqual({ path: "/home", error: null });
      expect((await me(client)).userId).toBe(userId);
      const providers = (await accountsOf(t, userId)).map((a) => a.providerId).sort();
      expect(providers).toEqual(["credential", provider].sort());
      const actions = (await securityEventsOf(t, userId)).map((e) => e.action);
      expect(actions).toContain("user.account_linked");
    });

    it("refuses to link when the provider says the e-mail is unverified", async () => {
      const local = await signedInUser(t);
      const { userId, email } = await me(local);

      const client = t.client();
      const res = await viaProvider(
        fake,
        client,
        provider,
        identity({ email, emailVerified: false }),
      );
      expect(landing(res).error).toBe("email_not_verified");
      expect(sessionCookie(client)).toBeUndefined();
      expect((await accountsOf(t, userId)).map((a) => a.providerId)).toEqual(["credential"]);
    });

    it("refuses a new user whose e-mail the provider has not verified", async () => {
      const client = t.client();
      const who = identity({ emailVerified: false });
      const res = await viaProvider(fake, client, provider, who);
      expect(landing(res).error).toBe("email_not_verified");
      expect(sessionCookie(client)).toBeUndefined();
      await expect(findUser(t, who.email)).rejects.toThrow(/no user/);
    });

    it("refuses to link to a local account whose e-mail is not verified yet", async () => {
      const email = identity().email;
      await signUp(t, t.client(), email); // never follows the verification link
      const { id } = await findUser(t, email);

      const client = t.client();
      const res = await viaProvider(fake, client, provider, identity({ email }));
      expect(landing(res).error).toBe("account_not_linked");
      expect(sessionCookie(client)).toBeUndefined();
      expect((await accountsOf(t, id)).map((a) => a.providerId)).toEqual(["credential"]);
    });

    it("refuses a callback whose state was not issued (no code exchange happens)", async () => {
      const client = t.client();
      const authorization = await startFlow(client, provider);
      const code = fake.approve(provider, authorization, identity());
      const before = fake.tokenCalls(provider);

      const res = await callback(client, provider, code, "forged-state-0123456789abcdefghij");
      expect(landing(res).error).toBe("state_mismatch");
      expect(sessionCookie(client)).toBeUndefined();
      expect(fake.tokenCalls(provider)).toBe(before);
    });

    it("refuses a state started in another browser (login CSRF)", async () => {
      const attacker = t.client();
      const authorization = await startFlow(attacker, provider);
      const code = fake.approve(provider, authorization, identity());

      const victim = t.client();
      const state = authorization.searchParams.get("state") ?? "";
      const res = await callback(victim, provider, code, state);
      expect(landing(res).error).toBe("state_mismatch");
      expect(sessionCookie(victim)).toBeUndefined();
    });

    it("refuses to unlink the last sign-in method", async () => {
      const client = t.client();
      expect(landing(await viaProvider(fake, client, provider, identity())).error).toBeNull();
      const { userId } = await me(client);
      const [only] = await accountsOf(t, userId);

      const res = await client.post("/api/auth/unlink-account", { accountId: only?.id });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: string }).code).toBe("FAILED_TO_UNLINK_LAST_ACCOUNT");
      expect(await accountsOf(t, userId)).toHaveLength(1);
    });

    it("stores the provider's tokens encrypted, and Fluxo can still read them", async () => {
      const client = t.client();
      expect(landing(await viaProvider(fake, client, provider, identity())).error).toBeNull();
      const issued = fake.issued.at(-1);
      const { userId } = await me(client);
      const [row] = await accountsOf(t, userId);

      expect(row?.accessToken).toBeTruthy();
      expect(row?.refreshToken).toBeTruthy();
      expect(row?.accessToken).not.toContain(issued?.accessToken);
      expect(row?.refreshToken).not.toContain(issued?.refreshToken);

      const res = await client.post("/api/auth/get-access-token", { accountId: row?.id });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accessToken: string }).accessToken).toBe(issued?.accessToken);
    });
  },
);

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MemberContext } from "../../src/access/context.ts";
import { loadMemberContext } from "../../src/auth/context.ts";
import { VaultCryptoError } from "../../src/modules/vault/crypto.ts";
import { parseKeyring } from "../../src/modules/vault/keyring.ts";
import { withCredential } from "../../src/modules/vault/use.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";

let t: TestApp;
let a: { client: TestClient; orgId: string };
let b: { client: TestClient; orgId: string };

beforeAll(async () => {
  t = await startTestApp();
  a = await orgOwner(t, "Org A");
  b = await orgOwner(t, "Org B");
});
afterAll(() => t.close());

const create = async (client: TestClient, token: string, type = "http_bearer") =>
  (
    await client.mutate<{ id: string }>("credentials.create", {
      name: token,
      type,
      ...(type === "http_bearer"
        ? { secret: { token } }
        : { settings: { headerName: "X-Key" }, secret: { value: token } }),
    })
  ).id;

/** The member context a workflow step would run with, for the owner of `org`. */
async function memberContext(client: TestClient): Promise<MemberContext> {
  const me = await client.query<{ userId: string; activeOrganizationId: string }>("me");
  return loadMemberContext({
    db: t.deps.database.db,
    meta: { requestId: "test", ip: undefined, userAgent: undefined },
    userId: me.userId,
    email: "",
    emailVerified: true,
    sessionId: "",
    activeOrganizationId: me.activeOrganizationId,
  });
}

const reveal = (
  ctx: MemberContext,
  credentialId: string,
  accepts = ["http_bearer", "http_header"],
  keyring = t.deps.keyring,
) =>
  withCredential(
    { keyring },
    ctx,
    { credentialId, accepts, purpose: { kind: "test" } },
    async (c) => c.secret,
  );

const envelopeOf = async (id: string) =>
  (
    await dbRows<{ e: string }>(
      t,
      sql`select secret_envelope as e from credential where id = ${id}`,
    )
  )[0]?.e ?? "";
const setEnvelope = (id: string, envelope: string) =>
  t.deps.database.db.execute(
    sql`update credential set secret_envelope = ${envelope} where id = ${id}`,
  );

describe("ciphertext is bound to its organization, credential and type", () => {
  it("decrypts where it belongs", async () => {
    const id = await create(a.client, "token-a1");
    expect(await reveal(await memberContext(a.client), id)).toEqual({ token: "token-a1" });
  });

  it("a ciphertext copied onto another credential of the same org fails to decrypt", async () => {
    const source = await create(a.client, "token-a2");
    const target = await create(a.client, "token-a3");
    await setEnvelope(target, await envelopeOf(source));
    await expect(reveal(await memberContext(a.client), target)).rejects.toMatchObject({
      reason: "cannot_decrypt",
    });
  });

  it("a ciphertext copied onto another org's credential fails to decrypt", async () => {
    const source = await create(a.client, "token-a4");
    const target = await create(b.client, "token-b1");
    await setEnvelope(target, await envelopeOf(source));
    await expect(reveal(await memberContext(b.client), target)).rejects.toBeInstanceOf(
      VaultCryptoError,
    );
  });

  it("a ciphertext moved to a credential row of another type fails to decrypt", async () => {
    const bearer = await create(a.client, "token-a5");
    const header = await create(a.client, "token-a6", "http_header");
    await setEnvelope(header, await envelopeOf(bearer));
    await expect(reveal(await memberContext(a.client), header)).rejects.toMatchObject({
      reason: "cannot_decrypt",
    });
  });

  it("through the API, a broken ciphertext is a generic 500 that leaks nothing", async () => {
    const id = await create(a.client, "token-a7");
    await setEnvelope(id, await envelopeOf(await create(a.client, "token-a8")));
    const err = await a.client.trpcError("mutate", "credentials.update", {
      credentialId: id,
      secret: { token: "new" },
    });
    expect(err.status).toBe(500);
    expect(err.error.message).toBe("Internal server error");
  });

  it("a keyring without the credential's key names the missing key id", async () => {
    const id = await create(a.client, "token-a9");
    const kid = (await envelopeOf(id)).split(".")[1] as string;
    const otherRing = parseKeyring({ key: Buffer.alloc(32, 1).toString("base64") });
    const error = await reveal(await memberContext(a.client), id, undefined, otherRing).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: "unknown_key" });
    expect((error as Error).message).toContain(kid);
  });
});

describe("withCredential re-checks everything on every use", () => {
  it("refuses a credential of a type the step does not accept", async () => {
    const id = await create(a.client, "token-a10");
    await expect(reveal(await memberContext(a.client), id, ["smtp"])).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("refuses another org's credential as not found, and a member without a use grant", async () => {
    const foreign = await create(b.client, "token-b2");
    await expect(reveal(await memberContext(a.client), foreign)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const participant = await addMember(t, a.client, "PARTICIPANT");
    const own = await create(a.client, "token-a11");
    const ctx = await memberContext(participant.client);
    await expect(reveal(ctx, own)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await a.client.mutate("sharing.grant", {
      assetType: "credential",
      assetId: own,
      memberId: participant.memberId,
      level: "use",
    });
    expect(await reveal(ctx, own)).toEqual({ token: "token-a11" });
    await a.client.mutate("sharing.revoke", {
      assetType: "credential",
      assetId: own,
      memberId: participant.memberId,
    });
    await expect(reveal(ctx, own)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

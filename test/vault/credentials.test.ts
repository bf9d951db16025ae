import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "../../src/net/allowlist.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents } from "../helpers/orgs.ts";
import { orgOwner } from "../helpers/users.ts";
import { startAuthSmtp } from "./smtp-peer.ts";

type Meta = {
  id: string;
  name: string;
  type: string;
  settings: Record<string, unknown>;
  secretFields: string[];
};

let t: TestApp;
let owner: TestClient;
let smtp: Awaited<ReturnType<typeof startAuthSmtp>>;

beforeAll(async () => {
  t = await startTestApp({ outboundAllow: parseAllowlist("127.0.0.1:*") });
  owner = (await orgOwner(t, "Vault Org")).client;
  smtp = await startAuthSmtp("mailer", "smtp-password-1");
});
afterAll(async () => {
  await smtp.close();
  await t.close();
});

const smtpCredential = (password: string) => ({
  name: "Mail",
  type: "smtp",
  settings: {
    host: "127.0.0.1",
    port: smtp.port,
    secure: false,
    user: "mailer",
    from: "ops@example.com",
  },
  secret: { password },
});

describe("credentials", () => {
  it("lists the types with field schemas and how each one's connection is tested", async () => {
    const types = await owner.query<{ id: string; connectionTest: string }[]>("credentials.types");
    expect(Object.fromEntries(types.map((x) => [x.id, x.connectionTest]))).toEqual({
      http_basic: "url",
      http_bearer: "url",
      http_header: "url",
      postgres: "direct",
      slack_webhook: "none",
      smtp: "direct",
    });
  });

  it("returns metadata only: which secret fields are set, never their values", async () => {
    const created = await owner.mutate<Meta>("credentials.create", {
      name: "API",
      type: "http_bearer",
      secret: { token: "tok-abcdef-123456" },
    });
    expect(created.secretFields).toEqual(["token"]);
    expect(JSON.stringify(created)).not.toContain("tok-abcdef-123456");
    const fetched = await owner.query<Meta>("credentials.get", { credentialId: created.id });
    expect(JSON.stringify(fetched)).not.toContain("tok-abcdef-123456");
    expect(fetched).toMatchObject({ name: "API", type: "http_bearer", settings: {} });
  });

  it("refuses unknown types and bad fields with a 400 naming the field", async () => {
    const unknown = await owner.trpcError("mutate", "credentials.create", {
      name: "x",
      type: "ftp",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.error.data.details?.field).toBe("type");
    const bad = await owner.trpcError("mutate", "credentials.create", {
      name: "x",
      type: "http_header",
      settings: { headerName: "Bad Header" },
      secret: { value: "v" },
    });
    expect(bad.status).toBe(400);
    expect(bad.error.message).toContain("settings.headerName");
    const secretInSettings = await owner.trpcError("mutate", "credentials.create", {
      name: "x",
      type: "http_bearer",
      settings: { token: "oops" },
      secret: { token: "t" },
    });
    expect(secretInSettings.status).toBe(400);
  });

  it("tests an SMTP login against a real server; a partial update keeps the stored password", async () => {
    const created = await owner.mutate<Meta>(
      "credentials.create",
      smtpCredential("smtp-password-1"),
    );
    const test = () =>
      owner.mutate<{ ok: boolean; error?: string }>("credentials.testConnection", {
        credentialId: created.id,
      });
    expect(await test()).toEqual({ ok: true });

    await owner.mutate("credentials.update", {
      credentialId: created.id,
      settings: { from: "Ops <ops@example.com>" },
    });
    expect(await test()).toEqual({ ok: true });

    await owner.mutate("credentials.update", {
      credentialId: created.id,
      secret: { password: "wrong-password" },
    });
    expect(await test()).toEqual({ ok: false, error: "authentication failed" });

    const updates = (await auditEvents(owner)).filter(
      (e) => e.action === "credential.updated" && e.targetId === created.id,
    );
    expect(updates.map((e) => e.metadata.fields)).toEqual(
      expect.arrayContaining([["settings.from"], ["secret.password"]]),
    );
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "credential.used" && e.targetId === created.id,
      ),
    ).toBe(true);
  });

  it("tests a PostgreSQL login, and switches from fields to a URL by clearing the old secret", async () => {
    const created = await owner.mutate<Meta>("credentials.create", {
      name: "DB",
      type: "postgres",
      settings: {
        mode: "fields",
        host: "127.0.0.1",
        port: 5432,
        database: "test",
        user: "postgres",
        ssl: "disable",
      },
      secret: { password: "unused-with-trust" },
    });
    const test = () =>
      owner.mutate<{ ok: boolean }>("credentials.testConnection", { credentialId: created.id });
    expect(await test()).toEqual({ ok: true });
    const switched = await owner.mutate<Meta>("credentials.update", {
      credentialId: created.id,
      settings: { mode: "url", host: null, port: null, database: null, user: null, ssl: null },
      secret: { connectionUrl: "postgres://postgres@127.0.0.1:5432/test", password: null },
    });
    expect(switched.secretFields).toEqual(["connectionUrl"]);
    expect(switched.settings).toEqual({ mode: "url" });
    expect(await test()).toEqual({ ok: true });
  });

  it("tests an HTTP credential against an endpoint given with the test, sending it as a request would", async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.statusCode = req.headers.authorization === "Bearer right-token" ? 200 : 401;
      res.end("body is not echoed");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
    try {
      const created = await owner.mutate<Meta>("credentials.create", {
        name: "Bearer",
        type: "http_bearer",
        secret: { token: "right-token" },
      });
      const test = (input: Record<string, unknown>) =>
        owner.mutate<{ ok: boolean; error?: string }>("credentials.testConnection", {
          credentialId: created.id,
          ...input,
        });
      expect(await test({ url })).toEqual({ ok: true });
      await owner.mutate("credentials.update", {
        credentialId: created.id,
        secret: { token: "wrong-token" },
      });
      expect(await test({ url })).toEqual({ ok: false, error: "the server answered 401" });
      expect(seen).toEqual(["Bearer right-token", "Bearer wrong-token"]);

      const noUrl = await owner.trpcError("mutate", "credentials.testConnection", {
        credentialId: created.id,
      });
      expect(noUrl.status).toBe(400);
      expect(noUrl.error.data.details?.field).toBe("url");
      const blocked = await test({ url: "http://10.20.30.40/" });
      expect(blocked.ok).toBe(false);
      expect(blocked.error).toContain("blocked");
      expect(seen).toHaveLength(2);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("a connection test to a private address is stopped by the outbound guard", async () => {
    const created = await owner.mutate<Meta>("credentials.create", {
      ...smtpCredential("x"),
      settings: { ...smtpCredential("x").settings, host: "10.20.30.40" },
    });
    const result = await owner.mutate<{ ok: boolean; error: string }>(
      "credentials.testConnection",
      { credentialId: created.id },
    );
    expect(result.ok).toBe(false);
    expect(result.error).toContain("blocked");
  });

  it("deletes, with an audit event", async () => {
    const created = await owner.mutate<Meta>("credentials.create", {
      name: "Gone",
      type: "http_bearer",
      secret: { token: "t1" },
    });
    await owner.mutate("credentials.delete", { credentialId: created.id });
    expect(
      (await owner.trpcError("query", "credentials.get", { credentialId: created.id })).status,
    ).toBe(404);
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "credential.deleted" && e.targetId === created.id,
      ),
    ).toBe(true);
  });
});

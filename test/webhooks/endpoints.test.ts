import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_EVENT_TYPES } from "../../src/modules/webhooks/events.ts";
import { openWebhookSecret } from "../../src/modules/webhooks/secrets.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import type { TestClient } from "../helpers/client.ts";
import { auditEvents, dbRows } from "../helpers/orgs.ts";
import { addMember, orgOwner } from "../helpers/users.ts";
import {
  createEndpoint,
  deliveriesOf,
  deliverJobs,
  type EndpointView,
  tablesContaining,
} from "./endpoints-harness.ts";

let t: TestApp;
let owner: TestClient;
let orgId: string;
let admin: TestClient;
let participant: TestClient;
let reviewer: TestClient;
let stranger: TestClient;

beforeAll(async () => {
  t = await startTestApp();
  ({ client: owner, orgId } = await orgOwner(t, "Hooks Org"));
  admin = (await addMember(t, owner, "ADMIN")).client;
  participant = (await addMember(t, owner, "PARTICIPANT")).client;
  reviewer = (await addMember(t, owner, "REVIEWER")).client;
  stranger = (await orgOwner(t, "Other Org")).client;
});
afterAll(() => t.close());

describe("the endpoint secret", () => {
  it("is shown once on creation, then never in list, get, the database or the log", async () => {
    const created = await createEndpoint(owner, { description: "billing" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), "base64")).toHaveLength(32);

    const listed = await owner.list<EndpointView>("webhooks.list");
    const got = await owner.query<EndpointView>("webhooks.get", { endpointId: created.id });
    for (const view of [listed.find((e) => e.id === created.id), got]) {
      expect(view).toMatchObject({ id: created.id, description: "billing", enabled: true });
      expect(JSON.stringify(view)).not.toContain(created.secret);
      expect(Object.keys(view ?? {}).some((k) => /secret$|envelope/i.test(k))).toBe(false);
    }
    // the scan does see the endpoint's row, so an empty result means something
    expect(await tablesContaining(t, created.id)).toContain("public.webhook_endpoint: 1");
    expect(await tablesContaining(t, created.secret)).toEqual([]);
    expect(await tablesContaining(t, created.secret.slice(6))).toEqual([]);
    expect(t.logLines.join("")).not.toContain(created.secret.slice(6));

    const [row] = await dbRows<{ secret_envelope: string }>(
      t,
      sql`select secret_envelope from webhook_endpoint where id = ${created.id}`,
    );
    expect(row?.secret_envelope).toMatch(/^v1\./);
    const owned = { orgId, endpointId: created.id };
    expect(openWebhookSecret(t.deps.keyring, owned, row?.secret_envelope as string)).toBe(
      created.secret,
    );
    // bound to its endpoint: the same envelope does not open for another one
    expect(() =>
      openWebhookSecret(
        t.deps.keyring,
        { orgId, endpointId: "another" },
        row?.secret_envelope as string,
      ),
    ).toThrow();
  });

  it("is revealed again to an OWNER or ADMIN only, and each reveal is audited", async () => {
    const created = await createEndpoint(owner);
    for (const client of [owner, admin]) {
      const shown = await client.mutate<{ secret: string }>("webhooks.revealSecret", {
        endpointId: created.id,
      });
      expect(shown.secret).toBe(created.secret);
    }
    for (const client of [participant, reviewer]) {
      const refused = await client.trpcError("mutate", "webhooks.revealSecret", {
        endpointId: created.id,
      });
      expect(refused.status).toBe(403);
    }
    const reveals = (await auditEvents(owner)).filter(
      (e) => e.action === "webhook.secret_revealed" && e.targetId === created.id,
    );
    expect(reveals).toHaveLength(2);
    expect(JSON.stringify(reveals)).not.toContain(created.secret);
  });

  it("rotation shows the new secret once and keeps the old one as previous until the grace ends", async () => {
    const created = await createEndpoint(owner);
    const before = Date.now();
    const rotated = await owner.mutate<{ secret: string; previousSecretExpiresAt: string }>(
      "webhooks.rotateSecret",
      { endpointId: created.id, graceSeconds: 3600 },
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    const expires = new Date(rotated.previousSecretExpiresAt).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 3600_000);
    expect(expires).toBeLessThan(Date.now() + 3600_000 + 1000);

    const [row] = await dbRows<{ secret_envelope: string; previous_secret_envelope: string }>(
      t,
      sql`select secret_envelope, previous_secret_envelope from webhook_endpoint where id = ${created.id}`,
    );
    const owned = { orgId, endpointId: created.id };
    expect(openWebhookSecret(t.deps.keyring, owned, row?.secret_envelope as string)).toBe(
      rotated.secret,
    );
    expect(openWebhookSecret(t.deps.keyring, owned, row?.previous_secret_envelope as string)).toBe(
      created.secret,
    );
    const got = await owner.query<EndpointView>("webhooks.get", { endpointId: created.id });
    expect(new Date(got.previousSecretExpiresAt ?? 0).getTime()).toBe(expires);
    expect(await tablesContaining(t, rotated.secret)).toEqual([]);
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "webhook.secret_rotated" && e.targetId === created.id,
      ),
    ).toBe(true);
  });

  it("rotation with no grace drops the old secret; the grace is 24 h by default and 7 days at most", async () => {
    const created = await createEndpoint(owner);
    await owner.mutate("webhooks.rotateSecret", { endpointId: created.id, graceSeconds: 0 });
    const [row] = await dbRows<{ previous_secret_envelope: string | null }>(
      t,
      sql`select previous_secret_envelope from webhook_endpoint where id = ${created.id}`,
    );
    expect(row?.previous_secret_envelope).toBeNull();

    const byDefault = await owner.mutate<{ previousSecretExpiresAt: string }>(
      "webhooks.rotateSecret",
      { endpointId: created.id },
    );
    const hours = (new Date(byDefault.previousSecretExpiresAt).getTime() - Date.now()) / 3600_000;
    expect(Math.round(hours)).toBe(24);

    const tooLong = await owner.trpcError("mutate", "webhooks.rotateSecret", {
      endpointId: created.id,
      graceSeconds: 7 * 24 * 3600 + 1,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.error.data.details?.field).toBe("graceSeconds");
  });
});

describe("endpoint input", () => {
  it("requires https, and names the url field when refused", async () => {
    for (const url of [
      "http://hooks.example.com/x",
      "ftp://hooks.example.com/x",
      "/relative/path",
      "https://user:pass@hooks.example.com/x",
      `https://hooks.example.com/${"a".repeat(2100)}`,
    ]) {
      const refused = await owner.trpcError("mutate", "webhooks.create", {
        url,
        eventTypes: ["review.created"],
      });
      expect(refused.status, url).toBe(400);
      expect(refused.error.data.details?.field, url).toBe("url");
    }
  });

  it("refuses an unknown event type, naming the field", async () => {
    const refused = await owner.trpcError("mutate", "webhooks.create", {
      url: "https://hooks.example.com/x",
      eventTypes: ["review.created", "review.exploded"],
    });
    expect(refused.status).toBe(400);
    expect(refused.error.message).toContain("eventTypes");
    expect(String(refused.error.data.details?.field)).toMatch(/^eventTypes/);
    const none = await owner.trpcError("mutate", "webhooks.create", {
      url: "https://hooks.example.com/x",
      eventTypes: [],
    });
    expect(none.status).toBe(400);
  });

  it("offers the event types an endpoint may subscribe to, to those who may view endpoints", async () => {
    const types = await admin.query<string[]>("webhooks.eventTypes");
    expect(types).toEqual([...WEBHOOK_EVENT_TYPES]);
    const created = await createEndpoint(owner, { eventTypes: types });
    expect(created.eventTypes).toEqual([...types].sort());
    expect((await participant.trpcError("query", "webhooks.eventTypes")).status).toBe(403);
  });

  it("allows plain http only to hosts FLUXO_OUTBOUND_ALLOW names", async () => {
    const { parseAllowlist } = await import("../../src/net/allowlist.ts");
    const local = await startTestApp({
      outboundAllow: parseAllowlist("127.0.0.1:8080,hooks.internal"),
    });
    try {
      const { client } = await orgOwner(local, "Local Org");
      for (const url of ["http://127.0.0.1:8080/in", "http://hooks.internal:9000/in"]) {
        expect((await createEndpoint(client, { url })).url).toBe(url);
      }
      for (const url of ["http://127.0.0.1:8081/in", "http://other.internal/in"]) {
        const refused = await client.trpcError("mutate", "webhooks.create", {
          url,
          eventTypes: ["webhook.test"],
        });
        expect(refused.error.data.details?.field, url).toBe("url");
      }
    } finally {
      await local.close();
    }
  });
});

describe("managing endpoints", () => {
  it("is for OWNER and ADMIN: a PARTICIPANT or REVIEWER may neither see nor change them", async () => {
    const created = await createEndpoint(admin);
    for (const client of [participant, reviewer]) {
      expect((await client.trpcError("query", "webhooks.list")).status).toBe(403);
      expect(
        (await client.trpcError("query", "webhooks.get", { endpointId: created.id })).status,
      ).toBe(403);
      expect(
        (
          await client.trpcError("mutate", "webhooks.create", {
            url: "https://hooks.example.com/x",
            eventTypes: ["webhook.test"],
          })
        ).status,
      ).toBe(403);
    }
  });

  it("answers 404 for another organization's endpoint, whatever the operation", async () => {
    const created = await createEndpoint(owner);
    const id = { endpointId: created.id };
    const attempts = [
      stranger.trpcError("query", "webhooks.get", id),
      stranger.trpcError("mutate", "webhooks.update", { ...id, description: "mine" }),
      stranger.trpcError("mutate", "webhooks.delete", id),
      stranger.trpcError("mutate", "webhooks.rotateSecret", id),
      stranger.trpcError("mutate", "webhooks.revealSecret", id),
      stranger.trpcError("mutate", "webhooks.sendTest", id),
    ];
    for (const refused of await Promise.all(attempts)) expect(refused.status).toBe(404);
    expect((await stranger.list<EndpointView>("webhooks.list")).map((e) => e.id)).not.toContain(
      created.id,
    );
    const still = await owner.query<EndpointView>("webhooks.get", id);
    expect(still.description).toBe("");
  });

  it("updates what is sent; re-enabling is explicit and forgets why the system disabled it", async () => {
    const created = await createEndpoint(owner);
    await t.deps.database.db.execute(
      sql`update webhook_endpoint set enabled = false, disabled_reason = 'gone (410)',
          disabled_at = now(), failing_since = now() where id = ${created.id}`,
    );
    const renamed = await owner.mutate<EndpointView>("webhooks.update", {
      endpointId: created.id,
      description: "renamed",
      eventTypes: ["review.rejected", "review.approved", "review.approved"],
    });
    expect(renamed).toMatchObject({
      description: "renamed",
      eventTypes: ["review.approved", "review.rejected"],
      enabled: false,
      disabledReason: "gone (410)",
    });
    const enabled = await owner.mutate<EndpointView>("webhooks.update", {
      endpointId: created.id,
      enabled: true,
    });
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
    const badUrl = await owner.trpcError("mutate", "webhooks.update", {
      endpointId: created.id,
      url: "http://hooks.example.com/",
    });
    expect(badUrl.error.data.details?.field).toBe("url");
    const actions = (await auditEvents(owner))
      .filter((e) => e.targetId === created.id)
      .map((e) => e.action);
    expect(actions.filter((a) => a === "webhook.updated")).toHaveLength(2);
    expect(actions).toContain("webhook.created");
  });

  it("deletes an endpoint with its deliveries, audited", async () => {
    const created = await createEndpoint(owner);
    await owner.mutate("webhooks.sendTest", { endpointId: created.id });
    await owner.mutate("webhooks.delete", { endpointId: created.id });
    expect(
      (await owner.trpcError("query", "webhooks.get", { endpointId: created.id })).status,
    ).toBe(404);
    expect(await deliveriesOf(t, created.id)).toEqual([]);
    expect(
      (await auditEvents(owner)).some(
        (e) => e.action === "webhook.deleted" && e.targetId === created.id,
      ),
    ).toBe(true);
  });
});

describe("the test event", () => {
  it("goes to this endpoint only, as one delivery and one job", async () => {
    const target = await createEndpoint(owner, { eventTypes: ["review.created"] });
    const bystander = await createEndpoint(owner, { eventTypes: ["webhook.test"] });
    const sent = await owner.mutate<{ deliveryId: string }>("webhooks.sendTest", {
      endpointId: target.id,
    });
    expect(sent.deliveryId).toMatch(/^msg_[0-9a-z]+$/);
    const [delivery, ...more] = await deliveriesOf(t, target.id);
    expect(more).toEqual([]);
    expect(delivery).toMatchObject({ id: sent.deliveryId, event_type: "webhook.test" });
    expect(delivery?.payload).toMatchObject({
      type: "webhook.test",
      data: { endpoint_id: target.id },
    });
    expect(Number.isNaN(Date.parse(delivery?.payload.timestamp ?? ""))).toBe(false);
    expect(await deliveriesOf(t, bystander.id)).toEqual([]);
    expect(await deliverJobs(t)).toContainEqual({ orgId, deliveryId: sent.deliveryId });
  });

  it("is refused for a disabled endpoint", async () => {
    const created = await createEndpoint(owner);
    await owner.mutate("webhooks.update", { endpointId: created.id, enabled: false });
    const refused = await owner.trpcError("mutate", "webhooks.sendTest", {
      endpointId: created.id,
    });
    expect(refused.status).toBe(409);
    expect(await deliveriesOf(t, created.id)).toEqual([]);
  });
});

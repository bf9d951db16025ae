import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";

/**
 * An organization's subscription: deliveries of the listed event types go to `url`, signed
 * with the endpoint's secret (vault envelope: it must be readable to sign). While a rotation's
 * grace period runs, the previous secret signs too.
 */
export const webhookEndpoint = pgTable(
  "webhook_endpoint",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    eventTypes: text("event_types").array().notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Why the system disabled the endpoint (410 Gone, failing for days); null when a person did. */
    disabledReason: text("disabled_reason"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    secretEnvelope: text("secret_envelope").notNull(),
    previousSecretEnvelope: text("previous_secret_envelope"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true }),
    /** Start of the current run of failed attempts; cleared by any success. */
    failingSince: timestamp("failing_since", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_endpoint_org_id_idx").on(t.organizationId, t.id),
    index("webhook_endpoint_org_created_idx").on(t.organizationId, t.createdAt),
    tenantPolicy("webhook_endpoint"),
  ],
).enableRLS();

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", [
  "pending",
  "succeeded",
  "failed",
]);

/**
 * One event for one endpoint. Its id is the `webhook-id` header, identical on every attempt,
 * so receivers can deduplicate. The payload is fixed when the event happens.
 */
export const webhookDelivery = pgTable(
  "webhook_delivery",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    endpointId: text("endpoint_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").notNull(),
    status: webhookDeliveryStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastResponseStatus: integer("last_response_status"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_delivery_org_id_idx").on(t.organizationId, t.id),
    index("webhook_delivery_org_endpoint_idx").on(t.organizationId, t.endpointId, t.createdAt),
    foreignKey({
      name: "webhook_delivery_endpoint_fk",
      columns: [t.organizationId, t.endpointId],
      foreignColumns: [webhookEndpoint.organizationId, webhookEndpoint.id],
    }).onDelete("cascade"),
    tenantPolicy("webhook_delivery"),
  ],
).enableRLS();

export const webhookAttemptTrigger = pgEnum("webhook_attempt_trigger", ["scheduled", "manual"]);

/** Every attempt of a delivery, as it happened: request, response (body cut at 20 KB) or error. */
export const webhookAttempt = pgTable(
  "webhook_attempt",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    deliveryId: text("delivery_id").notNull(),
    attempt: integer("attempt").notNull(),
    trigger: webhookAttemptTrigger("trigger").notNull(),
    url: text("url").notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    responseStatus: integer("response_status"),
    responseHeaders: jsonb("response_headers").notNull().default({}),
    responseBody: text("response_body"),
    /** timeout, dns, refused, blocked, tls, network, … when no HTTP response arrived. */
    errorKind: text("error_kind"),
    error: text("error"),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (t) => [
    index("webhook_attempt_org_delivery_idx").on(t.organizationId, t.deliveryId, t.attempt),
    foreignKey({
      name: "webhook_attempt_delivery_fk",
      columns: [t.organizationId, t.deliveryId],
      foreignColumns: [webhookDelivery.organizationId, webhookDelivery.id],
    }).onDelete("cascade"),
    tenantPolicy("webhook_attempt"),
  ],
).enableRLS();

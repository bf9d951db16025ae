import { z } from "@hono/zod-openapi";
import { WEBHOOK_EVENT_TYPES } from "../modules/webhooks/events.ts";
import { DEFAULT_GRACE_SECONDS, MAX_GRACE_SECONDS } from "../modules/webhooks/inputs.ts";
import type { EndpointView } from "../modules/webhooks/repo.ts";

/** Wire shapes of webhook endpoints (snake_case, ISO 8601) and of the events Fluxo sends. */
const timestamp = z.iso.datetime();
const eventType = z.enum(WEBHOOK_EVENT_TYPES).openapi("WebhookEventType");
const eventTypes = z
  .array(eventType)
  .min(1)
  .openapi({ description: "The event types to deliver (at least one)" });
const url = z.string().min(1).max(2048).openapi({
  description: "Absolute https URL (plain http only for hosts FLUXO_OUTBOUND_ALLOW names)",
  example: "https://example.com/hooks/fluxo",
});

export const EndpointIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: "id", in: "path" }, description: "Endpoint id" }),
});

export const CreateEndpointBody = z
  .strictObject({ url, description: z.string().max(500).optional(), event_types: eventTypes })
  .openapi("CreateWebhookEndpoint");

export const UpdateEndpointBody = z
  .strictObject({
    url: url.optional(),
    description: z.string().max(500).optional(),
    event_types: eventTypes.optional(),
    enabled: z.boolean().optional().openapi({
      description: "true re-enables the endpoint (also one Fluxo disabled); false disables it",
    }),
  })
  .openapi("UpdateWebhookEndpoint");

export const RotateSecretBody = z
  .strictObject({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_SECONDS)
      .optional()
      .openapi({
        description: `How long the previous secret keeps signing too, 0–${MAX_GRACE_SECONDS} s (default ${DEFAULT_GRACE_SECONDS})`,
      }),
  })
  .openapi("RotateWebhookSecret");

export const Endpoint = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    event_types: z.array(eventType),
    enabled: z.boolean(),
    disabled_reason: z
      .string()
      .nullable()
      .openapi({ description: "Why Fluxo disabled it (null when a person did, or enabled)" }),
    disabled_at: timestamp.nullable(),
    failing_since: timestamp.nullable(),
    previous_secret_expires_at: timestamp
      .nullable()
      .openapi({ description: "Until when the rotated-out secret still signs" }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("WebhookEndpoint");

const secret = z.string().openapi({
  description: "`whsec_` + base64 of 32 bytes; shown only in this answer",
});

export const CreatedEndpoint = Endpoint.extend({ secret }).openapi("CreatedWebhookEndpoint");
export const EndpointList = z.object({ data: z.array(Endpoint) }).openapi("WebhookEndpointList");
export const RotatedSecret = z
  .object({ id: z.string(), secret, previous_secret_expires_at: timestamp.nullable() })
  .openapi("RotatedWebhookSecret");
export const TestSent = z
  .object({ id: z.string(), delivery_id: z.string() })
  .openapi("WebhookTestSent");

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const toEndpoint = (e: EndpointView) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes as z.infer<typeof eventType>[],
  enabled: e.enabled,
  disabled_reason: e.disabledReason,
  disabled_at: iso(e.disabledAt),
  failing_since: iso(e.failingSince),
  previous_secret_expires_at: iso(e.previousSecretExpiresAt),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

/** The body of every delivery: `{type, timestamp, data}`, signed per Standard Webhooks. */
const eventPayload = (type: (typeof WEBHOOK_EVENT_TYPES)[number], data: z.ZodObject) =>
  z
    .object({ type: z.literal(type), timestamp, data })
    .openapi(`WebhookEvent_${type.replace(".", "_")}`);

const reviewId = z.string();
export const webhookPayloads = {
  "review.created": eventPayload(
    "review.created",
    z.object({
      review_id: reviewId,
      title: z.string(),
      workflow_id: z.string().nullable(),
      execution_id: z.string().nullable(),
      expires_at: timestamp,
    }),
  ),
  "review.approved": eventPayload(
    "review.approved",
    z.object({
      review_id: reviewId,
      decision: z.literal("approved"),
      channel: z.enum(["app", "link", "quick_action", "api"]),
      by: z.string(),
    }),
  ),
  "review.rejected": eventPayload(
    "review.rejected",
    z.object({
      review_id: reviewId,
      decision: z.literal("rejected"),
      channel: z.enum(["app", "link", "quick_action", "api"]),
      by: z.string(),
    }),
  ),
  "review.expired": eventPayload(
    "review.expired",
    z.object({ review_id: reviewId, execution_id: z.string() }),
  ),
  "review.link_used": eventPayload(
    "review.link_used",
    z.object({
      review_id: reviewId,
      link_kind: z.enum(["link", "quick_action"]),
      link_id: z.string(),
      decision: z.enum(["approved", "rejected"]),
    }),
  ),
  "webhook.test": eventPayload("webhook.test", z.object({ endpoint_id: z.string() })),
} satisfies Record<(typeof WEBHOOK_EVENT_TYPES)[number], z.ZodType>;

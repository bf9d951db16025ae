import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getDelivery, listDeliveries, redeliver } from "../modules/webhooks/deliveries.ts";
import { DELIVERY_STATUSES } from "../modules/webhooks/delivery-inputs.ts";
import type { AttemptView } from "../modules/webhooks/delivery-repo.ts";
import { instanceDeliveryDeps } from "../modules/webhooks/worker.ts";
import type { AppDeps } from "../server/deps.ts";
import { keyContext, type RestEnv } from "./context.ts";
import { errorResponses } from "./errors.ts";
import { json } from "./route-parts.ts";

const timestamp = z.iso.datetime();
const pathId = (name: string, description: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name, in: "path" }, description });

const EndpointParams = z.object({ id: pathId("id", "Endpoint id") });
const DeliveryParams = EndpointParams.extend({
  delivery_id: pathId("delivery_id", "Delivery id (the `webhook-id` header)"),
});

const ListQuery = z.strictObject({
  status: z
    .enum(DELIVERY_STATUSES)
    .optional()
    .openapi({ description: "Only deliveries in this status" }),
  limit: z.coerce.number().int().min(1).max(100).default(20).openapi({
    description: "Page size, 1–100 (default 20)",
  }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: "`next_cursor` of the previous page" }),
});

const Delivery = z
  .object({
    id: z
      .string()
      .openapi({ description: "Also the `webhook-id` header, the same on every attempt" }),
    endpoint_id: z.string(),
    event_type: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    next_attempt_at: timestamp
      .nullable()
      .openapi({ description: "When the next scheduled attempt is due" }),
    last_response_status: z.number().int().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("WebhookDelivery");

const Attempt = z
  .object({
    attempt: z
      .number()
      .int()
      .openapi({ description: "1, 2, … over scheduled and manual attempts" }),
    trigger: z.enum(["scheduled", "manual"]),
    url: z.string(),
    requested_at: timestamp,
    duration_ms: z.number().int(),
    response_status: z.number().int().nullable(),
    response_headers: z.record(z.string(), z.string()).openapi({
      description:
        "content-type, content-length, retry-after, location, date, server, x-request-id",
    }),
    response_body: z.string().nullable().openapi({ description: "The first 20,000 bytes" }),
    error_kind: z.string().nullable().openapi({
      description:
        "When no HTTP response arrived: timeout, dns, refused, blocked (outbound guard), tls, network, too_large, invalid, signing, endpoint_disabled",
    }),
    error: z.string().nullable(),
    next_attempt_at: timestamp.nullable(),
  })
  .openapi("WebhookAttempt");

const DeliveryPage = z
  .object({
    data: z.array(Delivery),
    next_cursor: z.string().nullable().openapi({ description: "null on the last page" }),
  })
  .openapi("WebhookDeliveryPage");
const DeliveryDetail = Delivery.extend({
  payload: z.record(z.string(), z.unknown()).openapi({ description: "The body as sent" }),
  attempt_history: z.array(Attempt).openapi({ description: "Every attempt, oldest first" }),
}).openapi("WebhookDeliveryDetail");

const tags = ["Webhooks"];

const list = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries",
  tags,
  summary: "An endpoint's deliveries, newest first (scope webhooks:read)",
  request: { params: EndpointParams, query: ListQuery },
  responses: {
    200: json(DeliveryPage, "One page of deliveries"),
    ...errorResponses(400, 403, 404),
  },
});

const get = createRoute({
  method: "get",
  path: "/webhooks/{id}/deliveries/{delivery_id}",
  tags,
  summary: "A delivery with its payload and every attempt (scope webhooks:read)",
  request: { params: DeliveryParams },
  responses: { 200: json(DeliveryDetail, "The delivery"), ...errorResponses(400, 403, 404) },
});

const resend = createRoute({
  method: "post",
  path: "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
  tags,
  summary: "Send a delivery again now, same webhook-id, whatever its status (scope webhooks:write)",
  description:
    "Answers when the attempt is done (at most 15 s) with the attempt, trigger `manual`. The " +
    "retry schedule is left alone; a success marks the delivery succeeded. A disabled endpoint is a 409.",
  request: { params: DeliveryParams },
  responses: { 200: json(Attempt, "The attempt"), ...errorResponses(400, 403, 404, 409) },
});

type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>["items"][number];
const iso = (d: Date | null) => d?.toISOString() ?? null;

const toDelivery = (d: DeliveryRow) => ({
  id: d.id,
  endpoint_id: d.endpointId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: iso(d.nextAttemptAt),
  last_response_status: d.lastResponseStatus,
  created_at: d.createdAt.toISOString(),
  updated_at: d.updatedAt.toISOString(),
});

const toAttempt = (a: AttemptView & { responseHeaders: Record<string, string> }) => ({
  attempt: a.attempt,
  trigger: a.trigger,
  url: a.url,
  requested_at: a.requestedAt.toISOString(),
  duration_ms: a.durationMs,
  response_status: a.responseStatus,
  response_headers: a.responseHeaders,
  response_body: a.responseBody,
  error_kind: a.errorKind,
  error: a.error,
  next_attempt_at: iso(a.nextAttemptAt),
});

/** Delivery history and manual redelivery of REST v1 (one service call per handler). */
export function registerWebhookDeliveryRoutes(
  api: OpenAPIHono<RestEnv>,
  deps: Pick<AppDeps, "database" | "keyring" | "outbound" | "logger" | "queue">,
) {
  const deliveryDeps = instanceDeliveryDeps(deps);

  api.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const { items, nextCursor } = await listDeliveries(keyContext(c), {
      endpointId: c.req.valid("param").id,
      status: query.status,
      limit: query.limit,
      cursor: query.cursor,
    });
    return c.json({ data: items.map(toDelivery), next_cursor: nextCursor }, 200);
  });

  api.openapi(get, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    const delivery = await getDelivery(keyContext(c), { endpointId: id, deliveryId: delivery_id });
    return c.json(
      {
        ...toDelivery(delivery),
        payload: delivery.payload as Record<string, unknown>,
        attempt_history: delivery.history.map(toAttempt),
      },
      200,
    );
  });

  api.openapi(resend, async (c) => {
    const { id, delivery_id } = c.req.valid("param");
    const attempt = await redeliver(deliveryDeps, keyContext(c), {
      endpointId: id,
      deliveryId: delivery_id,
    });
    return c.json(toAttempt(attempt), 200);
  });
}

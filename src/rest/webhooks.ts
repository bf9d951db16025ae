import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  sendTestEvent,
  updateEndpoint,
  type WebhookDeps,
} from "../modules/webhooks/service.ts";
import { keyContext, type RestEnv } from "./context.ts";
import { errorResponses } from "./errors.ts";
import { body, json } from "./route-parts.ts";
import * as s from "./webhook-schemas.ts";

const tags = ["Webhooks"];
const params = s.EndpointIdParams;

const list = createRoute({
  method: "get",
  path: "/webhooks",
  tags,
  summary: "List webhook endpoints, newest first (scope webhooks:read)",
  responses: { 200: json(s.EndpointList, "The endpoints"), ...errorResponses(403) },
});

const create = createRoute({
  method: "post",
  path: "/webhooks",
  tags,
  summary: "Subscribe an endpoint to events (scope webhooks:write)",
  description: "The signing secret is in this answer only (rotate to get a new one).",
  request: { body: body(s.CreateEndpointBody, true) },
  responses: {
    201: json(s.CreatedEndpoint, "The endpoint and its secret"),
    ...errorResponses(400, 403, 415),
  },
});

const get = createRoute({
  method: "get",
  path: "/webhooks/{id}",
  tags,
  summary: "Get a webhook endpoint (scope webhooks:read)",
  request: { params },
  responses: { 200: json(s.Endpoint, "The endpoint"), ...errorResponses(400, 403, 404) },
});

const update = createRoute({
  method: "patch",
  path: "/webhooks/{id}",
  tags,
  summary: "Change a webhook endpoint (scope webhooks:write)",
  description: "`enabled: true` re-enables an endpoint Fluxo disabled and clears the reason.",
  request: { params, body: body(s.UpdateEndpointBody, true) },
  responses: { 200: json(s.Endpoint, "The endpoint"), ...errorResponses(400, 403, 404, 415) },
});

const remove = createRoute({
  method: "delete",
  path: "/webhooks/{id}",
  tags,
  summary: "Delete a webhook endpoint and its deliveries (scope webhooks:write)",
  request: { params },
  responses: { 204: { description: "Deleted" }, ...errorResponses(400, 403, 404) },
});

const rotate = createRoute({
  method: "post",
  path: "/webhooks/{id}/rotate-secret",
  tags,
  summary: "Rotate the signing secret (scope webhooks:write)",
  description:
    "The new secret is in this answer only. The previous one keeps signing too (a second " +
    "`v1,` signature) for `grace_seconds`. API keys cannot reveal an existing secret.",
  request: { params, body: body(s.RotateSecretBody, false) },
  responses: {
    200: json(s.RotatedSecret, "The new secret"),
    ...errorResponses(400, 403, 404, 415),
  },
});

const test = createRoute({
  method: "post",
  path: "/webhooks/{id}/test",
  tags,
  summary: "Send a webhook.test event to this endpoint (scope webhooks:write)",
  request: { params },
  responses: {
    202: json(s.TestSent, "The delivery is queued"),
    ...errorResponses(400, 403, 404, 409),
  },
});

/** The webhook endpoint routes of REST v1, and the events Fluxo sends, in the document. */
export function registerWebhookRoutes(api: OpenAPIHono<RestEnv>, deps: WebhookDeps) {
  api.openapi(list, async (c) => {
    const rows = await listEndpoints(keyContext(c));
    return c.json({ data: rows.map(s.toEndpoint) }, 200);
  });

  api.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const created = await createEndpoint(deps, keyContext(c), {
      url: input.url,
      description: input.description,
      eventTypes: input.event_types,
    });
    return c.json({ ...s.toEndpoint(created), secret: created.secret }, 201);
  });

  api.openapi(get, async (c) => {
    const endpoint = await getEndpoint(keyContext(c), { endpointId: c.req.valid("param").id });
    return c.json(s.toEndpoint(endpoint), 200);
  });

  api.openapi(update, async (c) => {
    const input = c.req.valid("json");
    const endpoint = await updateEndpoint(deps, keyContext(c), {
      endpointId: c.req.valid("param").id,
      url: input.url,
      description: input.description,
      eventTypes: input.event_types,
      enabled: input.enabled,
    });
    return c.json(s.toEndpoint(endpoint), 200);
  });

  api.openapi(remove, async (c) => {
    await deleteEndpoint(keyContext(c), { endpointId: c.req.valid("param").id });
    return c.body(null, 204);
  });

  api.openapi(rotate, async (c) => {
    const rotated = await rotateSecret(deps, keyContext(c), {
      endpointId: c.req.valid("param").id,
      graceSeconds: c.req.valid("json").grace_seconds,
    });
    const expires = rotated.previousSecretExpiresAt?.toISOString() ?? null;
    return c.json(
      { id: rotated.endpointId, secret: rotated.secret, previous_secret_expires_at: expires },
      200,
    );
  });

  api.openapi(test, async (c) => {
    const sent = await sendTestEvent(deps, keyContext(c), { endpointId: c.req.valid("param").id });
    return c.json({ id: sent.endpointId, delivery_id: sent.deliveryId }, 202);
  });

  for (const [type, payload] of Object.entries(s.webhookPayloads)) {
    api.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      tags,
      summary: `The ${type} event`,
      description:
        "Signed per Standard Webhooks: headers `webhook-id` (same on every retry), " +
        "`webhook-timestamp`, `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`).",
      request: { body: body(payload, true) },
      responses: { 200: { description: "Any 2xx acknowledges the delivery" } },
    });
  }
}

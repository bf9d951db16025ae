import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { decodeCursor, encodeCursor } from "../modules/reviews/cursor.ts";
import { decideReview } from "../modules/reviews/decisions.ts";
import { createReviewLink, revokeReviewLink } from "../modules/reviews/links.ts";
import {
  getReview,
  listReviewActivity,
  listReviewPage,
  requestReview,
} from "../modules/reviews/service.ts";
import type { AppDeps } from "../server/deps.ts";
import { keyContext, type RestEnv } from "./context.ts";
import { errorResponses } from "./errors.ts";
import * as s from "./review-schemas.ts";
import { body, json } from "./route-parts.ts";

const tags = ["Reviews"];

const list = createRoute({
  method: "get",
  path: "/reviews",
  tags,
  summary: "List reviews, newest first (scope reviews:read)",
  request: { query: s.ListQuery },
  responses: { 200: json(s.ReviewPage, "One page of reviews"), ...errorResponses(400, 403) },
});

const get = createRoute({
  method: "get",
  path: "/reviews/{id}",
  tags,
  summary: "Get a review (scope reviews:read)",
  request: { params: s.ReviewIdParams },
  responses: { 200: json(s.Review, "The review"), ...errorResponses(400, 403, 404) },
});

const activity = createRoute({
  method: "get",
  path: "/reviews/{id}/activity",
  tags,
  summary: "A review's activity, oldest first (scope reviews:read)",
  request: { params: s.ReviewIdParams },
  responses: { 200: json(s.ActivityList, "The activity"), ...errorResponses(400, 403, 404) },
});

const create = createRoute({
  method: "post",
  path: "/reviews",
  tags,
  summary: "Ask for a human decision (scope reviews:write)",
  description:
    "With an `Idempotency-Key`, repeating the same body answers 201 with the same review " +
    "(header `Idempotent-Replayed: true`); the same key with another body is a 409.",
  request: { headers: s.IdempotencyHeaders, body: body(s.CreateReviewBody, true) },
  responses: {
    201: json(s.CreatedReview, "The review, pending"),
    ...errorResponses(400, 403, 409, 415),
  },
});

const decide = (decision: "approve" | "reject") =>
  createRoute({
    method: "post",
    path: `/reviews/{id}/${decision}`,
    tags,
    summary: `${decision === "approve" ? "Approve" : "Reject"} a pending review (scope reviews:approve)`,
    description: "A review already decided or expired answers 409 with the recorded decision.",
    request: { params: s.ReviewIdParams, body: body(s.DecideBody, false) },
    responses: {
      200: json(s.DecisionResult, "The decision was recorded"),
      ...errorResponses(400, 403, 404, 409, 415),
    },
  });

const createLink = createRoute({
  method: "post",
  path: "/reviews/{id}/links",
  tags,
  summary: "Create a public review link (scope reviews:write)",
  description: "The URL is in this answer only. A link never outlives its review.",
  request: { params: s.ReviewIdParams, body: body(s.CreateLinkBody, false) },
  responses: {
    201: json(s.CreatedLink, "The link and its one-time URL"),
    ...errorResponses(400, 403, 404, 409, 415),
  },
});

const revokeLink = createRoute({
  method: "delete",
  path: "/reviews/{id}/links/{link_id}",
  tags,
  summary: "Revoke a review link (scope reviews:write); revoking twice is harmless",
  request: { params: s.LinkParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses(400, 403, 404) },
});

/**
 * The review routes of REST v1. Each handler parses (zod, via the route), reads the caller
 * through `keyContext(c)` and calls one service function; errors reach `restErrorHandler`.
 */
export function registerReviewRoutes(
  api: OpenAPIHono<RestEnv>,
  deps: Pick<AppDeps, "config" | "engine" | "queue">,
) {
  const reviewLimits = { maxSeconds: deps.config.reviewMaxSeconds, queue: deps.queue };

  api.openapi(list, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const { page, next } = await listReviewPage(keyContext(c), { status, limit, after });
    return c.json({ data: page.map(s.toSummary), next_cursor: next && encodeCursor(next) }, 200);
  });

  api.openapi(get, async (c) => {
    const review = await getReview(keyContext(c), { reviewId: c.req.valid("param").id });
    return c.json(s.toReview(review), 200);
  });

  api.openapi(activity, async (c) => {
    const rows = await listReviewActivity(keyContext(c), { reviewId: c.req.valid("param").id });
    return c.json({ data: rows.map(s.toActivity) }, 200);
  });

  api.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const created = await requestReview(
      reviewLimits,
      keyContext(c),
      {
        title: input.title,
        body: input.body,
        payload: input.payload,
        expiresInSeconds: input.expires_in_seconds,
        assignees: input.assignees,
        anyReviewer: input.any_reviewer,
      },
      c.req.valid("header")["idempotency-key"],
    );
    if (created.replayed) c.header("Idempotent-Replayed", "true");
    const answer = { id: created.id, status: "pending" as const };
    return c.json({ ...answer, expires_at: created.expiresAt.toISOString() }, 201);
  });

  for (const [route, decision] of [
    [decide("approve"), "approved"],
    [decide("reject"), "rejected"],
  ] as const) {
    api.openapi(route, async (c) => {
      const { comment } = c.req.valid("json");
      const reviewId = c.req.valid("param").id;
      const decided = await decideReview(deps.engine, keyContext(c), {
        reviewId,
        decision,
        comment,
      });
      return c.json({ id: decided.reviewId, status: decided.status }, 200);
    });
  }

  api.openapi(createLink, async (c) => {
    const input = c.req.valid("json");
    const link = await createReviewLink(keyContext(c), deps.config.baseUrl, {
      reviewId: c.req.valid("param").id,
      expiresInSeconds: input.expires_in_seconds,
      maxUses: input.max_uses,
    });
    const created = { id: link.id, url: link.url, max_uses: link.maxUses };
    return c.json({ ...created, expires_at: link.expiresAt.toISOString() }, 201);
  });

  api.openapi(revokeLink, async (c) => {
    const { id, link_id } = c.req.valid("param");
    await revokeReviewLink(keyContext(c), { reviewId: id, linkId: link_id });
    return c.body(null, 204);
  });
}

import { z } from "@hono/zod-openapi";
import { reviewInputs, reviewStatuses } from "../modules/reviews/inputs.ts";
import { linkInputs } from "../modules/reviews/links.ts";

/**
 * The wire shapes of the review resources: snake_case names, ISO 8601 timestamps. Input
 * constraints are the services' own (same zod fields), so both transports refuse alike.
 */
const create = reviewInputs.create.shape;
const link = linkInputs.create.shape;
const timestamp = z.iso.datetime();
const id = z.string().min(1).max(100);

export const ReviewIdParams = z.object({
  id: id.openapi({ param: { name: "id", in: "path" }, description: "Review id" }),
});

export const LinkParams = ReviewIdParams.extend({
  link_id: id.openapi({ param: { name: "link_id", in: "path" }, description: "Link id" }),
});

export const ListQuery = z.strictObject({
  status: z.enum(reviewStatuses).optional().openapi({ description: "Only reviews in this status" }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ description: "Page size, 1–200 (default 50)" }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: "`next_cursor` of the previous page" }),
});

export const ReviewSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    status: z.enum(reviewStatuses),
    workflow_id: z.string().nullable(),
    execution_id: z.string().nullable(),
    any_reviewer: z.boolean(),
    expires_at: timestamp,
    created_at: timestamp,
    decided_at: timestamp.nullable(),
  })
  .openapi("ReviewSummary");

export const Decision = z
  .object({
    by: z.string().nullable(),
    channel: z.enum(["app", "link", "quick_action", "api"]).nullable(),
    comment: z.string().nullable(),
    at: timestamp,
  })
  .openapi("Decision");

export const Review = ReviewSummary.extend({
  body: z.string(),
  payload: z.record(z.string(), z.unknown()),
  decision: Decision.nullable(),
}).openapi("Review");

export const ReviewPage = z
  .object({
    data: z.array(ReviewSummary),
    next_cursor: z.string().nullable().openapi({ description: "null on the last page" }),
  })
  .openapi("ReviewPage");

export const Activity = z
  .object({
    kind: z.string(),
    channel: z.enum(["app", "link", "quick_action", "api"]),
    actor_label: z.string().nullable(),
    member_id: z.string().nullable(),
    link_id: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    at: timestamp,
  })
  .openapi("Activity");

export const ActivityList = z.object({ data: z.array(Activity) }).openapi("ActivityList");

export const CreateReviewBody = z
  .strictObject({
    title: create.title,
    body: create.body,
    payload: create.payload,
    expires_in_seconds: create.expiresInSeconds,
    assignees: create.assignees.describe("Member ids the review is routed to"),
    any_reviewer: create.anyReviewer,
  })
  .openapi("CreateReview");

export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().min(1).max(255).optional().openapi({
    description: "Repeat a create safely: the same key and body answer with the same review",
  }),
});

export const CreatedReview = z
  .object({ id: z.string(), status: z.literal("pending"), expires_at: timestamp })
  .openapi("CreatedReview");

export const DecideBody = z
  .strictObject({ comment: reviewInputs.decide.shape.comment })
  .openapi("DecideReview");

export const DecisionResult = z
  .object({ id: z.string(), status: z.enum(["approved", "rejected"]) })
  .openapi("DecisionResult");

export const CreateLinkBody = z
  .strictObject({ expires_in_seconds: link.expiresInSeconds, max_uses: link.maxUses })
  .openapi("CreateLink");

export const CreatedLink = z
  .object({
    id: z.string(),
    url: z.url().openapi({ description: "Shown once: only its hash is stored" }),
    expires_at: timestamp,
    max_uses: z.number().int(),
  })
  .openapi("CreatedLink");

type Summary = {
  id: string;
  title: string;
  status: string;
  workflowId: string | null;
  executionId: string | null;
  anyReviewer: boolean;
  expiresAt: Date;
  createdAt: Date;
  decidedAt: Date | null;
};

const iso = (d: Date) => d.toISOString();

export const toSummary = (r: Summary): z.infer<typeof ReviewSummary> => ({
  id: r.id,
  title: r.title,
  status: r.status as z.infer<typeof ReviewSummary>["status"],
  workflow_id: r.workflowId,
  execution_id: r.executionId,
  any_reviewer: r.anyReviewer,
  expires_at: iso(r.expiresAt),
  created_at: iso(r.createdAt),
  decided_at: r.decidedAt ? iso(r.decidedAt) : null,
});

export const toReview = (
  r: Summary & {
    body: string;
    payload: unknown;
    decision: {
      by: string | null;
      channel: string | null;
      comment: string | null;
      at: Date;
    } | null;
  },
): z.infer<typeof Review> => ({
  ...toSummary(r),
  body: r.body,
  payload: (r.payload ?? {}) as Record<string, unknown>,
  decision: r.decision && {
    ...r.decision,
    channel: r.decision.channel as z.infer<typeof Decision>["channel"],
    at: iso(r.decision.at),
  },
});

export const toActivity = (a: {
  kind: string;
  channel: string;
  actorLabel: string | null;
  memberId: string | null;
  linkId: string | null;
  detail: unknown;
  at: Date;
}): z.infer<typeof Activity> => ({
  kind: a.kind,
  channel: a.channel as z.infer<typeof Activity>["channel"],
  actor_label: a.actorLabel,
  member_id: a.memberId,
  link_id: a.linkId,
  detail: (a.detail ?? {}) as Record<string, unknown>,
  at: iso(a.at),
});

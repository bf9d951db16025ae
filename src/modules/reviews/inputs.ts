import { z } from "zod";
import { MAX_REVIEW_SECONDS } from "./limits.ts";

export { MAX_REVIEW_SECONDS };
export const DEFAULT_REVIEW_SECONDS = 72 * 60 * 60;

export const reviewStatuses = ["pending", "approved", "rejected", "expired", "cancelled"] as const;

export const reviewInputs = {
  create: z.strictObject({
    title: z.string().trim().min(1, "title is required").max(300),
    body: z.string().max(20_000).default(""),
    payload: z.record(z.string(), z.unknown()).default({}),
    assignees: z.array(z.string().min(1)).max(50).default([]),
    anyReviewer: z.boolean().default(false),
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(MAX_REVIEW_SECONDS)
      .default(DEFAULT_REVIEW_SECONDS),
  }),
  list: z
    .strictObject({
      status: z.enum(reviewStatuses).optional(),
      /** Only reviews assigned to the member by name (a key has no assignments). */
      assignedToMe: z.boolean().default(false),
      limit: z.number().int().min(1).max(200).default(50),
      /** `nextCursor` of the previous page. */
      cursor: z.string().max(500).optional(),
    })
    .prefault({}),
  id: z.strictObject({ reviewId: z.string().min(1) }),
  decide: z.strictObject({
    reviewId: z.string().min(1),
    decision: z.enum(["approved", "rejected"]),
    comment: z.string().max(2000).optional(),
  }),
};

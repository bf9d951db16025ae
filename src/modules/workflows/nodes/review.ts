import { z } from "zod";
import { MAX_REVIEW_SECONDS } from "../../reviews/inputs.ts";
import { defineNode } from "./types.ts";

/**
 * Pauses the execution for a human decision: raises a review (routed to named members and/or
 * any REVIEWER) and continues on "approved" or "rejected" when someone decides, or on
 * "expired" (or fails, per `onExpiry`) when nobody does in time.
 */
export const reviewNode = defineNode({
  type: "review",
  displayName: "Human review",
  kind: "action",
  parameters: z.strictObject({
    title: z.string().trim().min(1).max(300),
    body: z.string().max(20_000).default(""),
    payload: z.record(z.string(), z.unknown()).default({}),
    assignees: z.array(z.string().min(1)).max(50).default([]),
    anyReviewer: z.boolean().default(true),
    expiresInHours: z
      .number()
      .min(0.02)
      .max(MAX_REVIEW_SECONDS / 3600)
      .default(72),
    onExpiry: z.enum(["branch", "fail"]).default("branch"),
  }),
  ports: ["approved", "rejected", "expired"],
  async run({ parameters, requestReview }) {
    const { reviewId, expiresAt } = await requestReview({
      title: parameters.title,
      body: parameters.body,
      payload: parameters.payload,
      assignees: parameters.assignees,
      anyReviewer: parameters.anyReviewer,
      expiresInSeconds: Math.round(parameters.expiresInHours * 3600),
    });
    return {
      wait: {
        key: `review:${reviewId}`,
        timeoutMs: Math.max(0, expiresAt.getTime() - Date.now()),
        timeoutPort: parameters.onExpiry === "branch" ? "expired" : null,
      },
    };
  },
});

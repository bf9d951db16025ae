import type { z } from "zod";
import { isKeyContext, type MemberContext, type OrgContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { type AuditContext, recordAudit } from "../audit/record.ts";
import { emitWebhookEvent } from "../webhooks/events.ts";
import type { EngineDeps } from "../workflows/engine/deps.ts";
import { resumeReviewWaitInTx } from "../workflows/engine/events.ts";
import { authorizedReview, type ReviewRow } from "./authorized.ts";
import { reviewInputs } from "./inputs.ts";
import * as repo from "./repo.ts";

/** What was decided, by whom, through which channel and when; null while undecided. */
export const decisionOf = (row: ReviewRow["row"]) =>
  row.decidedAt
    ? {
        by: row.decidedByLabel,
        channel: row.decisionChannel,
        comment: row.decisionComment,
        at: row.decidedAt,
      }
    : null;

/**
 * Records a decision (exactly one wins under concurrency), logs it, audits it and resumes the
 * waiting execution down the approved or rejected branch — all in the caller's transaction.
 * A review already decided or expired answers CONFLICT with what was recorded.
 */
export async function decideInTx(
  engine: EngineDeps,
  tx: Tx,
  audit: AuditContext,
  reviewId: string,
  decision: { status: "approved" | "rejected"; comment?: string | undefined },
  by: repo.Decider,
) {
  const decided = await repo.recordDecision(tx, audit.orgId, reviewId, decision, by);
  if (!decided) {
    const current = await repo.findReview(tx, audit.orgId, reviewId);
    if (!current) throw notFound("Review");
    throw new AppError("CONFLICT", `This review is already ${current.status}`, {
      status: current.status,
      decision: decisionOf(current.row),
    });
  }
  await repo.addActivity(
    tx,
    audit.orgId,
    reviewId,
    {
      kind: decision.status,
      channel: by.channel,
      label: by.label,
      ...(by.memberId && { memberId: by.memberId }),
      ...(by.linkId && { linkId: by.linkId }),
      detail: { comment: decision.comment ?? null },
    },
    audit.meta,
  );
  await recordAudit(tx, audit, {
    action: `review.${decision.status}`,
    targetType: "review",
    targetId: reviewId,
    metadata: { channel: by.channel, by: by.label },
  });
  await emitWebhookEvent(tx, engine.webhooks, {
    orgId: audit.orgId,
    type: `review.${decision.status}`,
    data: { review_id: reviewId, decision: decision.status, channel: by.channel, by: by.label },
  });
  if (decided.executionId) {
    await resumeReviewWaitInTx(
      engine,
      tx,
      { orgId: audit.orgId, executionId: decided.executionId },
      { ...decided, status: decision.status },
    );
  }
  return { reviewId, status: decision.status };
}

/** In the app or through the API: the member or key must be allowed to decide this review. */
export function decideReview(
  engine: EngineDeps,
  ctx: OrgContext,
  input: z.input<typeof reviewInputs.decide>,
) {
  const { reviewId, decision, comment } = reviewInputs.decide.parse(input);
  return withTenant(ctx.db, ctx.orgId, async (tx) => {
    await authorizedReview(tx, ctx, reviewId, "review:decide");
    const by: repo.Decider = isKeyContext(ctx)
      ? { channel: "api", label: ctx.actor.label }
      : { channel: "app", memberId: ctx.memberId, label: await memberLabel(tx, ctx) };
    return decideInTx(engine, tx, ctx, reviewId, { status: decision, comment }, by);
  });
}

async function memberLabel(tx: Tx, ctx: MemberContext) {
  const user = await tx.query.user.findFirst({
    where: (u, { eq }) => eq(u.id, ctx.userId),
    columns: { name: true, email: true },
  });
  return user ? `${user.name} <${user.email}>` : ctx.userId;
}

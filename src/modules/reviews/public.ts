import { z } from "zod";
import type { RequestMeta } from "../../access/context.ts";
import type { Db, Tx } from "../../db/client.ts";
import { withTenant } from "../../db/tenant.ts";
import { AppError } from "../../lib/errors.ts";
import type { AuditContext } from "../audit/record.ts";
import { emitWebhookEvent } from "../webhooks/events.ts";
import type { EngineDeps } from "../workflows/engine/deps.ts";
import { decideInTx } from "./decisions.ts";
import { findGrant, type Grant, markViewed, spendUse } from "./public-grants.ts";
import * as repo from "./repo.ts";
import { findSession, openSession, type SessionScope } from "./sessions.ts";

/**
 * Public review links (`/r/<token>`) and quick actions (`/q/<token>`), transport-neutral:
 * the token is the whole authorization, and it reaches exactly one review.
 */

/** Why a visit was refused; the transport maps these to 404/410/403/409/400. */
export type Refusal =
  | { refused: "unknown" }
  | { refused: "gone" }
  | { refused: "forbidden" }
  | { refused: "decided"; status: string }
  | { refused: "invalid"; message: string };

export interface PublicReview {
  kind: Grant["kind"];
  title: string;
  body: string;
  payload: unknown;
  expiresAt: Date;
  /** Quick actions only: the one action it takes, and who it was sent to. */
  action?: "approved" | "rejected";
  recipient?: string | null;
  session: { id: string; token: string; csrf: string; maxAgeSeconds: number };
}

const scopeOf = (grant: Grant): SessionScope => ({
  orgId: grant.orgId,
  reviewId: grant.reviewId,
  grant: { kind: grant.kind, id: grant.id },
});

const activityOf = (grant: Grant, label: string | undefined, detail: Record<string, unknown>) => ({
  channel: grant.kind,
  ...(label && { label }),
  ...(grant.kind === "link" && { linkId: grant.id }),
  detail: grant.kind === "quick_action" ? { ...detail, quickActionId: grant.id } : detail,
});

/** `GET`: shows the review and opens a session. Never changes the review. */
export async function viewPublicReview(
  db: Db,
  kind: Grant["kind"],
  token: string,
  meta: RequestMeta,
): Promise<PublicReview | Refusal> {
  const grant = await findGrant(db, kind, token);
  if (!grant) return { refused: "unknown" };
  if (grant.dead) return { refused: "gone" };
  return withTenant(db, grant.orgId, async (tx) => {
    const review = await repo.findReview(tx, grant.orgId, grant.reviewId);
    if (review?.status !== "pending" || !(await markViewed(tx, grant))) return { refused: "gone" };
    const session = await openSession(tx, scopeOf(grant));
    const label = grant.recipient ?? undefined;
    await repo.addActivity(
      tx,
      grant.orgId,
      grant.reviewId,
      { kind: "viewed", ...activityOf(grant, label, { session: session.id }) },
      meta,
    );
    return {
      kind,
      title: review.title,
      body: review.row.body,
      payload: review.row.payload,
      expiresAt: review.expiresAt,
      ...(grant.action && { action: grant.action, recipient: grant.recipient ?? null }),
      session,
    };
  });
}

const linkForm = z.object({
  decision: z.enum(["approved", "rejected"], "Choose Approve or Reject"),
  name: z
    .string("Your name is required")
    .trim()
    .min(1, "Your name is required")
    .max(100, "Your name may have at most 100 characters"),
  comment: z.string().trim().max(2000, "The comment may have at most 2000 characters").optional(),
});
const quickActionForm = linkForm.pick({ comment: true });

export interface DecisionForm {
  /** The session cookie's value and the form's CSRF token. */
  session: string | undefined;
  csrf: string | undefined;
  fields: Record<string, unknown>;
}

/** `POST`: decides the review, inside a valid session only, spending one use of the grant. */
export async function decidePublicReview(
  engine: EngineDeps,
  kind: Grant["kind"],
  token: string,
  form: DecisionForm,
  meta: RequestMeta,
): Promise<{ decided: "approved" | "rejected" } | Refusal> {
  const grant = await findGrant(engine.db, kind, token);
  if (!grant) return { refused: "unknown" };
  if (grant.dead) return { refused: "gone" };
  const attempt: { session?: string; label?: string } = {};
  let outcome: { decided: "approved" | "rejected" } | Refusal;
  try {
    outcome = await withTenant(engine.db, grant.orgId, async (tx) => {
      const session = await findSession(tx, scopeOf(grant), {
        token: form.session,
        csrf: form.csrf,
      });
      if (!session) return { refused: "forbidden" } as const;
      attempt.session = session.id;
      const input = parseForm(grant, form.fields);
      if ("refused" in input) return input;
      attempt.label = input.label;
      if (!(await spendUse(tx, grant))) return refusalFor(tx, grant);
      const activity = activityOf(grant, input.label, {
        session: session.id,
        decision: input.decision,
      });
      await repo.addActivity(
        tx,
        grant.orgId,
        grant.reviewId,
        { kind: "submitted", ...activity },
        meta,
      );
      const audit: AuditContext = {
        orgId: grant.orgId,
        actor: {
          kind: "reviewLink",
          linkId: grant.id,
          reviewId: grant.reviewId,
          label: input.label,
        },
        meta,
      };
      await decideInTx(
        engine,
        tx,
        audit,
        grant.reviewId,
        { status: input.decision, comment: input.comment },
        {
          channel: grant.kind,
          label: input.label,
          ...(grant.kind === "link" && { linkId: grant.id }),
        },
      );
      await emitWebhookEvent(tx, engine.webhooks, {
        orgId: grant.orgId,
        type: "review.link_used",
        data: {
          review_id: grant.reviewId,
          link_kind: grant.kind,
          link_id: grant.id,
          decision: input.decision,
        },
      });
      return { decided: input.decision };
    });
  } catch (error) {
    // decideInTx refused (someone decided first, or the review expired): the transaction,
    // with the use it spent, rolled back.
    if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
    const status = String(error.details?.status ?? "decided");
    outcome = status === "expired" ? { refused: "gone" } : { refused: "decided", status };
  }
  // a refused attempt inside a valid session is still an action worth a line in the log
  if ("refused" in outcome && attempt.session) {
    const detail = { session: attempt.session, refused: outcome.refused };
    await withTenant(engine.db, grant.orgId, (tx) =>
      repo.addActivity(
        tx,
        grant.orgId,
        grant.reviewId,
        { kind: "refused", ...activityOf(grant, attempt.label, detail) },
        meta,
      ),
    );
  }
  return outcome;
}

/** A grant that could not be spent: used up while the review is pending is simply gone. */
async function refusalFor(tx: Tx, grant: Grant): Promise<Refusal> {
  const review = await repo.findReview(tx, grant.orgId, grant.reviewId);
  const status = review?.status;
  return status && status !== "pending" && status !== "expired"
    ? { refused: "decided", status }
    : { refused: "gone" };
}

function parseForm(grant: Grant, fields: Record<string, unknown>) {
  if (grant.kind === "quick_action") {
    const parsed = quickActionForm.safeParse(fields);
    if (!parsed.success) return invalid(parsed.error);
    if (!grant.action) throw new Error("A quick action without its action");
    return {
      decision: grant.action,
      label: grant.recipient || "Quick action",
      comment: parsed.data.comment || undefined,
    };
  }
  const parsed = linkForm.safeParse(fields);
  if (!parsed.success) return invalid(parsed.error);
  return {
    decision: parsed.data.decision,
    label: `${parsed.data.name} (public link)`,
    comment: parsed.data.comment || undefined,
  };
}

const invalid = (error: z.ZodError): Refusal => ({
  refused: "invalid",
  message: error.issues[0]?.message ?? "Invalid input",
});

import { quoteUserText } from "../../../lib/mailer.ts";
import { sendEmail } from "./send-email.ts";
import { slackMessage } from "./slack-message.ts";
import type { NodeContext, RaisedReview } from "./types.ts";

/** The longest title a review node takes; a notification quotes all of it. */
export const REVIEW_TITLE_MAX_LENGTH = 300;

/**
 * The subject names no user-chosen text: the title may come from whoever sent the trigger's
 * payload, and a subject is what a mail client shows before anything else.
 */
export const REVIEW_MAIL_SUBJECT = "A review is waiting for your decision on Fluxo";

interface ReviewText {
  title: string;
  body: string;
}

function message(
  review: ReviewText,
  raised: RaisedReview,
  actions?: { approved: string; rejected: string },
) {
  // The title is the workflow's (or its trigger payload's) text: quoted, on a line of its own.
  const title = `Review requested: ${quoteUserText(review.title, REVIEW_TITLE_MAX_LENGTH)}`;
  const lines = [title, "", review.body].filter((line, i) => i < 2 || line);
  if (raised.linkUrl) lines.push("", `Review it: ${raised.linkUrl}`);
  if (actions) lines.push("", `Approve: ${actions.approved}`, `Reject: ${actions.rejected}`);
  lines.push("", `Decide before ${raised.expiresAt.toISOString()}.`);
  return lines.join("\n");
}

/**
 * Sends the review's notifications through the e-mail and Slack nodes themselves, so they
 * go through the same credential checks and outbound guard.
 */
export async function notifyReviewers<P extends ReviewText>(
  ctx: NodeContext<P>,
  channel: "email" | "slack",
  raised: RaisedReview,
) {
  if (channel === "slack") {
    if (!ctx.hasCredential)
      throw new Error("Slack notifications need a slack_webhook credential on the review node");
    const text = message(ctx.parameters, raised, raised.quickActions.Slack);
    await slackMessage.run({ ...ctx, parameters: slackMessage.parameters.parse({ text }) });
    return;
  }
  for (const [to, actions] of Object.entries(raised.quickActions)) {
    const text = message(ctx.parameters, raised, actions);
    await sendEmail.run({
      ...ctx,
      parameters: sendEmail.parameters.parse({ to, subject: REVIEW_MAIL_SUBJECT, text }),
    });
  }
}

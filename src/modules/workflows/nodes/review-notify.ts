import { sendEmail } from "./send-email.ts";
import { slackMessage } from "./slack-message.ts";
import type { NodeContext, RaisedReview } from "./types.ts";

interface ReviewText {
  title: string;
  body: string;
}

function message(
  review: ReviewText,
  raised: RaisedReview,
  actions?: { approved: string; rejected: string },
) {
  const lines = [review.title, "", review.body].filter((line, i) => i < 2 || line);
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
  const { title } = ctx.parameters;
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
      parameters: sendEmail.parameters.parse({ to, subject: `Review requested: ${title}`, text }),
    });
  }
}

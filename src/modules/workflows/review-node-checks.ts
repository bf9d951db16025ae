import type { MemberContext } from "../../access/context.ts";
import type { Tx } from "../../db/client.ts";
import { findMember } from "../orgs/repo.ts";
import { findMetadata } from "../vault/repo.ts";
import type { DefinitionNode } from "./definition.ts";
import { nonMembers } from "./engine/org-mailer.ts";
import { hasExpression } from "./expressions.ts";
import { reviewNode } from "./nodes/review.ts";
import type { NodeCheck, NodeIssue } from "./validate.ts";

/** The literal strings of a parameter list; expressions are checked when they run. */
const literals = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && !hasExpression(v))
    : [];

/**
 * At save, a review node must be able to reach whom it names: assignees are members of the
 * organization; Slack needs a slack_webhook credential; e-mail needs an smtp credential, or
 * goes (through the instance's mailer) only to members. What is an expression is checked
 * when the node runs.
 */
export function reviewNodeCheck(tx: Tx, ctx: MemberContext): NodeCheck {
  return async (node: DefinitionNode) => {
    if (node.type !== reviewNode.type) return [];
    const problems: NodeIssue[] = [];
    for (const memberId of new Set(literals(node.parameters.assignees))) {
      if (!(await findMember(tx, ctx.orgId, memberId)))
        problems.push({
          path: "parameters.assignees",
          message: `${memberId} is not a member of the organization`,
        });
    }
    const notify = node.parameters.notify as { channel?: unknown; to?: unknown } | undefined;
    if (!notify || typeof notify !== "object") return problems;
    const credentialType = node.credentialId
      ? (await findMetadata(tx, ctx, node.credentialId))?.type
      : undefined;
    if (notify.channel === "slack" && credentialType !== "slack_webhook") {
      problems.push({
        path: "parameters.notify",
        message: "Slack notifications need a slack_webhook credential on the node",
      });
    }
    if (notify.channel === "email") {
      if (credentialType && credentialType !== "smtp") {
        problems.push({
          path: "parameters.notify",
          message:
            "e-mail notifications need an smtp credential on the node, or none to mail members through the instance",
        });
      }
      const outsiders = credentialType ? [] : await nonMembers(tx, ctx.orgId, literals(notify.to));
      if (outsiders.length) {
        problems.push({
          path: "parameters.notify.to",
          message: `without an smtp credential, e-mail goes only to members of the organization (not ${outsiders.join(", ")})`,
        });
      }
    }
    return problems;
  };
}

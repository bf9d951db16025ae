import { httpRequest } from "./http-request.ts";
import { ifNode } from "./if.ts";
import { postgresQuery } from "./postgres-query.ts";
import { reviewNode } from "./review.ts";
import { sendEmail } from "./send-email.ts";
import { slackMessage } from "./slack-message.ts";
import { transform } from "./transform.ts";
import { manualTrigger, scheduleTrigger, webhookTrigger } from "./triggers.ts";
import type { NodeType } from "./types.ts";
import { waitForEvent } from "./wait-for-event.ts";

/** Every node type a workflow may use. Adding one: its file, and one entry here. */
const all = [
  manualTrigger,
  webhookTrigger,
  scheduleTrigger,
  httpRequest,
  sendEmail,
  slackMessage,
  postgresQuery,
  transform,
  ifNode,
  waitForEvent,
  reviewNode,
] as unknown as NodeType<unknown>[];

export const nodeTypes: ReadonlyMap<string, NodeType<unknown>> = new Map(
  all.map((node) => [node.type, node]),
);

export const portsOf = (node: NodeType<unknown>): readonly string[] => node.ports ?? ["main"];

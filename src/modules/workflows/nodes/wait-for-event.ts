import { z } from "zod";
import { isReviewWaitKey } from "../engine/wait-keys.ts";
import { defineNode } from "./types.ts";

const MAX_WAIT_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Parks the execution durably until an event with `key` arrives (port "event", output the
 * event payload) or `timeoutSeconds` pass (port "timeout", or a failure when `onTimeout` is
 * "fail"). The engine does the waiting; this node only says what to wait for.
 */
export const waitForEvent = defineNode({
  type: "wait_for_event",
  displayName: "Wait for event",
  kind: "action",
  group: "logic",
  parameters: z.strictObject({
    key: z
      .string()
      .min(1)
      .max(200)
      .refine((key) => !isReviewWaitKey(key), "may not start with review: (a review's own wait)")
      .describe("The key a signal to this execution must carry (executions.signal)."),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_WAIT_MS / 1000)
      .describe("Seconds to wait for the event."),
    onTimeout: z
      .enum(["branch", "fail"])
      .default("branch")
      .describe('On timeout, continue on the "timeout" port (branch) or fail the node.'),
  }),
  ports: ["event", "timeout"],
  run: async ({ parameters }) => ({
    wait: {
      key: parameters.key,
      timeoutMs: parameters.timeoutSeconds * 1000,
      timeoutPort: parameters.onTimeout === "branch" ? "timeout" : null,
    },
  }),
});

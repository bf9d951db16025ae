import { z } from "zod";
import { executionStatus } from "../../../db/schema/index.ts";

const payload = z.record(z.string(), z.unknown()).default({});
export const executionTriggers = ["manual", "webhook", "schedule"] as const;

export const executionInputs = {
  run: z.strictObject({ workflowId: z.string().min(1), payload }),
  /** Newest first across the workflows the member may view, or one workflow's. */
  list: z.strictObject({
    workflowId: z.string().min(1).optional(),
    status: z.enum(executionStatus.enumValues).optional(),
    trigger: z.enum(executionTriggers).optional(),
    limit: z.number().int().min(1).max(100, "limit may be at most 100").default(25),
    /** Opaque, from the previous page's `nextCursor`. */
    cursor: z.string().max(500, "cursor: not a cursor issued by this API").optional(),
  }),
  id: z.strictObject({ executionId: z.string().min(1) }),
  signal: z.strictObject({
    executionId: z.string().min(1),
    key: z.string().min(1).max(200),
    payload,
  }),
};

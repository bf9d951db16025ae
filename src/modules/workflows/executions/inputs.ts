import { z } from "zod";

const payload = z.record(z.string(), z.unknown()).default({});

export const executionInputs = {
  run: z.strictObject({ workflowId: z.string().min(1), payload }),
  list: z.strictObject({
    workflowId: z.string().min(1),
    limit: z.number().int().min(1).max(200).default(50),
  }),
  id: z.strictObject({ executionId: z.string().min(1) }),
  signal: z.strictObject({
    executionId: z.string().min(1),
    key: z.string().min(1).max(200),
    payload,
  }),
};

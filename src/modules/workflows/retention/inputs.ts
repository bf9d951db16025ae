import { z } from "zod";
import { MAX_RETENTION_DAYS } from "../../../config/executions.ts";

// the error map puts the field's name before each message
const days = z
  .number()
  .int("whole days")
  .min(1, "at least 1 day")
  .max(MAX_RETENTION_DAYS, `at most ${MAX_RETENTION_DAYS} days`);

export const retentionInputs = {
  /** An organization's own settings; `keepPerWorkflow: null` lifts the count limit. */
  set: z.strictObject({
    keepDays: days,
    keepFailedDays: days,
    keepPerWorkflow: z
      .number()
      .int("a whole number")
      .min(1, "at least 1, or null for no count limit")
      .max(1_000_000, "at most 1,000,000")
      .nullable(),
  }),
};

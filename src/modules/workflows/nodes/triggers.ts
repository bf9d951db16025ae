import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { defineNode } from "./types.ts";

// Trigger nodes start an execution; their output is the trigger payload.

export const manualTrigger = defineNode({
  type: "manual_trigger",
  displayName: "Manual trigger",
  kind: "trigger",
  parameters: z.strictObject({}),
  run: async () => ({ output: {} }),
});

export const webhookTrigger = defineNode({
  type: "webhook_trigger",
  displayName: "Incoming webhook",
  kind: "trigger",
  parameters: z.strictObject({}),
  run: async () => ({ output: {} }),
});

/**
 * Five-field cron: minute hour day-of-month month day-of-week. Read by cron-parser as the job
 * queue reads it when it registers and fires the schedule, so what saves is what runs.
 */
const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression, e.g. */5 * * * *")
  .superRefine((value, ctx) => {
    try {
      CronExpressionParser.parse(value, { tz: "UTC", strict: false });
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `is not a valid cron expression: ${reason(error)}` });
    }
  })
  .describe("Minute, hour, day of month, month, day of week; e.g. 0 9 * * 1 for Mondays at 9:00.");

/** An IANA time zone; the queue's parser only resolves it against a date, so one is given. */
const timezone = z
  .string()
  .min(1)
  .default("UTC")
  .refine(
    (tz) => {
      try {
        CronExpressionParser.parse("* * * * *", { tz, strict: false, currentDate: new Date() });
        return true;
      } catch {
        return false;
      }
    },
    { message: "is not a known time zone (an IANA name such as Europe/Berlin)" },
  )
  .describe("An IANA time zone such as Europe/Berlin; the schedule follows its clock changes.");

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const scheduleTrigger = defineNode({
  type: "schedule_trigger",
  displayName: "Schedule",
  kind: "trigger",
  parameters: z.strictObject({ cron, timezone }),
  // registered with the queue when the definition is saved, not evaluated per execution
  literalFields: ["cron", "timezone"],
  run: async () => ({ output: {} }),
});

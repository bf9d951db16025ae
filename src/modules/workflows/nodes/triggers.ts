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

/** Five-field cron: minute hour day-of-month month day-of-week. */
const cron = z
  .string()
  .trim()
  .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression, e.g. */5 * * * *");

export const scheduleTrigger = defineNode({
  type: "schedule_trigger",
  displayName: "Schedule",
  kind: "trigger",
  parameters: z.strictObject({ cron, timezone: z.string().min(1).default("UTC") }),
  run: async () => ({ output: {} }),
});

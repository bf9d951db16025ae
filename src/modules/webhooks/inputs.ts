import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "./events.ts";

/** Seven days: the longest a rotated-out secret keeps signing. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRACE_SECONDS = 24 * 3600;

const url = z.string("url is required").trim().min(1, "url is required");
const description = z.string().trim().max(500, "description may have at most 500 characters");
const eventTypes = z
  .array(
    z.enum(WEBHOOK_EVENT_TYPES, `unknown event type; known: ${WEBHOOK_EVENT_TYPES.join(", ")}`),
    "eventTypes must be a list of event types",
  )
  .min(1, "subscribe to at least one event type")
  .transform((types) => [...new Set(types)].sort());
const endpointId = z.string().min(1, "endpointId is required");

export const webhookInputs = {
  create: z.strictObject({ url, description: description.default(""), eventTypes }),
  update: z
    .strictObject({
      endpointId,
      url: url.optional(),
      description: description.optional(),
      eventTypes: eventTypes.optional(),
      /** true re-enables an endpoint (also one the system disabled); false disables it. */
      enabled: z.boolean().optional(),
    })
    .refine(
      (v) =>
        v.url !== undefined ||
        v.description !== undefined ||
        v.eventTypes !== undefined ||
        v.enabled !== undefined,
      { message: "nothing to update: send url, description, eventTypes or enabled", path: ["url"] },
    ),
  id: z.strictObject({ endpointId }),
  rotate: z.strictObject({
    endpointId,
    /** How long the previous secret keeps signing alongside the new one (0 = not at all). */
    graceSeconds: z
      .number()
      .int("graceSeconds must be a whole number of seconds")
      .min(0, "graceSeconds may not be negative")
      .max(MAX_GRACE_SECONDS, `graceSeconds may be at most ${MAX_GRACE_SECONDS} (7 days)`)
      .default(DEFAULT_GRACE_SECONDS),
  }),
};

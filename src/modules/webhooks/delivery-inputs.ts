import { z } from "zod";

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

const endpointId = z.string().min(1, "endpointId is required").max(100);
const deliveryId = z.string().min(1, "deliveryId is required").max(100);

export const deliveryInputs = {
  list: z.strictObject({
    endpointId,
    status: z
      .enum(DELIVERY_STATUSES, `status must be one of ${DELIVERY_STATUSES.join(", ")}`)
      .optional(),
    limit: z
      .number()
      .int("limit must be a whole number")
      .min(1, "limit must be at least 1")
      .max(100, "limit may be at most 100")
      .default(20),
    /** Opaque, from the previous page's `nextCursor`. */
    cursor: z.string().max(500, "cursor: not a cursor issued by this API").optional(),
  }),
  one: z.strictObject({ endpointId, deliveryId }),
};

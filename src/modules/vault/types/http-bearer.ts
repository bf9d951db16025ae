import { z } from "zod";
import { defineCredentialType } from "./define.ts";

/** `Authorization: Bearer <token>`. */
export const httpBearer = defineCredentialType({
  id: "http_bearer",
  displayName: "HTTP bearer token",
  settings: z.strictObject({}),
  secret: z.strictObject({
    // RFC 6750 allows a narrow alphabet; visible ASCII keeps real-world tokens and refuses
    // spaces and line breaks that would split or inject headers.
    token: z
      .string()
      .min(1, "is required")
      .max(8192)
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces"),
  }),
});

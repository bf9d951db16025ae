import { z } from "zod";
import { connectionTestKind } from "../test-connection.ts";
import { credentialTypes } from "./index.ts";

/**
 * The credential types with JSON Schemas of their fields, so a UI can render the forms, and
 * how `credentials.testConnection` checks each.
 */
export function listCredentialTypes() {
  return [...credentialTypes.values()].map((type) => ({
    id: type.id,
    displayName: type.displayName,
    settings: z.toJSONSchema(type.settings, { unrepresentable: "any" }),
    secret: z.toJSONSchema(type.secret, { unrepresentable: "any" }),
    connectionTest: connectionTestKind(type.id),
  }));
}

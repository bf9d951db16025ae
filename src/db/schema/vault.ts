import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";
import { organizationId } from "./orgs.ts";
import { grantTable, sharingColumns } from "./sharing.ts";
import { tenantPolicy } from "./tenant.ts";

/**
 * A stored credential. `secret_envelope` is AES-256-GCM ciphertext bound to (org, id, type)
 * (src/modules/vault/crypto.ts); `settings` hold only the type's non-secret fields.
 */
export const credential = pgTable(
  "credential",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    secretEnvelope: text("secret_envelope").notNull(),
    /** Names of the secret fields that hold a value (never the values). */
    secretFields: text("secret_fields").array().notNull(),
    /** The key the envelope is encrypted under, so rotation can find what is left to do. */
    keyId: text("key_id").notNull(),
    ...sharingColumns(),
    createdBy: text("created_by").references(() => user.id, { onDelete: "set null" }),
    updatedBy: text("updated_by").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("credential_org_id_idx").on(t.organizationId, t.id),
    index("credential_org_name_idx").on(t.organizationId, t.name),
    index("credential_key_id_idx").on(t.keyId),
    tenantPolicy("credential"),
  ],
).enableRLS();

export const credentialGrant = grantTable("credential_grant", credential);

/**
 * The vault keys each running Fluxo process holds (ids only), refreshed every minute, so that
 * a rotation can refuse while a live process could not read envelopes under the new key.
 * Not tenant data: a process serves every organization.
 */
export const vaultKeyringInstance = pgTable("vault_keyring_instance", {
  instanceId: text("instance_id").primaryKey(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  activeKeyId: text("active_key_id").notNull(),
  keyIds: text("key_ids").array().notNull(),
  seenAt: timestamp("seen_at", { withTimezone: true }).notNull().defaultNow(),
});

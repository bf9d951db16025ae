import {
  foreignKey,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { organizationId } from "./orgs.ts";
import { tenantPolicy } from "./tenant.ts";

/**
 * An organization API key. Only the SHA-256 of the key is stored; `prefix` (`flx_` + 8
 * characters) identifies it in lists. Revoked and expired keys stay for the audit trail.
 */
export const apiKey = pgTable(
  "api_key",
  {
    id: text("id").primaryKey(),
    organizationId: organizationId(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    createdByUserId: text("created_by_user_id"),
    createdByLabel: text("created_by_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedByUserId: text("revoked_by_user_id"),
    /** The key this one replaced by a roll. */
    rolledFromId: text("rolled_from_id"),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
  },
  (t) => [
    // verification is this one indexed lookup
    uniqueIndex("api_key_hash_idx").on(t.keyHash),
    uniqueIndex("api_key_org_id_idx").on(t.organizationId, t.id),
    index("api_key_org_created_idx").on(t.organizationId, t.createdAt),
    tenantPolicy("api_key"),
  ],
).enableRLS();

/**
 * An `Idempotency-Key` seen on a POST: the same key with the same request answers with the
 * same resource; with a different request it is refused.
 */
export const apiIdempotency = pgTable(
  "api_idempotency",
  {
    organizationId: organizationId(),
    apiKeyId: text("api_key_id").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of method, path and canonical body. */
    requestHash: text("request_hash").notNull(),
    resourceId: text("resource_id").notNull(),
    responseStatus: integer("response_status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("api_idempotency_key_idx").on(t.organizationId, t.apiKeyId, t.idempotencyKey),
    foreignKey({
      name: "api_idempotency_key_fk",
      columns: [t.organizationId, t.apiKeyId],
      foreignColumns: [apiKey.organizationId, apiKey.id],
    }).onDelete("cascade"),
    tenantPolicy("api_idempotency"),
  ],
).enableRLS();

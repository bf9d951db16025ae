import { eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client.ts";
import { executionRetention } from "../../../db/schema/index.ts";

export type RetentionRow = typeof executionRetention.$inferSelect;
export type RetentionValues = Pick<RetentionRow, "keepDays" | "keepFailedDays" | "keepPerWorkflow">;

export async function findRetention(db: Queryable, orgId: string) {
  const [row] = await db
    .select()
    .from(executionRetention)
    .where(eq(executionRetention.organizationId, orgId))
    .for("update");
  return row;
}

export async function upsertRetention(db: Queryable, orgId: string, values: RetentionValues) {
  const updatedAt = new Date();
  await db
    .insert(executionRetention)
    .values({ organizationId: orgId, ...values, updatedAt })
    .onConflictDoUpdate({
      target: executionRetention.organizationId,
      set: { ...values, updatedAt },
    });
}

export async function deleteRetention(db: Queryable, orgId: string) {
  await db.delete(executionRetention).where(eq(executionRetention.organizationId, orgId));
}

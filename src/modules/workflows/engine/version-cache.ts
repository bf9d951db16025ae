import type { Queryable } from "../../../db/client.ts";
import { type WorkflowDefinition, workflowDefinition } from "../definition.ts";
import { findVersion } from "./repo.ts";

const MAX_ENTRIES = 1000;
const cache = new Map<string, { definition: WorkflowDefinition; authorMemberId: string }>();

/**
 * A saved workflow version, parsed. Versions never change once written, so they are kept in
 * memory (bounded): every execution and every webhook call would otherwise read and parse it.
 */
export async function loadVersion(
  db: Queryable,
  orgId: string,
  workflowId: string,
  version: number,
) {
  const key = `${orgId}/${workflowId}/${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await findVersion(db, orgId, workflowId, version);
  if (!row) return undefined;
  const entry = {
    definition: workflowDefinition.parse(row.definition),
    authorMemberId: row.authorMemberId,
  };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, entry);
  return entry;
}

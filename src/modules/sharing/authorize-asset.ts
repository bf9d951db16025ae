import type { AssetAccess } from "../../access/authorize.ts";
import { authorize } from "../../access/authorize.ts";
import type { MemberContext } from "../../access/context.ts";
import type { Action } from "../../access/statements.ts";
import type { Queryable } from "../../db/client.ts";
import { notFound } from "../../lib/errors.ts";
import { assetTables, type ShareableType } from "./assets.ts";
import { loadAssetAccess } from "./repo.ts";

/**
 * Loads a workflow's or credential's sharing facts for the acting member and authorizes
 * `verb` on it (404 when it does not exist in the org or the member may not even see it).
 */
export async function authorizeAsset(
  db: Queryable,
  ctx: MemberContext,
  type: ShareableType,
  id: string,
  verb: string,
): Promise<AssetAccess> {
  const asset = await loadAssetAccess(db, ctx, type, id);
  if (!asset) throw notFound(assetTables[type].label);
  authorize(ctx, `${type}:${verb}` as Action, asset);
  return asset;
}

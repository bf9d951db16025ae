import type { AssetType } from "../../access/statements.ts";
import { workflow, workflowGrant } from "../../db/schema/index.ts";

/** The tables behind each shareable asset type. Adding a type is one entry here. */
export const assetTables = {
  workflow: { table: workflow, grants: workflowGrant },
} satisfies Partial<Record<AssetType, { table: unknown; grants: unknown }>>;

export type ShareableType = keyof typeof assetTables;
export const shareableTypes = Object.keys(assetTables) as [ShareableType, ...ShareableType[]];

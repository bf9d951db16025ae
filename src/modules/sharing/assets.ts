import type { AssetType } from "../../access/statements.ts";
import { credential, credentialGrant, workflow, workflowGrant } from "../../db/schema/index.ts";

/** The tables behind each shareable asset type. Adding a type is one entry here. */
export const assetTables = {
  workflow: { label: "Workflow", table: workflow, grants: workflowGrant },
  credential: { label: "Credential", table: credential, grants: credentialGrant },
} satisfies Partial<Record<AssetType, { label: string; table: unknown; grants: unknown }>>;

export type ShareableType = keyof typeof assetTables;
export const shareableTypes = Object.keys(assetTables) as [ShareableType, ...ShareableType[]];

import { AppError, forbidden, notFound } from "../lib/errors.ts";
import { isKeyContext, type KeyContext, type MemberContext, type OrgContext } from "./context.ts";
import {
  type Action,
  type ApiScope,
  type AssetLevel,
  type AssetType,
  anyReviewerRoles,
  apiScopeNames,
  apiScopes,
  assetLevels,
  ownerOnlyRoles,
  type Role,
  reviewNodeActions,
  rolePermissions,
  rolesWithoutGrants,
  type Scope,
} from "./statements.ts";

/** What the policy needs to know about one workflow or credential, for the acting member. */
export interface AssetAccess {
  type: AssetType;
  id: string;
  orgId: string;
  mode: "shared" | "restricted";
  /** The level every non-reviewer member has while the asset is shared. */
  defaultLevel: AssetLevel;
  /** The acting member's own grant, if any. */
  grantLevel: AssetLevel | null;
}

/** What the policy needs to know about one review, for the acting member. */
export interface ReviewAccess {
  type: "review";
  orgId: string;
  /** Routed to this member: named as an assignee, or "any reviewer" and the member's role is one. */
  routed: boolean;
  /** Raised by a workflow the member may view. */
  viaWorkflow: boolean;
}

export const scopeOf = (role: Role, action: Action): Scope | undefined =>
  rolePermissions[role][action];

const levelRank = (type: AssetType, level: string) => Object.keys(assetLevels[type]).indexOf(level);

/** The member's effective level on an asset: their grant, or the shared default if higher. */
export function effectiveLevel(asset: AssetAccess): string | null {
  const shared = asset.mode === "shared" ? asset.defaultLevel : null;
  const candidates = [shared, asset.grantLevel].filter((l) => l !== null);
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) =>
    levelRank(asset.type, a) >= levelRank(asset.type, b) ? a : b,
  );
}

/** The scopes that carry `action`, narrowest first (the one a refusal names). */
export const scopesFor = (action: Action): ApiScope[] =>
  apiScopeNames.filter((name) => (apiScopes[name] as readonly Action[]).includes(action));

const keyMay = (ctx: KeyContext, action: Action) =>
  scopesFor(action).some((scope) => ctx.actor.scopes.includes(scope));

/**
 * Pure decision: may the member perform `action`, on `asset` when the action is asset-scoped?
 * An API key may act on any object of its own organization that its scopes cover.
 */
export function isAllowed(
  ctx: OrgContext,
  action: Action,
  asset?: AssetAccess | ReviewAccess,
): boolean {
  if (asset && asset.orgId !== ctx.orgId) return false;
  if (isKeyContext(ctx)) return keyMay(ctx, action);
  const scope = scopeOf(ctx.role, action);
  if (scope === "any") return true;
  if (asset?.type === "review") {
    // a member sees what is routed to them even where their view reaches only via workflows
    if (scope === "routed") return asset.routed;
    return scope === "granted" && (asset.viaWorkflow || asset.routed);
  }
  if (scope !== "granted" || !asset) return false;
  const level = effectiveLevel(asset);
  const verbs: readonly string[] = level
    ? ((assetLevels[asset.type] as Record<string, readonly string[]>)[level] ?? [])
    : [];
  return verbs.includes(action.split(":")[1] as string);
}

/**
 * First line of every org-scoped service function. On an asset the member cannot even see,
 * the answer is 404 (its existence is not revealed); otherwise a refusal is 403.
 */
export function authorize(
  ctx: OrgContext,
  action: Action,
  asset?: AssetAccess | ReviewAccess,
): void {
  if (isAllowed(ctx, action, asset)) return;
  if (asset && !isAllowed(ctx, `${asset.type}:view`, asset)) throw notFound(capitalize(asset.type));
  if (isKeyContext(ctx)) throw missingScope(action);
  throw forbidden(
    `Your role (${ctx.role}) may not ${action}${asset ? ` on this ${asset.type}` : ""}`,
  );
}

/**
 * For listings: the role holds `action` in some scope. The rows returned must then be
 * narrowed with `viewableAssets` (src/access/asset-filter.ts).
 */
export function authorizeListing(ctx: OrgContext, action: Action): void {
  if (isKeyContext(ctx)) {
    if (!keyMay(ctx, action)) throw missingScope(action);
    return;
  }
  if (!scopeOf(ctx.role, action)) throw forbidden(`Your role (${ctx.role}) may not ${action}`);
}

/** A key without the scope an action needs: 403 naming the scope to add (if any carries it). */
function missingScope(action: Action): AppError {
  const scope = scopesFor(action)[0];
  if (!scope) return forbidden(`No API key may ${action}; a member of the organization must`);
  return new AppError("FORBIDDEN", `This API key lacks the scope ${scope}`, {
    missing_scope: scope,
  });
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Escalation guards for changing who holds which role: nobody changes their own role,
 * and only an OWNER may assign the OWNER role or act on an OWNER.
 */
export function assertMayManageRole(
  ctx: MemberContext,
  target: { memberId?: string; currentRole?: Role; newRole?: Role },
): void {
  if (target.memberId && target.memberId === ctx.memberId) {
    throw new AppError("FORBIDDEN", "You cannot change or remove your own membership this way");
  }
  const touchesOwner =
    (target.newRole && ownerOnlyRoles.includes(target.newRole)) ||
    (target.currentRole && ownerOnlyRoles.includes(target.currentRole));
  if (touchesOwner && ctx.role !== "OWNER") {
    throw forbidden("Only an OWNER may grant the OWNER role or change an OWNER's membership");
  }
}

/**
 * A review node acts with its author's authority (`reviewNodeActions`): checked against the
 * member saving it and, on every run, against the version's author.
 */
export function authorizeReviewNode(
  ctx: MemberContext,
  node: { nodeId: string; notifies: boolean },
): void {
  for (const action of reviewNodeActions[node.notifies ? "notifies" : "raises"]) {
    if (!isAllowed(ctx, action)) {
      throw forbidden(
        `node "${node.nodeId}": a review node${node.notifies ? " that notifies" : ""} needs ${action}, which the role ${ctx.role} of its author does not hold`,
      );
    }
  }
}

/** Whether a review is routed to the acting member. */
export const isRoutedTo = (
  ctx: MemberContext,
  review: { anyReviewer: boolean; assignedToMe: boolean },
) => review.assignedToMe || (review.anyReviewer && anyReviewerRoles.includes(ctx.role));

/** True for roles the organization must always keep at least one holder of. */
export const isOwnerRole = (role: Role): boolean => ownerOnlyRoles.includes(role);

/** Whether a member with this role may hold an asset grant (REVIEWERs never do). */
export const mayHoldGrants = (role: Role): boolean => !rolesWithoutGrants.includes(role);

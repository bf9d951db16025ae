/**
 * Who may do what, as data. Every authorization decision in Fluxo reads these tables through
 * `authorize` (src/access/authorize.ts); nothing else compares role names.
 */
export const roles = ["OWNER", "ADMIN", "PARTICIPANT", "REVIEWER"] as const;
export type Role = (typeof roles)[number];

export const statements = {
  org: ["view", "update", "delete", "transfer"],
  member: ["view", "invite", "update_role", "remove"],
  workflow: ["create", "view", "edit", "run", "delete", "share"],
  credential: ["create", "view", "use", "edit", "delete", "share"],
  review: ["view", "decide", "create", "link"],
  apiKey: ["manage"],
  webhook: ["view", "manage", "reveal_secret"],
  audit: ["view"],
  retention: ["view", "manage"],
} as const;

type Statements = typeof statements;
export type Resource = keyof Statements;
export type Action = { [R in Resource]: `${R}:${Statements[R][number]}` }[Resource];

export const allActions: readonly Action[] = Object.entries(statements).flatMap(
  ([resource, actions]) => actions.map((action) => `${resource}:${action}` as Action),
);

/**
 * How far a role's permission reaches:
 * - `any`: every object of the organization;
 * - `granted`: only assets whose sharing settings give the member a sufficient level;
 * - `routed`: only reviews routed to the member (or to any reviewer).
 */
export type Scope = "any" | "granted" | "routed";

const everything = (except: Action[] = []) =>
  Object.fromEntries(
    allActions.filter((a) => !except.includes(a)).map((a) => [a, "any"]),
  ) as Record<Action, Scope>;

export const rolePermissions: Record<Role, Partial<Record<Action, Scope>>> = {
  OWNER: everything(),
  ADMIN: everything(["org:delete", "org:transfer"]),
  PARTICIPANT: {
    "org:view": "any",
    "member:view": "any",
    "workflow:create": "any",
    "workflow:view": "granted",
    "workflow:edit": "granted",
    "workflow:run": "granted",
    "workflow:delete": "granted",
    "workflow:share": "granted",
    "credential:create": "any",
    "credential:view": "granted",
    "credential:use": "granted",
    "credential:edit": "granted",
    "credential:delete": "granted",
    "credential:share": "granted",
    "review:view": "granted",
    "review:decide": "routed",
  },
  REVIEWER: {
    "org:view": "any",
    "review:view": "routed",
    "review:decide": "routed",
  },
};

/**
 * A workflow's review node raises a review — and, when it notifies, issues approve/reject
 * links and perhaps a public link — on its author's behalf. The member saving it must hold
 * these actions, and so must the version's author each time it runs: a workflow never does
 * more than its author may do by hand.
 */
export const reviewNodeActions = {
  raises: ["review:create"],
  notifies: ["review:create", "review:link"],
} as const satisfies Record<string, readonly Action[]>;

/** Assets with per-member sharing, and what each access level lets a member do. */
export const assetLevels = {
  workflow: { view: ["view"], edit: ["view", "edit", "run", "delete", "share"] },
  credential: { use: ["view", "use"], edit: ["view", "use", "edit", "delete", "share"] },
} as const satisfies Partial<Record<Resource, Record<string, readonly string[]>>>;

export type AssetType = keyof typeof assetLevels;
export type AssetLevel = { [T in AssetType]: keyof (typeof assetLevels)[T] & string }[AssetType];

/** Roles a review "for any reviewer" is routed to (besides the members it names). */
export const anyReviewerRoles: readonly Role[] = ["REVIEWER"];

/** Roles that may never hold a grant on an asset (and lose theirs on becoming one). */
export const rolesWithoutGrants: readonly Role[] = ["REVIEWER"];

/** Roles only an OWNER may assign, and whose holders only an OWNER may change or remove. */
export const ownerOnlyRoles: readonly Role[] = ["OWNER"];

/**
 * API key scopes and the actions each one carries. A key acts on every object of its
 * organization within its scopes (keys belong to the organization, not to a member).
 */
export const apiScopes = {
  "reviews:read": ["review:view"],
  "reviews:write": ["review:view", "review:create", "review:link"],
  "reviews:approve": ["review:view", "review:decide"],
  "webhooks:read": ["webhook:view"],
  "webhooks:write": ["webhook:view", "webhook:manage"],
} as const satisfies Record<string, readonly Action[]>;

export type ApiScope = keyof typeof apiScopes;
export const apiScopeNames = Object.keys(apiScopes) as ApiScope[];

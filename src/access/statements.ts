/**
 * What each role may do, as data. Every authorization decision in Fluxo reads this table
 * (through `authorize`); nothing else compares role names.
 */
export const roles = ["OWNER", "ADMIN", "PARTICIPANT", "REVIEWER"] as const;
export type Role = (typeof roles)[number];

export const statements = {
  org: ["view", "update", "delete", "transfer"],
  member: ["view", "invite", "update_role", "remove"],
  audit: ["view"],
} as const;

type Statements = typeof statements;
export type Resource = keyof Statements;
export type Action = { [R in Resource]: `${R}:${Statements[R][number]}` }[Resource];

const everything = Object.entries(statements).flatMap(([resource, actions]) =>
  actions.map((action) => `${resource}:${action}` as Action),
);

export const rolePermissions: Record<Role, readonly Action[]> = {
  OWNER: everything,
  ADMIN: everything.filter((a) => a !== "org:delete" && a !== "org:transfer"),
  PARTICIPANT: ["org:view", "member:view"],
  REVIEWER: ["org:view"],
};

export const isRole = (value: unknown): value is Role =>
  typeof value === "string" && (roles as readonly string[]).includes(value);

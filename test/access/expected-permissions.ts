/**
 * The permission matrix as the team agreed it, written by hand. The tests compare the policy
 * (src/access/statements.ts) against this table; a change to one without the other fails.
 *
 * Cells: ✓ allowed, · refused, g allowed only for reviews of workflows the member can view,
 * r allowed only for reviews routed to the member. Asset actions have three characters, one
 * per grant state of the member on the asset: none, low (view / use), edit.
 */
export const expectedTable = `
action               OWNER   ADMIN   PARTICIPANT   REVIEWER
org:view             ✓       ✓       ✓             ✓
org:update           ✓       ✓       ·             ·
org:delete           ✓       ·       ·             ·
org:transfer         ✓       ·       ·             ·
member:view          ✓       ✓       ✓             ·
member:invite        ✓       ✓       ·             ·
member:update_role   ✓       ✓       ·             ·
member:remove        ✓       ✓       ·             ·
workflow:create      ✓       ✓       ✓             ·
workflow:view        ✓✓✓     ✓✓✓     ·✓✓           ···
workflow:edit        ✓✓✓     ✓✓✓     ··✓           ···
workflow:run         ✓✓✓     ✓✓✓     ··✓           ···
workflow:delete      ✓✓✓     ✓✓✓     ··✓           ···
workflow:share       ✓✓✓     ✓✓✓     ··✓           ···
credential:create    ✓       ✓       ✓             ·
credential:view      ✓✓✓     ✓✓✓     ·✓✓           ···
credential:use       ✓✓✓     ✓✓✓     ·✓✓           ···
credential:edit      ✓✓✓     ✓✓✓     ··✓           ···
credential:delete    ✓✓✓     ✓✓✓     ··✓           ···
credential:share     ✓✓✓     ✓✓✓     ··✓           ···
review:view          ✓       ✓       g             r
review:decide        ✓       ✓       r             r
review:create        ✓       ✓       ·             ·
review:link          ✓       ✓       ·             ·
apiKey:manage        ✓       ✓       ·             ·
webhook:view         ✓       ✓       ·             ·
webhook:manage       ✓       ✓       ·             ·
webhook:reveal_secret ✓      ✓       ·             ·
audit:view           ✓       ✓       ·             ·
retention:view       ✓       ✓       ·             ·
retention:manage     ✓       ✓       ·             ·
`;

export const tableRoles = ["OWNER", "ADMIN", "PARTICIPANT", "REVIEWER"] as const;
export type GrantState = "none" | "low" | "edit";
export const grantStates: GrantState[] = ["none", "low", "edit"];

/** action → role → cell */
export function parseExpected(): Map<string, Record<(typeof tableRoles)[number], string>> {
  const rows = expectedTable.trim().split("\n").slice(1);
  return new Map(
    rows.map((line) => {
      const [action = "", ...cells] = line.trim().split(/\s+/);
      const byRole = Object.fromEntries(tableRoles.map((role, i) => [role, cells[i] ?? ""]));
      return [action, byRole as Record<(typeof tableRoles)[number], string>];
    }),
  );
}

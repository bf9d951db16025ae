import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  allActions,
  anyReviewerRoles,
  apiScopes,
  assetLevels,
  reviewNodeActions,
  rolePermissions,
  roles,
  rolesWithoutGrants,
} from "../src/access/statements.ts";

const cell = { any: "✓", granted: "granted", routed: "routed" } as const;
const codeList = (actions: readonly string[]) => actions.map((a) => `\`${a}\``).join(", ");

/** docs/ACCESS.md, rendered from the statements so the document cannot drift from the code. */
export function renderAccessDoc(): string {
  const header = `| Action | ${roles.join(" | ")} |\n| --- |${roles.map(() => " :-: |").join("")}`;
  const rows = allActions.map((action) => {
    const cells = roles.map((role) => {
      const scope = rolePermissions[role][action];
      return scope ? cell[scope] : "–";
    });
    return `| \`${action}\` | ${cells.join(" | ")} |`;
  });
  const levels = Object.entries(assetLevels).flatMap(([type, byLevel]) =>
    Object.entries(byLevel as Record<string, readonly string[]>).map(
      ([level, verbs]) => `| ${type} | \`${level}\` | ${verbs.map((v) => `\`${v}\``).join(", ")} |`,
    ),
  );
  const scopes = Object.entries(apiScopes).map(
    ([scope, actions]) => `| \`${scope}\` | ${actions.map((a) => `\`${a}\``).join(", ")} |`,
  );
  return `# Access control

Generated from \`src/access/statements.ts\` by \`npm run docs:access\`; a test fails when
this file and the code disagree.

## Roles × actions

✓ every object of the organization · granted: only workflows/credentials whose sharing
settings give the member a sufficient level (for reviews: reviews raised by workflows the
member can view) · routed: only reviews routed to the member or to any reviewer · – never.

${header}
${rows.join("\n")}

## Asset levels

A workflow or credential is either **shared** with every member who may hold grants (at its
default level) or **restricted** to the members granted a level. The creator is granted
\`edit\`. ${rolesWithoutGrants.join(", ")} never hold grants; becoming one removes them.

| Asset | Level | Allows |
| --- | --- | --- |
${levels.join("\n")}

## API key scopes

An API key belongs to the organization, not to a member: within its scopes it acts on every
object of its own organization (and on nothing of another). Only roles holding
\`apiKey:manage\` create, roll and revoke keys. A call outside the key's scopes answers 403
naming the scope it lacks.

| Scope | Allows |
| --- | --- |
${scopes.join("\n")}

## Guards beyond the table

- Nobody changes or removes their own membership through member management.
- Only an OWNER grants the OWNER role, invites an OWNER, or changes or removes an OWNER.
- The organization always keeps an OWNER: the last one can be neither demoted, removed nor
  leave; ownership moves with the explicit \`orgs.transferOwnership\`.
- A review is routed to the members it names, and — when it is "for any reviewer" — to every
  ${anyReviewerRoles.join(", ")}. A member always sees the reviews routed to them.
- A workflow's review node acts with its author's authority: saving one needs
  ${codeList(reviewNodeActions.raises)}, and ${codeList(reviewNodeActions.notifies)} when it notifies (approve/reject
  links, a public link); each run checks the same against the version's author and fails the
  node, raising nothing, when the author no longer holds them.
- An object of another organization answers 404, whatever the role.
- Refusal on an asset the member cannot even view answers 404, otherwise 403.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL("../docs/ACCESS.md", import.meta.url), renderAccessDoc());
}

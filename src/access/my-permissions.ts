import { scopeOf } from "./authorize.ts";
import type { MemberContext } from "./context.ts";
import { allActions, type Scope } from "./statements.ts";

/**
 * Everything the member's role allows and how far it reaches (`any`, `granted`, `routed`),
 * so the UI can hide what the member cannot do. The server still authorizes every call.
 */
export function myPermissions(ctx: MemberContext) {
  const permissions: Record<string, Scope> = {};
  for (const action of allActions) {
    const scope = scopeOf(ctx.role, action);
    if (scope) permissions[action] = scope;
  }
  return { role: ctx.role, permissions };
}

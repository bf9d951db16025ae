import { describe, expect, it } from "vitest";
import type { AssetAccess } from "../../src/access/authorize.ts";
import { isAllowed, scopeOf } from "../../src/access/authorize.ts";
import type { MemberContext } from "../../src/access/context.ts";
import {
  type Action,
  type AssetType,
  allActions,
  assetLevels,
} from "../../src/access/statements.ts";
import { type GrantState, grantStates, parseExpected, tableRoles } from "./expected-permissions.ts";

const expected = parseExpected();
const ctxFor = (role: (typeof tableRoles)[number]) =>
  ({
    orgId: "org-a",
    memberId: "m1",
    userId: "u1",
    role,
    actor: { kind: "user", userId: "u1", memberId: "m1" },
  }) as unknown as MemberContext;

const lowLevel: Record<AssetType, "view" | "use"> = { workflow: "view", credential: "use" };

function asset(type: AssetType, state: GrantState, orgId = "org-a"): AssetAccess {
  return {
    type,
    id: "asset-1",
    orgId,
    mode: "restricted",
    defaultLevel: lowLevel[type],
    grantLevel: state === "none" ? null : state === "low" ? lowLevel[type] : "edit",
  };
}

const isAssetAction = (action: string) =>
  (action.split(":")[0] ?? "") in assetLevels && !action.endsWith(":create");

describe("permission matrix", () => {
  it("lists exactly the actions the statements define", () => {
    expect([...expected.keys()].sort()).toEqual([...allActions].sort());
  });

  for (const [action, byRole] of expected) {
    for (const role of tableRoles) {
      const cell = byRole[role];
      if (isAssetAction(action)) {
        const type = action.split(":")[0] as AssetType;
        grantStates.forEach((state, i) => {
          it(`${role} ${action} with grant ${state}: ${cell[i]}`, () => {
            expect(isAllowed(ctxFor(role), action as Action, asset(type, state))).toBe(
              cell[i] === "✓",
            );
            // the same object in another organization: never, whatever the role or grant
            expect(isAllowed(ctxFor(role), action as Action, asset(type, state, "org-b"))).toBe(
              false,
            );
          });
        });
        it(`${role} ${action} on a shared asset behaves like the default level`, () => {
          const shared = { ...asset(type, "none"), mode: "shared" as const };
          expect(isAllowed(ctxFor(role), action as Action, shared)).toBe(cell[1] === "✓");
        });
      } else {
        it(`${role} ${action}: ${cell}`, () => {
          const scope = scopeOf(role, action as Action);
          const expectedScope = { "✓": "any", g: "granted", r: "routed", "·": undefined }[cell];
          expect(scope).toBe(expectedScope);
        });
      }
    }
  }
});

import { describe, expect, it } from "vitest";
import {
  authorize,
  authorizeListing,
  isAllowed,
  type ReviewAccess,
} from "../../src/access/authorize.ts";
import type { KeyContext } from "../../src/access/context.ts";
import { type Action, type ApiScope, allActions } from "../../src/access/statements.ts";

/** What each scope must allow, written out by hand: the statements must agree with it. */
const expected: Record<ApiScope, Action[]> = {
  "reviews:read": ["review:view"],
  "reviews:write": ["review:view", "review:create", "review:link"],
  "reviews:approve": ["review:view", "review:decide"],
  "webhooks:read": ["webhook:view"],
  "webhooks:write": ["webhook:view", "webhook:manage"],
};

const keyWith = (scopes: ApiScope[]) =>
  ({
    orgId: "org-a",
    actor: { kind: "apiKey", keyId: "k1", label: "ci (flx_12345678)", scopes },
  }) as unknown as KeyContext;

const review = (orgId: string): ReviewAccess => ({
  type: "review",
  orgId,
  routed: false,
  viaWorkflow: false,
});

describe("API key scopes in the access policy", () => {
  for (const [scope, actions] of Object.entries(expected) as [ApiScope, Action[]][]) {
    it(`${scope} allows exactly ${actions.join(", ")}`, () => {
      const key = keyWith([scope]);
      const allowed = allActions.filter((action) => isAllowed(key, action));
      expect(allowed.sort()).toEqual([...actions].sort());
    });
  }

  it("no scope reaches member, credential, workflow, org or API key management", () => {
    const key = keyWith(Object.keys(expected) as ApiScope[]);
    for (const action of allActions) {
      if (action.startsWith("review:") || action.startsWith("webhook:")) continue;
      expect(isAllowed(key, action), action).toBe(false);
    }
  });

  it("a key never acts on another organization's review, whatever its scopes", () => {
    const key = keyWith(["reviews:read", "reviews:approve"]);
    expect(isAllowed(key, "review:decide", review("org-a"))).toBe(true);
    expect(isAllowed(key, "review:decide", review("org-b"))).toBe(false);
    expect(() => authorize(key, "review:decide", review("org-b"))).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
  });

  it("a refusal is 403 naming the narrowest scope that would allow the action", () => {
    const key = keyWith(["reviews:read"]);
    expect(() => authorize(key, "review:decide", review("org-a"))).toThrow(
      expect.objectContaining({
        code: "FORBIDDEN",
        message: "This API key lacks the scope reviews:approve",
        details: { missing_scope: "reviews:approve" },
      }),
    );
    expect(() => authorizeListing(keyWith(["reviews:approve"]), "webhook:view")).toThrow(
      expect.objectContaining({ details: { missing_scope: "webhooks:read" } }),
    );
    expect(() => authorize(keyWith(["webhooks:write"]), "webhook:reveal_secret")).toThrow(
      expect.objectContaining({
        code: "FORBIDDEN",
        message: expect.stringMatching(/^No API key may/),
      }),
    );
    expect(() => authorizeListing(keyWith([]), "review:view")).toThrow(
      expect.objectContaining({ details: { missing_scope: "reviews:read" } }),
    );
  });
});

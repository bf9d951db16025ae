import { useQuery } from "@tanstack/react-query";
import type { Action } from "../../../src/access/statements.ts";
import { permissionsQuery } from "./queries.ts";

/**
 * What the member's role allows in the active organization, to hide what they cannot do.
 * The server still authorizes every call; this only keeps the UI honest.
 */
export function usePermissions() {
  const { data } = useQuery(permissionsQuery);
  return {
    role: data?.role,
    can: (action: Action) => Boolean(data?.permissions[action]),
  };
}

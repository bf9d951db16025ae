import { Badge } from "../../components/ui/badge.tsx";
import type { Endpoint } from "./webhooks-api.ts";

/** Enabled, or disabled with why (by a member, or by the system after failing too long). */
export function EndpointStatus({
  endpoint,
}: {
  endpoint: Pick<Endpoint, "enabled" | "disabledReason" | "failingSince">;
}) {
  if (endpoint.enabled) {
    return (
      <Badge tone={endpoint.failingSince ? "warning" : "success"}>
        {endpoint.failingSince ? "enabled, failing" : "enabled"}
      </Badge>
    );
  }
  return (
    <span className="space-y-1">
      <Badge tone="neutral">disabled</Badge>
      <span className="block text-xs text-slate-500">
        {endpoint.disabledReason ?? "by a member"}
      </span>
    </span>
  );
}

import { Badge } from "../ui/badge.tsx";

/** A shared asset's mode: shared with every member at a level, or restricted to its grants. */
export function SharingBadge({ mode, defaultLevel }: { mode: string; defaultLevel: string }) {
  return mode === "shared" ? (
    <Badge tone="info">Shared · {defaultLevel}</Badge>
  ) : (
    <Badge>Restricted</Badge>
  );
}

import { EmptyState } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import type { Review } from "./review-detail.tsx";
import { formatTime } from "./review-status.tsx";

const kinds: Record<string, string> = {
  created: "Requested",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired",
  viewed: "Viewed",
  link_created: "Link created",
  link_revoked: "Link revoked",
};

/** Everything that happened to the review, oldest first: who, through which channel, from where. */
export function ReviewActivity({ activity }: { activity: Review["activity"] }) {
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Activity</h2>
      {activity.length === 0 ? (
        <EmptyState title="No activity yet" />
      ) : (
        <Table caption="Activity" head={["Time", "What", "Actor", "Channel", "IP", "User agent"]}>
          {activity.map((entry) => (
            <tr key={entry.id}>
              <Cell>{formatTime(entry.at)}</Cell>
              <Cell>
                {kinds[entry.kind] ?? entry.kind}
                {commentOf(entry.detail) && (
                  <q className="ml-1 text-slate-600">{commentOf(entry.detail)}</q>
                )}
              </Cell>
              <Cell>{entry.actorLabel ?? entry.memberEmail ?? "—"}</Cell>
              <Cell>{entry.channel}</Cell>
              <Cell>{entry.ip ?? "—"}</Cell>
              <Cell>
                <span className="line-clamp-2 max-w-xs break-all text-xs">
                  {entry.userAgent ?? "—"}
                </span>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

const commentOf = (detail: unknown) => {
  const comment = (detail as { comment?: unknown } | null)?.comment;
  return typeof comment === "string" && comment ? comment : null;
};

import { Link } from "@tanstack/react-router";
import { formatTime } from "../reviews/review-status.tsx";

/** An execution in a list: when it started (or was queued), linking to its viewer. */
export function ExecutionLink({
  execution,
}: {
  execution: { id: string; startedAt: string | Date | null; createdAt: string | Date };
}) {
  return (
    <Link
      to="/executions/$executionId"
      params={{ executionId: execution.id }}
      className="font-medium text-indigo-700 underline"
    >
      {formatTime(execution.startedAt ?? execution.createdAt)}
    </Link>
  );
}

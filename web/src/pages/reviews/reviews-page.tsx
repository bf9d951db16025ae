import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { SelectField } from "../../components/ui/field.tsx";
import { Pager, useCursorPages } from "../../components/ui/pager.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { RequestReviewDialog } from "./request-review.tsx";
import { formatTime, ReviewStatus, reviewStatuses } from "./review-status.tsx";

type Status = (typeof reviewStatuses)[number];
const PAGE_SIZE = 25;

const statusOptions = [
  { value: "", label: "Any status" },
  ...reviewStatuses.map((status) => ({ value: status, label: status })),
];

/** The review inbox: what the member may view, newest first, filtered and paged by cursor. */
export function ReviewsPage() {
  const [status, setStatus] = useState<Status | "">("pending");
  const [assignedToMe, setAssignedToMe] = useState(false);
  const pages = useCursorPages();
  const filter = {
    status: status || undefined,
    assignedToMe,
    limit: PAGE_SIZE,
    cursor: pages.cursor,
  };
  const reviews = useQuery({
    queryKey: ["reviews.list", filter],
    queryFn: () => api.reviews.list.query(filter),
    placeholderData: keepPreviousData,
  });
  const restart = pages.restart;
  const { can } = usePermissions();
  const [requesting, setRequesting] = useState(false);

  return (
    <div className="max-w-5xl space-y-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">Reviews</h1>
        {can("review:create") && (
          <Button onClick={() => setRequesting(true)}>Request a review</Button>
        )}
      </div>
      <RequestReviewDialog open={requesting} onOpenChange={setRequesting} />
      <form
        aria-label="Filter reviews"
        className="flex flex-wrap items-end gap-4"
        onSubmit={(event) => event.preventDefault()}
      >
        <SelectField
          label="Status"
          value={status}
          options={statusOptions}
          onChange={(e) => {
            setStatus(e.target.value as Status | "");
            restart();
          }}
        />
        <div className="pb-2">
          <CheckboxField
            label="Assigned to me"
            checked={assignedToMe}
            onChange={(e) => {
              setAssignedToMe(e.target.checked);
              restart();
            }}
          />
        </div>
      </form>
      {reviews.isPending && <Spinner />}
      {reviews.isError && <ErrorState error={reviews.error} onRetry={() => reviews.refetch()} />}
      {reviews.data?.items.length === 0 && (
        <EmptyState title="No reviews here">
          Reviews raised by workflows, through the API or here appear when they are routed to you.
        </EmptyState>
      )}
      {!!reviews.data?.items.length && (
        <Table caption="Reviews" head={["Title", "Status", "Expires", "Requested"]}>
          {reviews.data.items.map((review) => (
            <tr key={review.id}>
              <Cell>
                <Link
                  to="/reviews/$reviewId"
                  params={{ reviewId: review.id }}
                  className="font-medium text-indigo-700 underline"
                >
                  {review.title}
                </Link>
              </Cell>
              <Cell>
                <ReviewStatus status={review.status} />
              </Cell>
              <Cell>{formatTime(review.expiresAt)}</Cell>
              <Cell>{formatTime(review.createdAt)}</Cell>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        pages={pages}
        nextCursor={reviews.data?.nextCursor}
        loading={reviews.isPlaceholderData}
      />
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import type { AppRouter } from "../../../../src/trpc/router.ts";
import { Button } from "../../components/ui/button.tsx";
import { TextAreaField } from "../../components/ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";
import { ReviewActivity } from "./review-activity.tsx";
import { ReviewLinks } from "./review-links.tsx";
import { formatTime, ReviewStatus } from "./review-status.tsx";

export type Review = inferRouterOutputs<AppRouter>["reviews"]["get"];

export const reviewQuery = (reviewId: string) => ({
  queryKey: ["reviews.get", reviewId],
  queryFn: () => api.reviews.get.query({ reviewId }),
});

/** One review: what is asked, to whom, the decision form when the member may decide, links, activity. */
export function ReviewDetailPage() {
  const { reviewId = "" } = useParams({ strict: false });
  const review = useQuery(reviewQuery(reviewId));
  return (
    <div className="max-w-5xl space-y-8">
      <Link to="/reviews" className="text-sm text-indigo-700 underline">
        ← All reviews
      </Link>
      {review.isPending && <Spinner />}
      {review.isError && <ErrorState error={review.error} onRetry={() => review.refetch()} />}
      {review.data && <ReviewBody review={review.data} />}
    </div>
  );
}

function ReviewBody({ review }: { review: Review }) {
  return (
    <>
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">{review.title}</h1>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-slate-500">Status</dt>
          <dd>
            <ReviewStatus status={review.status} />
          </dd>
          <dt className="text-slate-500">Requested</dt>
          <dd>{formatTime(review.createdAt)}</dd>
          <dt className="text-slate-500">Expires</dt>
          <dd>{formatTime(review.expiresAt)}</dd>
          <dt className="text-slate-500">Assignees</dt>
          <dd>
            <Assignees review={review} />
          </dd>
          {review.decision && (
            <>
              <dt className="text-slate-500">Decided</dt>
              <dd>
                {review.status} by {review.decision.by ?? "unknown"} via {review.decision.channel}{" "}
                at {formatTime(review.decision.at)}
                {review.decision.comment && (
                  <q className="ml-1 text-slate-700">{review.decision.comment}</q>
                )}
              </dd>
            </>
          )}
        </dl>
      </header>
      {review.body && (
        <section className="space-y-2">
          <h2 className="text-lg font-medium">Details</h2>
          <p className="whitespace-pre-wrap break-words text-sm text-slate-800">{review.body}</p>
        </section>
      )}
      <section className="space-y-2" aria-labelledby="review-payload">
        <h2 id="review-payload" className="text-lg font-medium">
          Payload
        </h2>
        {/* rendered as text: whatever the payload holds, React escapes it */}
        <pre className="max-h-96 overflow-auto rounded-md bg-slate-900 p-4 text-xs text-slate-100">
          {JSON.stringify(review.payload, null, 2)}
        </pre>
      </section>
      <DecisionForm review={review} />
      {review.allowed.link && <ReviewLinks review={review} />}
      <ReviewActivity activity={review.activity} />
    </>
  );
}

function Assignees({ review }: { review: Review }) {
  const names = review.assignees.map((a) => (a.name ? `${a.name} <${a.email}>` : a.email));
  if (review.anyReviewer) names.push("any reviewer");
  return names.length ? names.join(", ") : "nobody named";
}

function DecisionForm({ review }: { review: Review }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const decide = useMutation({
    mutationFn: (decision: "approved" | "rejected") =>
      api.reviews.decide.mutate({
        reviewId: review.id,
        decision,
        comment: comment.trim() || undefined,
      }),
    meta: { inlineError: true },
    onSuccess: (result) => {
      toast.success(`Review ${result.status}`);
      setComment("");
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["reviews.get", review.id] }),
  });
  if (review.status !== "pending") return null;
  if (!review.allowed.decide) {
    return (
      <p className="rounded-md bg-slate-100 p-3 text-sm text-slate-700">
        This review is not routed to you: you may view it but not decide it.
      </p>
    );
  }
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Decide</h2>
      <form className="max-w-xl space-y-3" onSubmit={(event) => event.preventDefault()}>
        <TextAreaField
          label="Comment"
          maxLength={2000}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
        <div className="flex gap-2">
          <Button
            pending={decide.isPending && decide.variables === "approved"}
            disabled={decide.isPending}
            onClick={() => decide.mutate("approved")}
          >
            Approve
          </Button>
          <Button
            variant="danger"
            pending={decide.isPending && decide.variables === "rejected"}
            disabled={decide.isPending}
            onClick={() => decide.mutate("rejected")}
          >
            Reject
          </Button>
        </div>
        <FormError error={decide.error} />
      </form>
    </section>
  );
}

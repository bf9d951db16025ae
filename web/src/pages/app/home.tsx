import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { ExecutionLink } from "../executions/execution-link.tsx";
import { ExecutionStatus } from "../executions/execution-status.tsx";
import { formatTime } from "../reviews/review-status.tsx";
import { workflowsQuery } from "../workflows/list/workflows-api.ts";

const SHOWN = 5;
const link = "font-medium text-indigo-700 underline";

/**
 * Where a member lands: the reviews waiting on a decision and the latest executions, each as
 * far as the role may see them, and first steps while the organization has no workflow.
 */
export function HomePage() {
  const { can } = usePermissions();
  const org = useQuery({ queryKey: ["orgs.current"], queryFn: () => api.orgs.current.query() });
  if (org.isPending) return <Spinner />;
  if (org.isError) return <ErrorState error={org.error} onRetry={() => org.refetch()} />;
  return (
    <div className="max-w-5xl space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">{org.data.name}</h1>
        <p className="text-sm text-slate-600">
          You are {org.data.role.toLowerCase()} of this organization.
        </p>
      </div>
      {can("workflow:create") && <FirstSteps inviting={can("member:invite")} />}
      {can("review:view") && <PendingReviews />}
      {can("workflow:view") && <RecentExecutions />}
    </div>
  );
}

function Section({
  title,
  more,
  children,
}: {
  title: string;
  more: ReactNode;
  children: ReactNode;
}) {
  const id = `home-${title.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div className="flex items-baseline justify-between gap-4">
        <h2 id={id} className="text-lg font-medium">
          {title}
        </h2>
        {more}
      </div>
      {children}
    </section>
  );
}

/** Shown until the organization has a workflow the member can see. */
function FirstSteps({ inviting }: { inviting: boolean }) {
  const workflows = useQuery(workflowsQuery);
  if (!workflows.data || workflows.data.length > 0) return null;
  return (
    <Section title="First steps" more={null}>
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>
          <Link to="/workflows" className={link}>
            Create a workflow
          </Link>{" "}
          and build it in the editor: a trigger, then the steps it runs.
        </li>
        {inviting && (
          <li>
            <Link to="/members" className={link}>
              Invite your team
            </Link>
            , reviewers included: they decide the reviews your workflows raise.
          </li>
        )}
      </ol>
    </Section>
  );
}

/** Pending reviews the member may view: routed to them, or all for OWNER and ADMIN. */
function PendingReviews() {
  const input = { status: "pending" as const, limit: SHOWN };
  const reviews = useQuery({
    queryKey: ["reviews.list", input],
    queryFn: () => api.reviews.list.query(input),
  });
  return (
    <Section
      title="Pending reviews"
      more={
        <Link to="/reviews" className="text-sm text-indigo-700 underline">
          All reviews
        </Link>
      }
    >
      {reviews.isPending && <Spinner />}
      {reviews.isError && <ErrorState error={reviews.error} onRetry={() => reviews.refetch()} />}
      {reviews.data?.items.length === 0 && <EmptyState title="No review is waiting" />}
      {!!reviews.data?.items.length && (
        <Table caption="Pending reviews" head={["Title", "Requested", "Expires"]}>
          {reviews.data.items.map((review) => (
            <tr key={review.id}>
              <Cell>
                <Link to="/reviews/$reviewId" params={{ reviewId: review.id }} className={link}>
                  {review.title}
                </Link>
              </Cell>
              <Cell>{formatTime(review.createdAt)}</Cell>
              <Cell>{formatTime(review.expiresAt)}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

/** The latest executions of the workflows the member may view. */
function RecentExecutions() {
  const input = { limit: SHOWN };
  const executions = useQuery({
    queryKey: ["executions.list", input],
    queryFn: () => api.executions.list.query(input),
  });
  return (
    <Section
      title="Recent executions"
      more={
        <Link to="/executions" className="text-sm text-indigo-700 underline">
          All executions
        </Link>
      }
    >
      {executions.isPending && <Spinner />}
      {executions.isError && (
        <ErrorState error={executions.error} onRetry={() => executions.refetch()} />
      )}
      {executions.data?.items.length === 0 && <EmptyState title="No execution yet" />}
      {!!executions.data?.items.length && (
        <Table caption="Recent executions" head={["Started", "Workflow", "Status", "Trigger"]}>
          {executions.data.items.map((execution) => (
            <tr key={execution.id}>
              <Cell>
                <ExecutionLink execution={execution} />
              </Cell>
              <Cell>{execution.workflowName}</Cell>
              <Cell>
                <ExecutionStatus status={execution.status} />
              </Cell>
              <Cell>{execution.trigger}</Cell>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}

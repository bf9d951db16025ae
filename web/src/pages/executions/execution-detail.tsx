import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "@tanstack/react-router";
import type { inferRouterOutputs } from "@trpc/server";
import { useMemo, useState } from "react";
import type { AppRouter } from "../../../../src/trpc/router.ts";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { ErrorState, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { formatTime } from "../reviews/review-status.tsx";
import { asDefinition, definitionQuery, nodeTypesQuery } from "../workflows/editor/editor-api.ts";
import { WorkflowGraph } from "../workflows/editor/workflow-graph.tsx";
import { workflowRightsQuery } from "../workflows/list/workflows-api.ts";
import { ExecutionStatus, elapsed, formatDuration, isActive } from "./execution-status.tsx";
import { JsonView } from "./json-view.tsx";
import { SignalDialog } from "./signal-dialog.tsx";
import { StepTimeline } from "./step-timeline.tsx";

export type Execution = inferRouterOutputs<AppRouter>["executions"]["get"];

/** Polled every second while the execution may still change; left alone once it ended. */
const executionQuery = (executionId: string) => ({
  queryKey: ["executions.get", executionId],
  queryFn: () => api.executions.get.query({ executionId }),
  refetchInterval: (query: { state: { data?: Execution } }) =>
    query.state.data && isActive(query.state.data.status) ? 1000 : false,
});

/** One execution: status and timings, its steps in the order they ran, cancel and signal. */
export function ExecutionDetailPage() {
  const { executionId = "" } = useParams({ strict: false });
  const execution = useQuery(executionQuery(executionId));
  return (
    <div className="max-w-6xl space-y-8">
      <Link to="/executions" className="text-sm text-indigo-700 underline">
        ← All executions
      </Link>
      {execution.isPending && <Spinner />}
      {execution.isError && (
        <ErrorState error={execution.error} onRetry={() => execution.refetch()} />
      )}
      {execution.data && <ExecutionBody execution={execution.data} />}
    </div>
  );
}

function ExecutionBody({ execution }: { execution: Execution }) {
  const definition = useQuery({
    ...definitionQuery(execution.workflowId, execution.version),
    staleTime: Number.POSITIVE_INFINITY, // a saved version never changes
  });
  const nodeTypes = useQuery(nodeTypesQuery);
  // the failed step is open, with its error, until another is chosen
  const [chosen, setSelected] = useState<string | null | undefined>(undefined);
  const failed = execution.steps.find((s) => s.status === "failed")?.nodeId ?? null;
  const selected = chosen === undefined ? failed : chosen;
  const stored = definition.data && asDefinition(definition.data.definition);
  // nodes without a step have not run: yet, while the execution goes on; else never will
  const noStep = isActive(execution.status) ? "pending" : "not run";
  const nodeStatus = useMemo(
    () =>
      Object.fromEntries(
        (stored?.nodes ?? []).map((node) => [
          node.id,
          execution.steps.find((s) => s.nodeId === node.id)?.status ?? noStep,
        ]),
      ),
    [stored, execution.steps, noStep],
  );
  return (
    <>
      <ExecutionHeader execution={execution} />
      {execution.error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {execution.error}
        </p>
      )}
      {(definition.error ?? nodeTypes.error) && (
        <ErrorState error={definition.error ?? nodeTypes.error} />
      )}
      {stored && nodeTypes.data && (
        <section aria-label="Graph" className="space-y-2">
          <WorkflowGraph
            definition={stored}
            nodeTypes={nodeTypes.data}
            nodeStatus={nodeStatus}
            selectedNodeId={selected}
            onSelectNode={setSelected}
            className="h-80"
          />
          <p className="text-xs text-slate-500">Choose a node to open its step below.</p>
        </section>
      )}
      <section className="space-y-3" aria-labelledby="execution-steps">
        <h2 id="execution-steps" className="text-lg font-medium">
          Steps
        </h2>
        <StepTimeline
          execution={execution}
          nodes={stored?.nodes}
          selectedNodeId={selected}
          onSelect={setSelected}
        />
      </section>
      <section className="space-y-2">
        <JsonView label="Trigger payload" value={execution.payload} />
      </section>
    </>
  );
}

function ExecutionHeader({ execution }: { execution: Execution }) {
  const { can } = usePermissions();
  const rights = useQuery({
    ...workflowRightsQuery(execution.workflowId),
    enabled: can("workflow:run"),
  });
  const mayRun = can("workflow:run") && !!rights.data?.actions.includes("workflow:run");
  const signalKey = execution.steps.find((s) => s.waitingFor?.kind === "signal")?.waitingFor;
  const [open, setOpen] = useState<"cancel" | "signal" | null>(null);
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api.executions.cancel.mutate({ executionId: execution.id }),
    onSuccess: () => {
      toast.success("Execution cancelled");
      setOpen(null);
      return queryClient.invalidateQueries({ queryKey: ["executions.get", execution.id] });
    },
  });
  const rows: [string, React.ReactNode][] = [
    ["Status", <ExecutionStatus key="status" status={execution.status} />],
    ["Trigger", execution.trigger],
    ["Version", `v${execution.version}`],
    ["Queued", formatTime(execution.createdAt)],
    ["Started", formatTime(execution.startedAt)],
    ["Finished", formatTime(execution.finishedAt)],
    ["Duration", formatDuration(elapsed(execution.startedAt, execution.finishedAt))],
  ];
  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <h1 className="text-2xl font-semibold">
          Execution of{" "}
          <Link
            to="/workflows/$workflowId"
            params={{ workflowId: execution.workflowId }}
            className="text-indigo-700 underline"
          >
            {execution.workflowName}
          </Link>
        </h1>
        {mayRun && isActive(execution.status) && (
          <div className="flex gap-2">
            {signalKey?.kind === "signal" && (
              <Button variant="secondary" onClick={() => setOpen("signal")}>
                Send signal
              </Button>
            )}
            <Button variant="danger" onClick={() => setOpen("cancel")}>
              Cancel execution
            </Button>
          </div>
        )}
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        {rows.map(([term, value]) => (
          <div key={term} className="contents">
            <dt className="text-slate-500">{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <ConfirmDialog
        open={open === "cancel"}
        onOpenChange={(o) => !o && setOpen(null)}
        title="Cancel this execution?"
        description="The step that is running is stopped and nothing after it runs. Steps that already finished are not undone."
        confirmLabel="Cancel execution"
        pending={cancel.isPending}
        onConfirm={() => cancel.mutate()}
      />
      {signalKey?.kind === "signal" && (
        <SignalDialog
          executionId={execution.id}
          waitKey={signalKey.key}
          open={open === "signal"}
          onOpenChange={(o) => setOpen(o ? "signal" : null)}
        />
      )}
    </header>
  );
}

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useNavigate, useSearch } from "@tanstack/react-router";
import { SelectField } from "../../components/ui/field.tsx";
import { Pager, useCursorPages } from "../../components/ui/pager.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { api } from "../../lib/trpc.ts";
import { workflowsQuery } from "../workflows/list/workflows-api.ts";
import { ExecutionLink } from "./execution-link.tsx";
import {
  ExecutionStatus,
  elapsed,
  executionStatuses,
  executionTriggers,
  formatDuration,
  isActive,
} from "./execution-status.tsx";

const PAGE_SIZE = 25;
type Status = (typeof executionStatuses)[number];
type Trigger = (typeof executionTriggers)[number];

export interface ExecutionsSearch {
  workflowId?: string;
  status?: Status;
  trigger?: Trigger;
}

/** Reads the filters from the address, so a filtered list (one workflow's) can be linked to. */
export function executionsSearch(search: Record<string, unknown>): ExecutionsSearch {
  const oneOf = <T extends string>(values: readonly T[], value: unknown) =>
    values.find((v) => v === value);
  return {
    workflowId: typeof search.workflowId === "string" ? search.workflowId : undefined,
    status: oneOf(executionStatuses, search.status),
    trigger: oneOf(executionTriggers, search.trigger),
  };
}

const anyOption = (label: string) => [{ value: "", label }];

/** Executions of the workflows the member may view, newest first, filtered and paged by cursor. */
export function ExecutionsPage() {
  const search = executionsSearch(useSearch({ strict: false }));
  const navigate = useNavigate();
  const pages = useCursorPages();
  const workflows = useQuery(workflowsQuery);
  const filter = { ...search, limit: PAGE_SIZE, cursor: pages.cursor };
  const executions = useQuery({
    queryKey: ["executions.list", filter],
    queryFn: () => api.executions.list.query(filter),
    placeholderData: keepPreviousData,
    // while something on the page may still change, keep its status fresh
    refetchInterval: (query) =>
      query.state.data?.items.some((e) => isActive(e.status)) ? 2000 : false,
  });
  const setFilter = (change: Partial<ExecutionsSearch>) => {
    pages.restart();
    void navigate({
      to: "/executions",
      search: { ...search, ...change },
    });
  };
  const filtered = executions.data?.items ?? [];

  return (
    <div className="max-w-6xl space-y-6">
      <h1 className="text-2xl font-semibold">Executions</h1>
      <form
        aria-label="Filter executions"
        className="flex flex-wrap items-end gap-4"
        onSubmit={(event) => event.preventDefault()}
      >
        <SelectField
          label="Workflow"
          value={search.workflowId ?? ""}
          options={[
            ...anyOption("Every workflow"),
            ...(workflows.data ?? []).map((w) => ({ value: w.id, label: w.name })),
            // a linked workflow not (yet) in the list still shows as chosen
            ...(search.workflowId && !workflows.data?.some((w) => w.id === search.workflowId)
              ? [{ value: search.workflowId, label: "This workflow" }]
              : []),
          ]}
          onChange={(e) => setFilter({ workflowId: e.target.value || undefined })}
        />
        <SelectField
          label="Status"
          value={search.status ?? ""}
          options={[
            ...anyOption("Any status"),
            ...executionStatuses.map((s) => ({ value: s, label: s })),
          ]}
          onChange={(e) => setFilter({ status: (e.target.value || undefined) as Status })}
        />
        <SelectField
          label="Trigger"
          value={search.trigger ?? ""}
          options={[
            ...anyOption("Any trigger"),
            ...executionTriggers.map((s) => ({ value: s, label: s })),
          ]}
          onChange={(e) => setFilter({ trigger: (e.target.value || undefined) as Trigger })}
        />
      </form>
      {executions.isPending && <Spinner />}
      {executions.isError && (
        <ErrorState error={executions.error} onRetry={() => executions.refetch()} />
      )}
      {executions.data && filtered.length === 0 && (
        <EmptyState title="No executions here">
          Executions appear when a workflow runs: by hand, from its webhook or on its schedule.
        </EmptyState>
      )}
      {filtered.length > 0 && (
        <Table
          caption="Executions"
          head={["Started", "Workflow", "Status", "Trigger", "Version", "Duration"]}
        >
          {filtered.map((execution) => (
            <tr key={execution.id}>
              <Cell>
                <ExecutionLink execution={execution} />
              </Cell>
              <Cell>{execution.workflowName}</Cell>
              <Cell>
                <ExecutionStatus status={execution.status} />
              </Cell>
              <Cell>{execution.trigger}</Cell>
              <Cell>v{execution.version}</Cell>
              <Cell>{formatDuration(elapsed(execution.startedAt, execution.finishedAt))}</Cell>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        pages={pages}
        nextCursor={executions.data?.nextCursor}
        loading={executions.isPlaceholderData}
      />
    </div>
  );
}

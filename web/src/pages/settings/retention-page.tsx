import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "../../components/ui/badge.tsx";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";
import { type Retention, type RetentionValues, retentionQueryKey } from "./retention-api.ts";
import { RetentionForm } from "./retention-form.tsx";

const days = (n: number) => `${n.toLocaleString()} ${n === 1 ? "day" : "days"}`;
const rows: { label: string; show: (v: RetentionValues) => string }[] = [
  { label: "Succeeded and cancelled executions", show: (v) => days(v.keepDays) },
  { label: "Failed executions", show: (v) => days(v.keepFailedDays) },
  {
    label: "Newest kept per workflow",
    show: (v) => (v.keepPerWorkflow === null ? "no limit" : v.keepPerWorkflow.toLocaleString()),
  },
];

/**
 * How long the organization keeps its finished executions: the settings in force next to the
 * instance's defaults, a form to replace them, and a reset to the defaults.
 */
export function RetentionPage() {
  const retention = useQuery({
    queryKey: retentionQueryKey,
    queryFn: () => api.orgs.retention.get.query(),
  });
  return (
    <div className="max-w-3xl space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold">Execution retention</h1>
        <p className="text-sm text-slate-600">
          How long this organization keeps its finished executions (their steps, inputs and
          outputs). A maintenance pass deletes what falls outside these limits; executions that are
          still running or waiting are never deleted.
        </p>
      </div>
      {retention.isPending && <Spinner />}
      {retention.isError && (
        <ErrorState error={retention.error} onRetry={() => retention.refetch()} />
      )}
      {retention.data && <RetentionSettings retention={retention.data} />}
    </div>
  );
}

function RetentionSettings({ retention }: { retention: Retention }) {
  const { can } = usePermissions();
  const fromInstance = retention.source === "instance";
  return (
    <>
      <section aria-labelledby="retention-in-force" className="space-y-3">
        <div className="flex items-center gap-3">
          <h2 id="retention-in-force" className="text-lg font-medium">
            In force
          </h2>
          {fromInstance ? (
            <Badge tone="info">Instance defaults</Badge>
          ) : (
            <Badge tone="success">Organization settings</Badge>
          )}
        </div>
        <Table caption="Retention in force" head={["Executions", "In force", "Instance default"]}>
          {rows.map((row) => (
            <tr key={row.label}>
              <Cell>{row.label}</Cell>
              <Cell>{row.show(retention)}</Cell>
              <Cell>{row.show(retention.instance)}</Cell>
            </tr>
          ))}
        </Table>
      </section>
      {can("retention:manage") && (
        <>
          <RetentionForm
            // a reset or a save brings new values: start the form again from them
            key={JSON.stringify(rows.map((row) => row.show(retention)))}
            values={retention}
          />
          {!fromInstance && <ResetRetention instance={retention.instance} />}
        </>
      )}
    </>
  );
}

function ResetRetention({ instance }: { instance: RetentionValues }) {
  const [open, setOpen] = useState(false);
  const queryClient = useQueryClient();
  const reset = useMutation({
    mutationFn: () => api.orgs.retention.reset.mutate(),
    meta: { inlineError: true },
    onSuccess: (view) => {
      queryClient.setQueryData(retentionQueryKey, view);
      setOpen(false);
      toast.success("Retention reset to the instance defaults");
    },
  });
  return (
    <section className="space-y-3 border-t border-slate-200 pt-6">
      <h2 className="text-lg font-medium">Back to the defaults</h2>
      <p className="text-sm text-slate-600">
        Drop this organization's settings and follow the instance's defaults again, including when
        the operator changes them.
      </p>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Reset to instance defaults
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o);
          if (!o) reset.reset();
        }}
        title="Reset retention to the instance defaults?"
        description={
          <>
            <p>
              The instance defaults apply again:{" "}
              {rows.map((row) => `${row.label.toLowerCase()}: ${row.show(instance)}`).join("; ")}.
              What they do not keep is deleted at the next maintenance pass.
            </p>
            <FormError error={reset.error} />
          </>
        }
        confirmLabel="Reset to defaults"
        pending={reset.isPending}
        onConfirm={() => reset.mutate()}
      />
    </section>
  );
}

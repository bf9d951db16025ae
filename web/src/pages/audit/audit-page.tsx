import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { Field, SelectField } from "../../components/ui/field.tsx";
import { Pager, useCursorPages } from "../../components/ui/pager.tsx";
import { EmptyState, ErrorState, Spinner } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { usePermissions } from "../../lib/permissions.ts";
import { api } from "../../lib/trpc.ts";

const PAGE_SIZE = 50;

interface Filters {
  action: string;
  actorId: string;
  from: string;
  to: string;
}
const noFilters: Filters = { action: "", actorId: "", from: "", to: "" };

/** A date input's day as an instant: the start of that day here, or of the next one for "to". */
const dayStart = (day: string, offsetDays = 0) => {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + offsetDays);
  return date.toISOString();
};

/** The organization's audit log: who did what to which target, from where; filtered and paged. */
export function AuditPage() {
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [applied, setApplied] = useState<Filters>(noFilters);
  const pages = useCursorPages();
  const input = {
    limit: PAGE_SIZE,
    cursor: pages.cursor,
    action: applied.action.trim() || undefined,
    actorId: applied.actorId || undefined,
    from: dayStart(applied.from),
    to: dayStart(applied.to, 1),
  };
  const events = useQuery({
    queryKey: ["audit.list", input],
    queryFn: () => api.audit.list.query(input),
    placeholderData: keepPreviousData,
  });
  const apply = (filters: Filters) => {
    setApplied(filters);
    pages.restart();
  };

  return (
    <div className="max-w-6xl space-y-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <form
        aria-label="Filter audit events"
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <div className="w-56">
          <Field
            label="Action"
            placeholder="review.approved or review."
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
          />
        </div>
        <ActorSelect
          value={draft.actorId}
          onChange={(actorId) => setDraft({ ...draft, actorId })}
        />
        <Field
          label="From"
          type="date"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
        />
        <Field
          label="To"
          type="date"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
        />
        <Button type="submit">Apply filters</Button>
        <Button
          variant="secondary"
          onClick={() => {
            setDraft(noFilters);
            apply(noFilters);
          }}
        >
          Clear
        </Button>
      </form>
      {events.isPending && <Spinner />}
      {events.isError && <ErrorState error={events.error} onRetry={() => events.refetch()} />}
      {events.data?.items.length === 0 && <EmptyState title="No audit events match" />}
      {!!events.data?.items.length && (
        <Table caption="Audit events" head={["Time", "Actor", "Action", "Target", "IP", "Details"]}>
          {events.data.items.map((event) => (
            <tr key={event.id}>
              <Cell>{new Date(event.createdAt).toLocaleString()}</Cell>
              <Cell>
                {event.actorEmail ?? event.actorLabel ?? event.actorId ?? "—"}
                <span className="ml-1 text-xs text-slate-500">({event.actorKind})</span>
              </Cell>
              <Cell>
                <code className="text-xs">{event.action}</code>
              </Cell>
              <Cell>
                {event.targetType ? (
                  <span className="break-all text-xs">
                    {event.targetType} {event.targetId}
                  </span>
                ) : (
                  "—"
                )}
              </Cell>
              <Cell>{event.ip ?? "—"}</Cell>
              <Cell>
                <EventDetails metadata={event.metadata} />
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        pages={pages}
        nextCursor={events.data?.nextCursor}
        loading={events.isPlaceholderData}
      />
    </div>
  );
}

/** What the event recorded beside its target (e.g. a role before and after), folded. */
function EventDetails({ metadata }: { metadata: unknown }) {
  if (!metadata || typeof metadata !== "object" || Object.keys(metadata).length === 0) {
    return <>—</>;
  }
  return (
    <details>
      <summary className="cursor-pointer text-xs text-indigo-700">Show</summary>
      <pre className="mt-1 w-44 whitespace-pre-wrap break-words text-xs">
        {Object.entries(metadata)
          .map(
            ([key, value]) =>
              `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`,
          )
          .join("\n")}
      </pre>
    </details>
  );
}

/** Members to filter by (their user ids); anyone else is "any actor". */
function ActorSelect({ value, onChange }: { value: string; onChange: (actorId: string) => void }) {
  const { can } = usePermissions();
  const members = useQuery({
    queryKey: ["members.list"],
    queryFn: () => api.members.list.query().then((page) => page.items),
    enabled: can("member:view"),
  });
  const options = [
    { value: "", label: "Any actor" },
    ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.email })),
  ];
  return (
    <SelectField
      label="Actor"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      options={options}
    />
  );
}

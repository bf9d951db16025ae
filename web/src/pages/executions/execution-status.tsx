/** The statuses `executions.list` filters by (execution_status in src/db/schema/executions.ts). */
export const executionStatuses = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
] as const;
export const executionTriggers = ["manual", "webhook", "schedule"] as const;

/** Statuses in which an execution may still change (polled, cancellable). */
export const isActive = (status: string) =>
  status === "queued" || status === "running" || status === "waiting";

const tones: Record<string, string> = {
  queued: "bg-slate-200 text-slate-700",
  running: "bg-indigo-100 text-indigo-900",
  retrying: "bg-amber-100 text-amber-900",
  waiting: "bg-amber-100 text-amber-900",
  succeeded: "bg-emerald-100 text-emerald-900",
  failed: "bg-red-100 text-red-900",
  cancelled: "bg-slate-200 text-slate-700",
  skipped: "bg-slate-100 text-slate-500",
};

/** An execution's or a step's status as a coloured word (the word carries the meaning). */
export function ExecutionStatus({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${tones[status] ?? tones.queued}`}
    >
      {status}
    </span>
  );
}

/** A duration in the largest unit that keeps it short: 850 ms, 2.4 s, 3 min 5 s, 2 h 10 min. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** From start to finish, or to now while it runs. */
export function elapsed(
  startedAt: string | Date | null,
  finishedAt: string | Date | null,
  now = Date.now(),
) {
  if (!startedAt) return null;
  const end = finishedAt ? new Date(finishedAt).getTime() : now;
  return end - new Date(startedAt).getTime();
}

import { hookUrl } from "../editor/webhook-trigger.tsx";
import { type CronReading, formatRun } from "./schedule-preview.ts";
import type { WorkflowNode } from "./types.ts";

/** Where a webhook trigger is called; the secret itself is shown only once, by the editor. */
export function WebhookAddress({ workflowId }: { workflowId: string }) {
  return (
    <section aria-label="Trigger URL" className="space-y-1 rounded-md bg-slate-50 p-3 text-sm">
      <p className="font-medium text-slate-700">Trigger URL</p>
      <code className="block break-all text-xs text-slate-700">
        POST {hookUrl(workflowId, "<secret>")}
      </code>
      <p className="text-xs text-slate-500">
        The request body becomes the trigger payload. The secret is shown once, when the workflow is
        first saved with this trigger, and can be rotated from the editor.
      </p>
    </section>
  );
}

/** The next runs of a schedule trigger, in its time zone. */
export function ScheduleRuns({ node, reading }: { node: WorkflowNode; reading: CronReading }) {
  if (!("runs" in reading)) return null;
  const timezone = typeof node.parameters.timezone === "string" ? node.parameters.timezone : "UTC";
  return (
    <section aria-label="Next runs" className="space-y-1 rounded-md bg-slate-50 p-3 text-sm">
      <p className="font-medium text-slate-700">Next runs ({timezone || "UTC"})</p>
      <ol className="list-decimal space-y-0.5 pl-5 text-xs text-slate-700">
        {reading.runs.map((run) => (
          <li key={run.getTime()}>{formatRun(run, timezone || "UTC")}</li>
        ))}
      </ol>
    </section>
  );
}

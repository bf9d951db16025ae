import { Link } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { formatTime } from "../reviews/review-status.tsx";
import type { DefinitionNode } from "../workflows/editor/editor-api.ts";
import type { Execution } from "./execution-detail.tsx";
import { ExecutionStatus, formatDuration } from "./execution-status.tsx";
import { JsonView } from "./json-view.tsx";

type Step = Execution["steps"][number];

/**
 * The execution's steps in the order they ran. Selecting one (here or on the graph) opens its
 * input, output and error; the server has already masked credentials and capped sizes.
 */
export function StepTimeline({
  execution,
  nodes,
  selectedNodeId,
  onSelect,
}: {
  execution: Execution;
  nodes: DefinitionNode[] | undefined;
  selectedNodeId: string | null;
  onSelect: (nodeId: string | null) => void;
}) {
  if (execution.steps.length === 0)
    return <p className="text-sm text-slate-500">No step has run yet.</p>;
  const nodeOf = (id: string) => nodes?.find((n) => n.id === id);
  const run = runSpan(execution);
  return (
    <ol className="space-y-2" aria-label="Steps">
      {execution.steps.map((step) => (
        <StepItem
          key={step.nodeId}
          step={step}
          label={nodeOf(step.nodeId)?.name || step.nodeId}
          type={nodeOf(step.nodeId)?.type}
          run={run}
          selected={selectedNodeId === step.nodeId}
          onToggle={() => onSelect(selectedNodeId === step.nodeId ? null : step.nodeId)}
        />
      ))}
    </ol>
  );
}

function StepItem({
  step,
  label,
  type,
  run,
  selected,
  onToggle,
}: {
  step: Step;
  label: string;
  type: string | undefined;
  run: RunSpan;
  selected: boolean;
  onToggle: () => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  const panelId = `step-${step.nodeId}`;
  return (
    <li
      ref={ref}
      className={`rounded-md border bg-white ${selected ? "border-indigo-400" : "border-slate-200"}`}
    >
      <button
        type="button"
        aria-expanded={selected}
        aria-controls={selected ? panelId : undefined}
        onClick={onToggle}
        className="flex w-full flex-wrap items-center gap-3 px-3 py-2 text-left text-sm focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="font-medium">{label}</span>
        {type && <span className="text-xs text-slate-500">{type}</span>}
        <ExecutionStatus status={step.status} />
        {step.port && step.port !== "main" && (
          <span className="text-xs text-slate-600">→ {step.port}</span>
        )}
        <span className="ml-auto flex items-center gap-3 text-xs text-slate-500">
          {step.attempt > 1 && <span>attempt {step.attempt}</span>}
          <StepBar step={step} run={run} />
          {/* a fixed width keeps the bars of all steps aligned */}
          <span className="w-16 text-right">{formatDuration(step.durationMs)}</span>
        </span>
      </button>
      <StepWait step={step} />
      {selected && (
        <div id={panelId} className="space-y-3 border-t border-slate-100 p-3">
          <p className="text-xs text-slate-500">
            Started {formatTime(step.startedAt)} · finished {formatTime(step.finishedAt)}
          </p>
          {step.error && (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
              {step.error}
            </p>
          )}
          <div className="grid gap-3 lg:grid-cols-2">
            <JsonView label={`Input of ${label}`} value={step.input} />
            <JsonView label={`Output of ${label}`} value={step.output} />
          </div>
        </div>
      )}
    </li>
  );
}

type RunSpan = { start: number; length: number };

const time = (at: string | Date) => new Date(at).getTime();
/** A step's time so far: its duration once finished, else up to now. */
const ran = (step: Step) => step.durationMs ?? Date.now() - time(step.startedAt);

/** From the execution's start to its end (to now while it runs, or the last step's end). */
function runSpan(execution: Execution): RunSpan {
  const start = Math.min(
    ...[execution.startedAt, ...execution.steps.map((s) => s.startedAt)]
      .filter((at) => at !== null)
      .map(time),
  );
  const ends = execution.steps.map((s) => time(s.startedAt) + ran(s));
  if (execution.finishedAt) ends.push(time(execution.finishedAt));
  return { start, length: Math.max(0, ...ends.map((end) => end - start)) };
}

/**
 * When the step ran within the execution, to scale: the bar starts at its offset from the
 * execution's start and is as long as it took. Screen readers get the times as text.
 */
function StepBar({ step, run }: { step: Step; run: RunSpan }) {
  const offset = Math.max(0, time(step.startedAt) - run.start);
  const took = ran(step);
  const share = (ms: number) => (run.length > 0 ? (ms / run.length) * 100 : 0);
  const left = Math.min(share(offset), 99);
  const text = `started ${formatDuration(offset)} into the execution, took ${formatDuration(took)}`;
  return (
    <span className="relative h-2 w-40 shrink-0 rounded-full bg-slate-100" title={text}>
      <span
        aria-hidden="true"
        className="absolute inset-y-0 min-w-0.5 rounded-full bg-indigo-400"
        style={{ left: `${left}%`, width: `${Math.min(share(took), 100 - left)}%` }}
      />
      <span className="sr-only">{text}</span>
    </span>
  );
}

/** What a waiting step waits for: a review to decide in the inbox, or a signal's key. */
function StepWait({ step }: { step: Step }) {
  const wait = step.waitingFor;
  if (!wait) return null;
  const until = wait.until ? ` (until ${formatTime(wait.until)})` : "";
  return (
    <p className="px-3 pb-2 text-sm text-amber-900">
      {wait.kind === "review" ? (
        <>
          Waiting for a review decision{until}:{" "}
          <Link
            to="/reviews/$reviewId"
            params={{ reviewId: wait.reviewId }}
            className="text-indigo-700 underline"
          >
            open the review
          </Link>
        </>
      ) : (
        <>
          Waiting for a signal with key <code className="font-mono">{wait.key}</code>
          {until}
        </>
      )}
    </p>
  );
}

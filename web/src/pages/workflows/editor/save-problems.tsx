import { isApiError } from "../../../lib/trpc.ts";
import type { DefinitionProblem } from "./editor-api.ts";

/** The problems of a refused save: structured when the server listed them, else its message. */
export function problemsOf(error: unknown): DefinitionProblem[] {
  const details = isApiError(error) ? (error.data?.details as { problems?: unknown }) : undefined;
  const listed = details?.problems;
  if (Array.isArray(listed)) return listed as DefinitionProblem[];
  return [{ message: error instanceof Error ? error.message : "The workflow was not saved" }];
}

/** A problem as the node's settings panel takes it: the path within the node's parameters. */
export const panelIssue = (problem: DefinitionProblem) => ({
  path: problem.path?.replace(/^parameters\./, "") ?? "",
  message: problem.message,
});

/** The value at a problem's path (`parameters.headers.Authorization`, `notify.to[0]`). */
function valueAt(node: unknown, path: string): unknown {
  let value = node;
  for (const key of path.split(/[.[\]]+/).filter(Boolean)) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The problems still standing after a node was edited: one whose field changed is dropped
 * (the next save checks it again), as is a problem of the whole node once anything in it did.
 */
export function unresolvedProblems(
  problems: DefinitionProblem[],
  before: { id: string },
  after: { id: string },
): DefinitionProblem[] {
  const same = (path: string) =>
    JSON.stringify(valueAt(before, path)) === JSON.stringify(valueAt(after, path));
  return problems.filter((p) => p.nodeId !== after.id || same(p.path ?? ""));
}

/** Why the last save was refused; a problem on a node selects that node when chosen. */
export function SaveProblems({
  problems,
  nodeLabel,
  onSelectNode,
}: {
  problems: DefinitionProblem[];
  nodeLabel: (nodeId: string) => string;
  onSelectNode: (nodeId: string) => void;
}) {
  if (!problems.length) return null;
  return (
    <div
      role="alert"
      aria-label="Save problems"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800"
    >
      <p className="font-medium">
        Not saved: {problems.length === 1 ? "1 problem" : `${problems.length} problems`}
      </p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {problems.map((p) => (
          <li key={`${p.nodeId}:${p.path}:${p.message}`}>
            {p.nodeId && (
              <button
                type="button"
                className="font-medium underline"
                onClick={() => p.nodeId && onSelectNode(p.nodeId)}
              >
                {nodeLabel(p.nodeId)}
              </button>
            )}
            {p.nodeId && ": "}
            {p.path && <span className="font-mono text-xs">{p.path}: </span>}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

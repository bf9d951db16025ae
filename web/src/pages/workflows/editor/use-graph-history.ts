import { type Dispatch, type SetStateAction, useEffect, useRef, useState } from "react";
import type { FlowEdge, FlowNode } from "./definition-graph.ts";

type Snapshot = { nodes: FlowNode[]; edges: FlowEdge[] };

/** Undo steps kept; older ones are dropped. */
const LIMIT = 100;

/**
 * Undo and redo for the editor's graph. Every change of the workflow (a `revision` step) is
 * one undo step, except that consecutive edits of one node's settings make a single step, so
 * typing a URL is undone at once, not letter by letter. `restored` counts undos and redos:
 * forms that keep their own state are keyed by it to show the restored values.
 */
export function useGraphHistory(
  graph: Snapshot,
  setGraph: Dispatch<SetStateAction<Snapshot>>,
  revision: number,
  changed: () => void,
) {
  const [stacks, setStacks] = useState<{ past: Snapshot[]; future: Snapshot[] }>({
    past: [],
    future: [],
  });
  const [restored, setRestored] = useState(0);
  // the graph as of the last change of the workflow: what undo returns to
  const committed = useRef(graph);
  // what the next revision is: an undo or redo (not recorded), or an edit of a node's settings
  const next = useRef<{ restoring?: boolean; editOf?: string }>({});
  const lastEditOf = useRef<string | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per change of the workflow, which revision counts
  useEffect(() => {
    if (revision === 0) return;
    const before = committed.current;
    committed.current = graph;
    const { restoring, editOf } = next.current;
    next.current = {};
    if (restoring) return;
    const sameEdit = editOf !== undefined && editOf === lastEditOf.current;
    lastEditOf.current = editOf;
    if (sameEdit) return;
    setStacks((s) => ({ past: [...s.past, before].slice(-LIMIT), future: [] }));
  }, [revision]);

  const restore = (to: Snapshot, stacksAfter: { past: Snapshot[]; future: Snapshot[] }) => {
    next.current = { restoring: true };
    lastEditOf.current = undefined;
    setStacks(stacksAfter);
    setGraph(to);
    setRestored((r) => r + 1);
    changed();
  };

  return {
    canUndo: stacks.past.length > 0,
    canRedo: stacks.future.length > 0,
    restored,
    /** The next change edits `nodeId`'s settings (merged with an edit of it just before). */
    editing: (nodeId: string) => {
      next.current = { editOf: nodeId };
    },
    undo: () => {
      const to = stacks.past.at(-1);
      if (!to) return;
      restore(to, {
        past: stacks.past.slice(0, -1),
        future: [...stacks.future, committed.current],
      });
    },
    redo: () => {
      const to = stacks.future.at(-1);
      if (!to) return;
      restore(to, {
        past: [...stacks.past, committed.current],
        future: stacks.future.slice(0, -1),
      });
    },
  };
}

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import type { XYPosition } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { toast } from "../../../components/ui/toast.tsx";
import { api } from "../../../lib/trpc.ts";
import { NodeConfigPanel } from "../node-config/node-config-panel.tsx";
import { ConnectDialog } from "./connect-dialog.tsx";
import { nodeLabel as describeNode, toDefinition } from "./definition-graph.ts";
import {
  type DefinitionProblem,
  definitionQuery,
  type NodeTypeInfo,
  type WorkflowDefinition,
} from "./editor-api.ts";
import { EditorCanvas } from "./editor-canvas.tsx";
import { NodePalette } from "./node-palette.tsx";
import { panelIssue, problemsOf, SaveProblems, unresolvedProblems } from "./save-problems.tsx";
import { UnsavedChangesGuard } from "./unsaved-changes-guard.tsx";
import { useEditorGraph } from "./use-editor-graph.ts";
import { VersionHistory } from "./version-history.tsx";
import { WebhookSecretDialog, WebhookTrigger } from "./webhook-trigger.tsx";

export interface EditorWorkflow {
  id: string;
  name: string;
  currentVersion: number | null;
  hasWebhookSecret: boolean;
}

/**
 * The editor for one workflow: palette, canvas, the selected node's settings, save (a new
 * version), version history and the webhook trigger. `viewingVersion` opens an older version
 * read-only, with the choice to restore it as a new version.
 */
export function EditorWorkspace({
  workflow,
  nodeTypes,
  initial,
  viewingVersion,
  canEdit,
}: {
  workflow: EditorWorkflow;
  nodeTypes: readonly NodeTypeInfo[];
  initial: WorkflowDefinition | null;
  viewingVersion: number | undefined;
  canEdit: boolean;
}) {
  const workflowId = workflow.id;
  const readOnly = !canEdit || viewingVersion !== undefined;
  const graph = useEditorGraph(initial, nodeTypes);
  // Unsaved means unlike what was last saved (or opened), so undoing every change is clean
  // again; the definition only changes with a revision, not with each frame of a drag.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision counts the graph's changes
  const current = useMemo(
    () => JSON.stringify(toDefinition(graph.nodes, graph.edges)),
    [graph.revision],
  );
  const [saved, setSaved] = useState(current);
  const dirty = current !== saved;
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [historyOpen, setHistoryOpen] = useState(false);
  const [connecting, setConnecting] = useState(false);
  // the settings panel covers the canvas's right side: the canvas keeps the node beside it
  const [panelWidth, setPanelWidth] = useState(0);
  const measurePanel = useCallback(
    (panel: HTMLDivElement | null) => setPanelWidth(panel?.offsetWidth ?? 0),
    [],
  );
  const viewCentre = useRef<(() => XYPosition | undefined) | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const save = useMutation({
    mutationFn: async () => {
      const definition = toDefinition(graph.nodes, graph.edges);
      const result = await api.workflows.saveDefinition.mutate({ workflowId, definition });
      return { ...result, definition };
    },
    meta: { inlineError: true },
    gcTime: 0,
    onSuccess: async (saved) => {
      setSaved(JSON.stringify(saved.definition));
      setProblems([]);
      toast.success(`Saved version ${saved.version}`);
      // What was saved is the current definition: the page need not wait to reload it.
      queryClient.setQueryData(definitionQuery(workflowId).queryKey, {
        workflowId,
        version: saved.version,
        definition: saved.definition,
        createdAt: new Date().toISOString(),
      });
      await Promise.all(
        ["workflows.get", "workflows.getDefinition", "workflowVersions.list"].map((key) =>
          queryClient.invalidateQueries({ queryKey: [key, workflowId] }),
        ),
      );
      await queryClient.invalidateQueries({ queryKey: ["workflows.list"] });
      if (viewingVersion !== undefined) {
        await navigate({ to: "/workflows/$workflowId", params: { workflowId }, search: {} });
      }
    },
    onError: (error) => setProblems(problemsOf(error)),
  });

  // Ctrl+S (⌘S) saves, as in other editors, instead of the browser saving the page; Ctrl+Z
  // undoes and Ctrl+Shift+Z or Ctrl+Y redoes a change of the graph, except in a text field,
  // where they undo typing.
  const shortcut = useRef((_event: KeyboardEvent) => {});
  shortcut.current = (event) => {
    if (!(event.ctrlKey || event.metaKey) || readOnly) return;
    const key = event.key.toLowerCase();
    if (key === "s") {
      event.preventDefault();
      if (!save.isPending) save.mutate();
      return;
    }
    if ((key !== "z" && key !== "y") || isTextEntry(event.target)) return;
    event.preventDefault();
    if (key === "z" && !event.shiftKey) graph.history.undo();
    else graph.history.redo();
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => shortcut.current(event);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const problemsByNode = useMemo(() => {
    const found = new Map<string, DefinitionProblem[]>();
    for (const p of problems)
      if (p.nodeId) found.set(p.nodeId, [...(found.get(p.nodeId) ?? []), p]);
    return found;
  }, [problems]);
  const nodes = useMemo(
    () =>
      graph.nodes.map((n) => {
        const mine = problemsByNode.get(n.id)?.map((p) => p.message);
        return { ...n, ariaLabel: describeNode(n.data), data: { ...n.data, problems: mine } };
      }),
    [graph.nodes, problemsByNode],
  );
  const selected = graph.selectedNodes.length === 1 ? graph.selectedNodes[0] : undefined;
  const selectedType = selected?.data.nodeType;
  const nodeLabel = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id)?.data.node;
    return node?.name || id;
  };
  const hasTrigger = graph.nodes.some((n) => n.data.nodeType?.kind === "trigger");
  const hasWebhook = graph.nodes.some((n) => n.data.node.type === "webhook_trigger");

  return (
    <div className="flex h-[calc(100vh-7.5rem)] min-h-[32rem] flex-col gap-3">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <Link to="/workflows" className="text-sm text-indigo-700 underline">
            ← Workflows
          </Link>
          <h1 className="text-xl font-semibold">{workflow.name}</h1>
          {viewingVersion !== undefined ? (
            <Badge tone="warning">Version {viewingVersion} (read-only)</Badge>
          ) : workflow.currentVersion ? (
            <Badge tone="info">Version {workflow.currentVersion}</Badge>
          ) : (
            <Badge>Not saved yet</Badge>
          )}
          {!canEdit && <Badge>View only</Badge>}
          {dirty && <Badge tone="warning">Unsaved changes</Badge>}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="secondary" onClick={() => setHistoryOpen(true)}>
            Version history
          </Button>
          {viewingVersion !== undefined && (
            <Link
              to="/workflows/$workflowId"
              params={{ workflowId }}
              search={{}}
              className="text-sm text-indigo-700 underline"
            >
              Current version
            </Link>
          )}
          {viewingVersion !== undefined && canEdit && (
            <Button pending={save.isPending} onClick={() => save.mutate()}>
              Restore this version
            </Button>
          )}
          {!readOnly && (
            <>
              <Button
                variant="secondary"
                disabled={!graph.history.canUndo}
                onClick={graph.history.undo}
                title="Undo (Ctrl+Z)"
              >
                Undo
              </Button>
              <Button
                variant="secondary"
                disabled={!graph.history.canRedo}
                onClick={graph.history.redo}
                title="Redo (Ctrl+Shift+Z)"
              >
                Redo
              </Button>
              <Button variant="secondary" disabled={!selected} onClick={() => setConnecting(true)}>
                Connect…
              </Button>
              <Button
                variant="secondary"
                disabled={!graph.hasSelection}
                onClick={graph.deleteSelection}
              >
                Delete selected
              </Button>
              <Button pending={save.isPending} onClick={() => save.mutate()} title="Save (Ctrl+S)">
                Save
              </Button>
            </>
          )}
        </div>
      </header>
      {!canEdit && (
        <p className="text-sm text-slate-600">You may view this workflow but not change it.</p>
      )}
      {hasWebhook && workflow.hasWebhookSecret && viewingVersion === undefined && (
        <WebhookTrigger workflowId={workflowId} canEdit={canEdit} />
      )}
      <SaveProblems problems={problems} nodeLabel={nodeLabel} onSelectNode={graph.select} />
      <div className="flex min-h-0 flex-1 gap-3">
        {!readOnly && (
          <NodePalette
            nodeTypes={nodeTypes}
            hasTrigger={hasTrigger}
            onAdd={(type) => graph.addNode(type, viewCentre.current?.())}
          />
        )}
        <div className="relative min-w-0 flex-1 overflow-hidden rounded-md border border-slate-200 bg-white">
          <EditorCanvas
            nodes={nodes}
            edges={graph.edges}
            readOnly={readOnly}
            onNodesChange={graph.onNodesChange}
            onEdgesChange={graph.onEdgesChange}
            onConnect={graph.connect}
            onChanged={graph.changed}
            focusNodeId={selected?.id}
            coveredRight={selected ? panelWidth : 0}
            viewCentre={viewCentre}
          />
          {selected && selectedType && (
            <div ref={measurePanel} className="absolute inset-y-0 right-0 z-10 shadow-lg">
              <NodeConfigPanel
                key={`${selected.id}:${graph.history.restored}`}
                workflowId={workflowId}
                node={selected.data.node}
                nodeType={selectedType}
                errors={(problemsByNode.get(selected.id) ?? []).map(panelIssue)}
                readOnly={readOnly}
                onChange={(node) => {
                  setProblems((current) => unresolvedProblems(current, selected.data.node, node));
                  graph.updateNode(node);
                }}
                onClose={() => graph.select(null)}
              />
            </div>
          )}
        </div>
      </div>
      {selected && connecting && (
        <ConnectDialog
          from={selected}
          nodes={graph.nodes}
          open
          onOpenChange={setConnecting}
          onConnect={graph.connect}
        />
      )}
      <VersionHistory
        workflowId={workflowId}
        currentVersion={workflow.currentVersion}
        open={historyOpen}
        onOpenChange={setHistoryOpen}
      />
      <WebhookSecretDialog
        workflowId={workflowId}
        secret={save.data?.webhookSecret}
        onClose={() => save.reset()}
      />
      <UnsavedChangesGuard dirty={dirty && !readOnly} />
    </div>
  );
}

/** A field where the browser's own undo applies to the text being typed. */
function isTextEntry(target: EventTarget | null) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

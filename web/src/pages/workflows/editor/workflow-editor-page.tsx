import { useQuery } from "@tanstack/react-query";
import { useParams, useSearch } from "@tanstack/react-router";
import { ErrorState, Spinner } from "../../../components/ui/states.tsx";
import { workflowRightsQuery } from "../list/workflows-api.ts";
import { asDefinition, definitionQuery, nodeTypesQuery, workflowQuery } from "./editor-api.ts";
import { EditorWorkspace } from "./editor-workspace.tsx";

/** `/workflows/$workflowId` (`?version=N` opens an older version read-only). */
export function WorkflowEditorPage() {
  const { workflowId = "" } = useParams({ strict: false });
  const { version } = useSearch({ strict: false });
  const workflow = useQuery(workflowQuery(workflowId));
  const nodeTypes = useQuery(nodeTypesQuery);
  const permissions = useQuery(workflowRightsQuery(workflowId));
  const hasVersion = version !== undefined || Boolean(workflow.data?.currentVersion);
  const definition = useQuery({ ...definitionQuery(workflowId, version), enabled: hasVersion });
  const failed = [workflow, nodeTypes, permissions, definition].find((q) => q.isError);
  if (failed) return <ErrorState error={failed.error} onRetry={() => failed.refetch()} />;
  if (!workflow.data || !nodeTypes.data || !permissions.data || (hasVersion && !definition.data)) {
    return <Spinner label="Loading workflow…" />;
  }
  return (
    <EditorWorkspace
      // a different version is a different document: start from its definition
      key={`${workflowId}:${version ?? "current"}`}
      workflow={workflow.data}
      nodeTypes={nodeTypes.data}
      initial={definition.data ? asDefinition(definition.data.definition) : null}
      viewingVersion={version}
      canEdit={permissions.data.actions.includes("workflow:edit")}
    />
  );
}

import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge } from "../../../components/ui/badge.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { EmptyState, ErrorState, Spinner } from "../../../components/ui/states.tsx";
import { Cell, Table } from "../../../components/ui/table.tsx";
import { versionsQuery } from "./editor-api.ts";

const when = (value: Date | string) => new Date(value).toLocaleString();

/** `workflows.versions` answers this many by default. */
const VERSIONS_SHOWN = 50;

/** The saved versions, newest first; each opens read-only in the editor. */
export function VersionHistory({
  workflowId,
  currentVersion,
  open,
  onOpenChange,
}: {
  workflowId: string;
  currentVersion: number | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const versions = useQuery({ ...versionsQuery(workflowId), enabled: open });
  const close = () => onOpenChange(false);
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Version history" size="wide">
      {versions.isPending && <Spinner />}
      {versions.isError && <ErrorState error={versions.error} onRetry={() => versions.refetch()} />}
      {versions.data?.length === 0 && (
        <EmptyState title="No versions yet">Saving the workflow creates version 1.</EmptyState>
      )}
      {versions.data && versions.data.length > 0 && (
        <Table caption="Versions" head={["Version", "Saved", "By", ""]}>
          {versions.data.map((v) => (
            <tr key={v.version}>
              <Cell>
                v{v.version} {v.version === currentVersion && <Badge tone="info">current</Badge>}
              </Cell>
              <Cell>{when(v.createdAt)}</Cell>
              <Cell>{v.author ? v.author.name || v.author.email : "deleted account"}</Cell>
              <Cell>
                <Link
                  to="/workflows/$workflowId"
                  params={{ workflowId }}
                  search={v.version === currentVersion ? {} : { version: v.version }}
                  onClick={close}
                  className="text-indigo-700 underline"
                  aria-label={`Open version ${v.version}`}
                >
                  Open
                </Link>
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      {versions.data && versions.data.length >= VERSIONS_SHOWN && (
        <p className="mt-2 text-xs text-slate-500">The latest {VERSIONS_SHOWN} versions.</p>
      )}
    </Dialog>
  );
}

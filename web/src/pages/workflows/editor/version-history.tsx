import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Badge } from "../../../components/ui/badge.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { Pager, useCursorPages } from "../../../components/ui/pager.tsx";
import { EmptyState, ErrorState, Spinner } from "../../../components/ui/states.tsx";
import { Cell, Table } from "../../../components/ui/table.tsx";
import { versionsQuery } from "./editor-api.ts";

const when = (value: Date | string) => new Date(value).toLocaleString();

const PAGE_SIZE = 20;

/** The saved versions, newest first and paged; each opens read-only in the editor. */
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
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Version history" size="wide">
      {/* mounted while open: each opening starts again from the newest page */}
      <VersionPages
        workflowId={workflowId}
        currentVersion={currentVersion}
        close={() => onOpenChange(false)}
      />
    </Dialog>
  );
}

function VersionPages({
  workflowId,
  currentVersion,
  close,
}: {
  workflowId: string;
  currentVersion: number | null;
  close: () => void;
}) {
  const pages = useCursorPages();
  const versions = useQuery({
    ...versionsQuery(workflowId, PAGE_SIZE, pages.cursor),
    placeholderData: keepPreviousData,
  });
  const items = versions.data?.items;
  return (
    <>
      {versions.isPending && <Spinner />}
      {versions.isError && <ErrorState error={versions.error} onRetry={() => versions.refetch()} />}
      {items?.length === 0 && (
        <EmptyState title="No versions yet">Saving the workflow creates version 1.</EmptyState>
      )}
      {items && items.length > 0 && (
        <Table caption="Versions" head={["Version", "Saved", "By", ""]}>
          {items.map((v) => (
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
      <div className="mt-2">
        <Pager
          pages={pages}
          nextCursor={versions.data?.nextCursor}
          loading={versions.isPlaceholderData}
          labels={{ previous: "Newer versions", next: "Older versions" }}
        />
      </div>
    </>
  );
}

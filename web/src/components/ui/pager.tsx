import { useState } from "react";
import { Button } from "./button.tsx";

/**
 * Cursor paging for a list procedure that answers `nextCursor`: the cursors of the pages
 * seen so far, the last one being the current page's (undefined for the first page).
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    cursor: cursors[cursors.length - 1],
    hasPrevious: cursors.length > 1,
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (cursor: string) => setCursors([...cursors, cursor]),
    /** Back to the first page, e.g. when a filter changes. */
    restart: () => setCursors([undefined]),
  };
}

/**
 * Previous/next buttons for `useCursorPages`; next is off while the page is still loading.
 * Nothing when everything fits on the first page: two disabled buttons only add noise.
 */
export function Pager({
  pages,
  nextCursor,
  loading = false,
  labels = { previous: "Previous page", next: "Next page" },
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
  loading?: boolean;
  labels?: { previous: string; next: string };
}) {
  if (!pages.hasPrevious && !nextCursor) return null;
  return (
    <nav aria-label="Pages" className="flex gap-2">
      <Button variant="secondary" disabled={!pages.hasPrevious} onClick={pages.previous}>
        {labels.previous}
      </Button>
      <Button
        variant="secondary"
        disabled={!nextCursor || loading}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        {labels.next}
      </Button>
    </nav>
  );
}

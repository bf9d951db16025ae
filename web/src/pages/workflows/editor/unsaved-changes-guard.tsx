import { useBlocker } from "@tanstack/react-router";
import { ConfirmDialog } from "../../../components/ui/dialog.tsx";

/**
 * While `dirty`, leaving the page asks first: in-app navigation through a dialog, closing or
 * reloading the tab through the browser's own prompt.
 */
export function UnsavedChangesGuard({ dirty }: { dirty: boolean }) {
  const blocker = useBlocker({
    shouldBlockFn: () => dirty,
    enableBeforeUnload: () => dirty,
    withResolver: true,
  });
  return (
    <ConfirmDialog
      open={blocker.status === "blocked"}
      onOpenChange={(open) => !open && blocker.reset?.()}
      title="Leave without saving?"
      description="The workflow has changes that are not saved. They are lost if you leave."
      confirmLabel="Leave"
      onConfirm={() => blocker.proceed?.()}
    />
  );
}

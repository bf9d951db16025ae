import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button } from "./button.tsx";
import { FormError } from "./states.tsx";

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  children: ReactNode;
  /** "wide" for content such as tables that need more than a form's width. */
  size?: "normal" | "wide";
}

/**
 * A modal on the native <dialog>: focus trap, Escape and the inert page come from the
 * browser, and nothing injects a <style> element (the CSP allows none).
 */
export function Dialog({ open, onOpenChange, title, children, size = "normal" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={() => onOpenChange(false)}
      className={`m-auto w-full rounded-lg p-6 shadow-xl ${size === "wide" ? "max-w-2xl" : "max-w-md"}`}
    >
      {open && (
        <>
          <h2 id={titleId} className="mb-4 text-lg font-semibold">
            {title}
          </h2>
          {children}
        </>
      )}
    </dialog>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  /** The action's failure (the API's message), shown in the dialog, which stays open. */
  error?: unknown;
}

/** Asks before a destructive action; the confirm button carries the action's name. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
  pending,
  error,
}: ConfirmDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title}>
      <div className="text-sm text-slate-600">{description}</div>
      {error ? (
        <div className="mt-4">
          <FormError error={error} />
        </div>
      ) : null}
      <div className="mt-6 flex justify-end gap-2">
        <Button variant="secondary" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button variant="danger" pending={pending} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}

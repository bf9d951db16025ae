import type { ReactNode } from "react";
import { Button } from "./button.tsx";

/** A form's closing row: a secondary button that leaves, and the submit button. */
export function FormActions({
  submit,
  onCancel,
  cancel = "Cancel",
  pending,
  disabled,
}: {
  submit: ReactNode;
  onCancel: () => void;
  cancel?: string;
  pending?: boolean;
  disabled?: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button variant="secondary" onClick={onCancel}>
        {cancel}
      </Button>
      <Button type="submit" pending={pending} disabled={disabled}>
        {submit}
      </Button>
    </div>
  );
}

import * as RadixToast from "@radix-ui/react-toast";
import { useSyncExternalStore } from "react";

interface ToastItem {
  id: number;
  message: string;
  tone: "success" | "error";
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const listener of listeners) listener();
};

function push(message: string, tone: ToastItem["tone"]) {
  items = [...items, { id: nextId++, message, tone }];
  emit();
}

/** Short notices after an action: `toast.success("Invitation sent")`, `toast.error(message)`. */
export const toast = {
  success: (message: string) => push(message, "success"),
  error: (message: string) => push(message, "error"),
};

function dismiss(id: number) {
  items = items.filter((item) => item.id !== id);
  emit();
}

/** Mounted once at the root: renders the queued toasts in an announced region. */
export function Toaster() {
  const current = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => items,
  );
  return (
    <RadixToast.Provider duration={5000}>
      {current.map((item) => (
        <RadixToast.Root
          key={item.id}
          type={item.tone === "error" ? "foreground" : "background"}
          onOpenChange={(open) => !open && dismiss(item.id)}
          className={`flex items-start justify-between gap-4 rounded-md p-3 text-sm shadow-lg ${
            item.tone === "error" ? "bg-red-700 text-white" : "bg-slate-900 text-white"
          }`}
        >
          <RadixToast.Description>{item.message}</RadixToast.Description>
          <RadixToast.Close aria-label="Dismiss" className="opacity-70 hover:opacity-100">
            ×
          </RadixToast.Close>
        </RadixToast.Root>
      ))}
      <RadixToast.Viewport className="fixed right-4 bottom-4 z-50 flex w-96 max-w-full flex-col gap-2" />
    </RadixToast.Provider>
  );
}

import { type KeyboardEvent, useEffect, useId, useRef } from "react";

export interface MenuItem {
  /** Shown in the menu. */
  label: string;
  /** The accessible name when the label alone would be ambiguous (e.g. "Delete Leads in"). */
  name?: string;
  /** It deletes or removes something: drawn in red, set apart by a rule (put it last). */
  destructive?: boolean;
  onSelect: () => void;
}

/**
 * A "⋯" button opening a menu of further actions. It is a native popover, so it sits above
 * tables that clip their overflow, closes on a click outside or Escape (focus back on the
 * button), and needs no injected styles; arrow keys, Home and End move between the items.
 */
export function Menu({ label, items }: { label: string; items: MenuItem[] }) {
  const id = useId();
  const menu = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const shown = items.length > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the popover exists once there are items
  useEffect(() => {
    const popover = menu.current;
    if (!popover) return;
    const close = () => popover.hidePopover();
    const onBeforeToggle = (event: Event) => {
      if ((event as ToggleEvent).newState !== "open") return;
      // below the button, right edges aligned (the actions column is the table's last)
      const anchor = trigger.current?.getBoundingClientRect();
      if (!anchor) return;
      popover.style.top = `${anchor.bottom + 4}px`;
      popover.style.right = `${document.documentElement.clientWidth - anchor.right}px`;
    };
    const onToggle = (event: Event) => {
      if ((event as ToggleEvent).newState === "open") {
        popover.querySelector<HTMLElement>("[role=menuitem]")?.focus();
        // it is placed once: scrolling would leave it behind, so it closes
        window.addEventListener("scroll", close, { capture: true, once: true });
      } else {
        window.removeEventListener("scroll", close, { capture: true });
      }
    };
    popover.addEventListener("beforetoggle", onBeforeToggle);
    popover.addEventListener("toggle", onToggle);
    return () => {
      popover.removeEventListener("beforetoggle", onBeforeToggle);
      popover.removeEventListener("toggle", onToggle);
      window.removeEventListener("scroll", close, { capture: true });
    };
  }, [shown]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const to = {
      ArrowDown: (at + 1) % entries.length,
      ArrowUp: (at - 1 + entries.length) % entries.length,
      Home: 0,
      End: entries.length - 1,
    }[event.key];
    if (to !== undefined) {
      event.preventDefault();
      entries[to]?.focus();
    } else if (event.key === "Tab") {
      menu.current?.hidePopover();
    }
  };

  if (!shown) return null;
  return (
    <>
      <button
        ref={trigger}
        type="button"
        popoverTarget={id}
        aria-haspopup="menu"
        aria-label={label}
        title={label}
        className="rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <div
        ref={menu}
        id={id}
        popover="auto"
        role="menu"
        aria-label={label}
        onKeyDown={onKeyDown}
        className="fixed inset-auto m-0 min-w-36 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
      >
        {items.map((item) => (
          <button
            key={item.label}
            type="button"
            role="menuitem"
            tabIndex={-1}
            aria-label={item.name}
            onClick={() => {
              menu.current?.hidePopover();
              trigger.current?.focus();
              item.onSelect();
            }}
            className={
              item.destructive
                ? "mt-1 block w-full rounded border-t border-slate-100 px-3 py-2 text-left text-sm text-red-700 hover:bg-red-50 focus:bg-red-50 focus:outline-none"
                : "block w-full rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100 focus:outline-none"
            }
          >
            {item.label}
          </button>
        ))}
      </div>
    </>
  );
}

import type { NodeTypeInfo } from "./editor-api.ts";

const groups = [
  { group: "trigger", title: "Triggers" },
  { group: "action", title: "Actions" },
  { group: "logic", title: "Logic" },
  { group: "review", title: "Review" },
] as const;

/**
 * The node types to add, grouped as the server groups them. A workflow has one trigger, so
 * triggers are offered only while it has none. A new node goes after the selected one.
 */
export function NodePalette({
  nodeTypes,
  hasTrigger,
  onAdd,
}: {
  nodeTypes: readonly NodeTypeInfo[];
  hasTrigger: boolean;
  onAdd: (type: NodeTypeInfo) => void;
}) {
  return (
    <nav aria-label="Node palette" className="w-40 shrink-0 space-y-4 overflow-y-auto pr-2">
      {groups.map(({ group, title }) => {
        const members = nodeTypes.filter((t) => t.group === group);
        if (!members.length) return null;
        return (
          <section key={group} aria-label={title}>
            <h2 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">
              {title}
            </h2>
            <ul className="space-y-1">
              {members.map((type) => (
                <li key={type.type}>
                  <button
                    type="button"
                    aria-label={`Add ${type.displayName}`}
                    disabled={group === "trigger" && hasTrigger}
                    title={
                      group === "trigger" && hasTrigger ? "A workflow has one trigger" : undefined
                    }
                    onClick={() => onAdd(type)}
                    className="w-full rounded-md border border-slate-200 bg-white px-2 py-1.5 text-left text-sm text-slate-800 hover:border-indigo-400 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
                  >
                    {type.displayName}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <p className="text-xs text-slate-500">
        A new node is connected after the selected one. Drag from an output to an input, or use
        Connect…; Delete removes what is selected, Ctrl+Z undoes.
      </p>
    </nav>
  );
}

import { EmptyState } from "../../components/ui/states.tsx";

/** A page whose screen is not built yet: its route and navigation entry already exist. */
export function PlaceholderPage({ title }: { title: string }) {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <EmptyState title="This page is coming soon" />
    </div>
  );
}

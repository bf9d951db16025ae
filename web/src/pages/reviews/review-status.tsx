/** The statuses `reviews.list` filters by (src/modules/reviews/inputs.ts). */
export const reviewStatuses = ["pending", "approved", "rejected", "expired", "cancelled"] as const;

const tones: Record<string, string> = {
  pending: "bg-amber-100 text-amber-900",
  approved: "bg-emerald-100 text-emerald-900",
  rejected: "bg-red-100 text-red-900",
  expired: "bg-slate-200 text-slate-700",
  cancelled: "bg-slate-200 text-slate-700",
};

/** A review's status as a coloured word (the word itself carries the meaning). */
export function ReviewStatus({ status }: { status: string }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${tones[status] ?? tones.expired}`}
    >
      {status}
    </span>
  );
}

export const formatTime = (value: string | Date | null | undefined) =>
  value ? new Date(value).toLocaleString() : "—";

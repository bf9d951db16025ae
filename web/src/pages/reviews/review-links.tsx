import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { MAX_LINK_USES, MAX_REVIEW_SECONDS } from "../../../../src/modules/reviews/limits.ts";
import { Button } from "../../components/ui/button.tsx";
import { ConfirmDialog } from "../../components/ui/dialog.tsx";
import { Field } from "../../components/ui/field.tsx";
import { EmptyState, FormError } from "../../components/ui/states.tsx";
import { Cell, Table } from "../../components/ui/table.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";
import type { Review } from "./review-detail.tsx";
import { formatTime } from "./review-status.tsx";

type Link = Review["links"][number];

/** Whole hours up to the longest a review may last; a link never outlives its review anyway. */
const MAX_LINK_HOURS = MAX_REVIEW_SECONDS / 3600;

const linkState = (link: Link) => {
  if (link.revokedAt) return "revoked";
  if (new Date(link.expiresAt) <= new Date()) return "expired";
  if (link.decisions >= link.maxUses) return "used up";
  return "active";
};

/** Public links that let someone without an account decide: create (URL shown once), revoke. */
export function ReviewLinks({ review }: { review: Review }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["reviews.get", review.id] });
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Link | null>(null);
  const [hours, setHours] = useState("");
  const [maxUses, setMaxUses] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api.reviews.createLink.mutate({
        reviewId: review.id,
        ...(hours && { expiresInSeconds: Number(hours) * 3600 }),
        ...(maxUses && { maxUses: Number(maxUses) }),
      }),
    meta: { inlineError: true },
    onSuccess: (link) => {
      setCreated(link.url);
      setHours("");
      setMaxUses("");
      toast.success("Public link created");
      return refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (linkId: string) => api.reviews.revokeLink.mutate({ reviewId: review.id, linkId }),
    meta: { inlineError: true },
    onSuccess: () => {
      toast.success("Link revoked");
      setRevoking(null);
      return refresh();
    },
  });
  return (
    <section className="space-y-3">
      <h2 className="text-lg font-medium">Public links</h2>
      {review.status === "pending" && (
        <form
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <div className="w-48">
            <Field
              label="Link expires in (hours)"
              hint={`Optional, 1 to ${MAX_LINK_HOURS}; at most until the review expires`}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_LINK_HOURS}
              step={1}
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          </div>
          <div className="w-48">
            <Field
              label="Max uses"
              hint={`Optional, 1 to ${MAX_LINK_USES}; 1 if empty`}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_LINK_USES}
              step={1}
              value={maxUses}
              onChange={(e) => setMaxUses(e.target.value)}
            />
          </div>
          <Button type="submit" variant="secondary" pending={create.isPending}>
            Create public link
          </Button>
        </form>
      )}
      <FormError error={create.error} />
      {created && <CreatedLink url={created} onDone={() => setCreated(null)} />}
      {review.links.length === 0 ? (
        <EmptyState title="No public links" />
      ) : (
        <Table
          caption="Public links"
          head={["Created", "Expires", "Decisions", "State", "Actions"]}
        >
          {review.links.map((link) => (
            <tr key={link.id}>
              <Cell>{formatTime(link.createdAt)}</Cell>
              <Cell>{formatTime(link.expiresAt)}</Cell>
              <Cell>
                {link.decisions} of {link.maxUses}
              </Cell>
              <Cell>{linkState(link)}</Cell>
              <Cell>
                {!link.revokedAt && (
                  <Button
                    variant="ghost"
                    aria-label={`Revoke link created ${formatTime(link.createdAt)}`}
                    onClick={() => setRevoking(link)}
                  >
                    Revoke
                  </Button>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (open) return;
          setRevoking(null);
          revoke.reset();
        }}
        title="Revoke this link?"
        description="Whoever holds it can no longer view or decide the review."
        confirmLabel="Revoke link"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </section>
  );
}

/** The new link's URL, this once: the server keeps only its hash. */
function CreatedLink({ url, onDone }: { url: string; onDone: () => void }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      toast.success("Link copied");
    } catch {
      toast.error("Could not copy: select the link and copy it yourself");
    }
  };
  return (
    <div className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4">
      <p role="alert" className="text-sm font-medium text-amber-900">
        Copy this link now: it will not be shown again. Anyone holding it can decide the review.
      </p>
      <Field label="Public link" value={url} readOnly onFocus={(e) => e.target.select()} />
      <div className="flex gap-2">
        <Button onClick={copy}>Copy link</Button>
        <Button variant="secondary" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}

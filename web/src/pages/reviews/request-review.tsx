import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { parsePayload } from "../../components/payload/payload.ts";
import { PayloadField } from "../../components/payload/payload-field.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Dialog } from "../../components/ui/dialog.tsx";
import { Field, SelectField, TextAreaField } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { toast } from "../../components/ui/toast.tsx";
import { api } from "../../lib/trpc.ts";

const HOUR = 3600;
const lifetimes = [
  { value: String(HOUR), label: "1 hour" },
  { value: String(24 * HOUR), label: "24 hours" },
  { value: String(72 * HOUR), label: "3 days" },
  { value: String(7 * 24 * HOUR), label: "7 days" },
  { value: String(30 * 24 * HOUR), label: "30 days" },
];

/** Raises a review by hand (OWNER, ADMIN): routed to named members or to any reviewer. */
export function RequestReviewDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Request a review" size="wide">
      <RequestReviewForm onCancel={() => onOpenChange(false)} />
    </Dialog>
  );
}

function RequestReviewForm({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [payloadText, setPayloadText] = useState("");
  const [payloadError, setPayloadError] = useState<string | null>(null);
  const [assignees, setAssignees] = useState<string[]>([]);
  const [anyReviewer, setAnyReviewer] = useState(false);
  const [lifetime, setLifetime] = useState(String(72 * HOUR));
  const request = useMutation({
    meta: { inlineError: true },
    mutationFn: (payload: Record<string, unknown>) =>
      api.reviews.request.mutate({
        title,
        body,
        payload,
        assignees,
        anyReviewer,
        expiresInSeconds: Number(lifetime),
      }),
    onSuccess: async ({ id }) => {
      toast.success("Review requested");
      await queryClient.invalidateQueries({ queryKey: ["reviews.list"] });
      await navigate({ to: "/reviews/$reviewId", params: { reviewId: id } });
    },
  });
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        const parsed = parsePayload(payloadText);
        if ("error" in parsed) {
          setPayloadError(parsed.error);
          return;
        }
        setPayloadError(null);
        request.mutate(parsed.payload);
      }}
    >
      <Field
        label="Title"
        required
        maxLength={300}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
      <TextAreaField
        label="Details"
        rows={4}
        maxLength={20_000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
      />
      <PayloadField
        label="Payload (JSON, optional)"
        hint="A JSON object shown to the reviewers as it is, e.g. the order under review."
        rows={4}
        value={payloadText}
        onChange={setPayloadText}
        error={payloadError}
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Reviewers</legend>
        <CheckboxField
          label="Any reviewer of the organization"
          checked={anyReviewer}
          onChange={(e) => setAnyReviewer(e.target.checked)}
        />
        <MemberChoice selected={assignees} onChange={setAssignees} />
      </fieldset>
      <SelectField
        label="Expires after"
        value={lifetime}
        options={lifetimes}
        onChange={(e) => setLifetime(e.target.value)}
      />
      <FormError error={request.error} />
      <FormActions submit="Request review" onCancel={onCancel} pending={request.isPending} />
    </form>
  );
}

/** The members a review can be assigned to by name, one checkbox each. */
function MemberChoice({
  selected,
  onChange,
}: {
  selected: string[];
  onChange: (memberIds: string[]) => void;
}) {
  const members = useQuery({
    queryKey: ["members.list"],
    queryFn: () => api.members.list.query().then((page) => page.items),
  });
  if (members.isPending) return <Spinner />;
  if (members.isError) return <ErrorState error={members.error} onRetry={members.refetch} />;
  return (
    <div className="max-h-40 space-y-1 overflow-y-auto">
      {members.data.map((m) => (
        <CheckboxField
          key={m.id}
          label={`${m.name ? `${m.name} <${m.email}>` : m.email} (${m.role})`}
          checked={selected.includes(m.id)}
          onChange={(e) =>
            onChange(e.target.checked ? [...selected, m.id] : selected.filter((id) => id !== m.id))
          }
        />
      ))}
    </div>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../components/ui/button.tsx";
import { CheckboxField } from "../../components/ui/checkbox.tsx";
import { Field } from "../../components/ui/field.tsx";
import { ErrorState, FormError, Spinner } from "../../components/ui/states.tsx";
import { type EventType, eventTypesQuery } from "./webhooks-api.ts";

export interface EndpointFields {
  url: string;
  description: string;
  eventTypes: EventType[];
}

interface Props {
  initial: EndpointFields;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (fields: EndpointFields) => void;
}

/** URL, description and subscribed event types (the choices come from the server). */
export function EndpointForm({ initial, submitLabel, pending, error, onSubmit }: Props) {
  const eventTypes = useQuery(eventTypesQuery);
  const [fields, setFields] = useState(initial);
  const toggle = (type: EventType, on: boolean) =>
    setFields((current) => ({
      ...current,
      eventTypes: on
        ? [...current.eventTypes, type]
        : current.eventTypes.filter((existing) => existing !== type),
    }));
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(fields);
      }}
    >
      <Field
        label="Endpoint URL"
        type="url"
        required
        placeholder="https://example.com/fluxo-events"
        value={fields.url}
        onChange={(e) => setFields({ ...fields, url: e.target.value })}
        hint="https only; plain http only to hosts the operator allows."
      />
      <Field
        label="Description"
        maxLength={500}
        value={fields.description}
        onChange={(e) => setFields({ ...fields, description: e.target.value })}
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        {eventTypes.isPending && <Spinner label="Loading event types…" />}
        {eventTypes.isError && (
          <ErrorState error={eventTypes.error} onRetry={() => eventTypes.refetch()} />
        )}
        <div className="grid grid-cols-2 gap-2">
          {eventTypes.data?.map((type) => (
            <CheckboxField
              key={type}
              label={type}
              checked={fields.eventTypes.includes(type)}
              onChange={(e) => toggle(type, e.target.checked)}
            />
          ))}
        </div>
      </fieldset>
      <FormError error={error} />
      <Button type="submit" pending={pending}>
        {submitLabel}
      </Button>
    </form>
  );
}

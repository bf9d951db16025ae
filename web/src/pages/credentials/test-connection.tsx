import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "../../components/ui/field.tsx";
import { FormActions } from "../../components/ui/form-actions.tsx";
import { FormError } from "../../components/ui/states.tsx";
import { api } from "../../lib/trpc.ts";
import type { Credential, CredentialType } from "./credentials-api.ts";

/**
 * Tries the credential against its service; an HTTP credential has no address of its own, so
 * the tester names an endpoint that needs it. The result says only whether it worked and why not.
 */
export function TestConnection({
  credential,
  type,
  onClose,
}: {
  credential: Credential;
  type: CredentialType;
  onClose: () => void;
}) {
  const [url, setUrl] = useState("");
  const test = useMutation({
    meta: { inlineError: true },
    mutationFn: () =>
      api.credentials.testConnection.mutate({
        credentialId: credential.id,
        ...(type.connectionTest === "url" ? { url } : {}),
      }),
  });
  const result = test.data;
  return (
    <form
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        test.mutate();
      }}
    >
      {type.connectionTest === "url" ? (
        <Field
          label="Endpoint URL"
          type="url"
          required
          placeholder="https://api.example.com/me"
          hint="Fluxo sends a GET with this credential; any 2xx answer passes."
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      ) : (
        <p className="text-sm text-slate-600">
          Fluxo connects to the server in the credential's settings and signs in.
        </p>
      )}
      <div role="status" className="min-h-6 text-sm">
        {result?.ok === true && <p className="font-medium text-green-700">Connection works</p>}
        {result?.ok === false && (
          <p className="font-medium text-red-700">Connection failed: {result.error}</p>
        )}
      </div>
      <FormError error={test.error} />
      <FormActions
        submit="Test connection"
        onCancel={onClose}
        cancel="Close"
        pending={test.isPending}
      />
    </form>
  );
}

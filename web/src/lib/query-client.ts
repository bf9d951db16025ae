import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { toast } from "../components/ui/toast.tsx";
import { errorMessage, isClientError, isUnauthorized } from "./errors.ts";

declare module "@tanstack/react-query" {
  interface Register {
    /** `meta: { inlineError: true }`: the form shows the error itself, no toast. */
    mutationMeta: { inlineError?: boolean };
  }
}

/**
 * One convention for failures: a 401 anywhere sends the user to sign in (and back after);
 * a failed mutation shows the API's message as a toast unless its form shows it inline.
 * Failed queries render <ErrorState> where they are used.
 */
export function createQueryClient(onUnauthorized: () => void) {
  const handle = (error: unknown) => {
    if (isUnauthorized(error)) onUnauthorized();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: handle }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        handle(error);
        if (!isUnauthorized(error) && !mutation.meta?.inlineError) toast.error(errorMessage(error));
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // A refusal (4xx) answers the same the second time: show it at once, retry only
        // what may pass on another try (network, 5xx).
        retry: (count, error) => !isClientError(error) && count < 1,
      },
    },
  });
}

import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../../src/trpc/router.ts";

/**
 * The typed API client. Pages call it inside TanStack Query hooks:
 * `useQuery({ queryKey: ["workflows.get", input], queryFn: () => api.workflows.get.query(input) })`.
 * Every `*.list` answers `{ items, nextCursor }`.
 * The session cookie goes along (same origin); nothing is kept in localStorage.
 */
export const api = createTRPCClient<AppRouter>({
  // The server refuses batches of more than 20 calls (TRPC_MAX_BATCH_SIZE in src/trpc/handler.ts).
  links: [httpBatchLink({ url: "/trpc", maxURLLength: 2000, maxItems: 20 })],
});

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** What the app's Better Auth hooks read of a request: its endpoint path, body and answer. */
export interface AuthHookContext {
  path?: string;
  body?: unknown;
  context: { returned?: unknown };
}

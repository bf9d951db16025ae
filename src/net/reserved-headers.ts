/**
 * Request headers that decide framing, routing or connection handling. Fluxo sets them from
 * the vetted target and the body it sends; letting a workflow or a credential set them would
 * allow request smuggling or another virtual host than the vetted one.
 */
export const RESERVED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
]);

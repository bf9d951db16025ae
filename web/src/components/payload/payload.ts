/**
 * A payload typed as JSON text: it must be an object (a run's becomes `trigger` in
 * expressions, a signal's the waiting node's output, a review's is shown to its reviewers).
 * Empty text is an empty object.
 */
export function parsePayload(
  text: string,
): { payload: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { payload: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { error: `Payload is not valid JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { error: 'Payload must be a JSON object, e.g. {"orderId": 42}' };
  return { payload: parsed as Record<string, unknown> };
}

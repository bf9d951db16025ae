const SENSITIVE_KEY = /authorization|cookie|password|passwd|secret|token|api[-_]?key|credential/i;
const MAX_VIEW_CHARS = 16_000;

/** Replaces the values of sensitive-looking keys, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SENSITIVE_KEY.test(k) ? "[redacted]" : redact(v)]),
    );
  }
  return value;
}

/**
 * What the execution log shows of a node's input or output: sensitive keys redacted, and
 * anything large cut down with a marker saying how big it was.
 */
export function logView(value: unknown): unknown {
  if (value === undefined || value === null) return value ?? null;
  const redacted = redact(value);
  const json = JSON.stringify(redacted);
  if (json.length <= MAX_VIEW_CHARS) return redacted;
  return { truncated: true, originalChars: json.length, preview: json.slice(0, MAX_VIEW_CHARS) };
}

import pg from "pg";

/**
 * Counts every statement this process sends to PostgreSQL (node-postgres clients, pooled or
 * not; PGlite is not counted). Returns the running total; its `byText` keeps a count per statement
 * text (its first 160 characters, whitespace folded), the client-side stand-in for
 * pg_stat_statements on a server that does not preload it.
 */
export function countStatements(): (() => number) & { byText(): Map<string, number> } {
  let statements = 0;
  const texts = new Map<string, number>();
  const clientQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    const first = args[0] as string | { text?: string } | undefined;
    const text = (typeof first === "string" ? first : (first?.text ?? "?"))
      .replace(/\s+/g, " ")
      .slice(0, 160);
    texts.set(text, (texts.get(text) ?? 0) + 1);
    return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof clientQuery;
  return Object.assign(() => statements, { byText: () => new Map(texts) });
}

/** Sends one message to the parent process of a benchmark instance and waits until it left. */
export const sendToParent = (message: object) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );

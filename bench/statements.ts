import pg from "pg";

/**
 * Counts every statement this process sends to PostgreSQL (node-postgres clients, pooled or
 * not; PGlite is not counted). Returns the running total.
 */
export function countStatements(): () => number {
  let statements = 0;
  const clientQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof clientQuery;
  return () => statements;
}

/** Sends one message to the parent process of a benchmark instance and waits until it left. */
export const sendToParent = (message: object) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(message, (error: Error | null) => (error ? reject(error) : resolve())),
  );

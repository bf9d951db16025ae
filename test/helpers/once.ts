/** Runs `fn` the first time only; later calls share its promise (idempotent close). */
export function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  return () => {
    running ??= fn();
    return running;
  };
}

/**
 * Claims waiting, in this process, for their organization to drop below its concurrency limit:
 * when one of the org's executions here stops being advanced, the longest waiting claim of that
 * org is woken to try again at once, instead of its job being put back for a second. One at a
 * time per freed slot, so a full org does not answer every finish with a burst of claims.
 * Executions finishing in other processes wake nobody here: a waiting claim also gives up
 * after its deadline, and its job goes back to the queue as before.
 */
const waiting = new Map<string, (() => void)[]>();

/** Resolves when a slot of the org was freed in this process, or after `ms`. */
export function slotFreed(orgId: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const queue = waiting.get(orgId) ?? [];
    waiting.set(orgId, queue);
    const wake = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      const index = queue.indexOf(wake);
      if (index >= 0) queue.splice(index, 1);
      if (queue.length === 0 && waiting.get(orgId) === queue) waiting.delete(orgId);
      resolve();
    }, ms);
    queue.push(wake);
  });
}

/** One of the org's executions stopped being advanced here: its slot goes to the longest waiter. */
export function freeSlot(orgId: string): void {
  const queue = waiting.get(orgId);
  const wake = queue?.shift();
  if (queue?.length === 0) waiting.delete(orgId);
  wake?.();
}

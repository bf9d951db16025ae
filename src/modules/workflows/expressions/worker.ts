import { setPriority } from "node:os";
import { AppError } from "../../../lib/errors.ts";
import { checkSyntaxOfAll } from "../expressions.ts";
import { evaluateInThread } from "./evaluate.ts";
import type { WorkerReply, WorkerTask } from "./pool.ts";

/**
 * An expression worker process (see pool.ts): evaluates one parameter tree at a time and
 * reports each expression before it starts, so that the pool can say which one it stopped.
 */
const send = process.send?.bind(process);
if (!send) throw new Error("expressions/worker.ts runs only as a child process with IPC");
// A reply the parent can no longer receive is dropped: it has gone, and "disconnect" follows.
const reply = (message: WorkerReply) => send(message, undefined, undefined, () => {});

// A lower CPU priority: however busy the workers are, the server's own process comes first.
try {
  setPriority(10);
} catch {
  // not permitted here; the worker runs at normal priority
}

process.on("message", async (task: WorkerTask) => {
  if ("check" in task) {
    reply({ type: "done", value: checkSyntaxOfAll(task.check, task.limits) });
    return;
  }
  try {
    const value = await evaluateInThread(task.params, task.data, task.limits, (start) =>
      reply({ type: "segment", ...start }),
    );
    reply({ type: "done", value });
  } catch (error) {
    if (error instanceof AppError) {
      reply({ type: "failed", message: error.message, details: error.details });
    } else {
      reply({ type: "failed", message: "Expression could not be evaluated" });
    }
  }
});
// The parent going away ends the worker too.
process.on("disconnect", () => process.exit(0));
reply({ type: "ready" });

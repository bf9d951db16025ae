import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestClient } from "../helpers/client.ts";

export interface SinkRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A real HTTP server on loopback that records requests and answers as `respond` says. */
export async function startSink(
  respond: (req: SinkRequest, res: ServerResponse) => void = (_req, res) => res.end("{}"),
) {
  const requests: SinkRequest[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
      requests.push(recorded);
      respond(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ExecutionView {
  id: string;
  status: string;
  error: string | null;
  steps: {
    nodeId: string;
    status: string;
    attempt: number;
    port: string | null;
    output: unknown;
    error: string | null;
  }[];
}

/** Polls an execution until its status is one of `statuses` (the engine runs in the background). */
export async function waitForExecution(
  client: TestClient,
  executionId: string,
  statuses: string[] = ["succeeded", "failed", "cancelled"],
  timeoutMs = 20_000,
): Promise<ExecutionView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await client.query<ExecutionView>("executions.get", { executionId });
    if (statuses.includes(execution.status)) return execution;
    if (Date.now() > deadline)
      throw new Error(`execution stayed ${execution.status}: ${JSON.stringify(execution)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const stepOf = (execution: ExecutionView, nodeId: string) =>
  execution.steps.find((s) => s.nodeId === nodeId);

/** Creates a workflow and saves `definition` as its first version. */
export async function workflowWith(client: TestClient, definition: unknown, name = "wf") {
  const { id } = await client.mutate<{ id: string }>("workflows.create", { name });
  const saved = await client.mutate<{ version: number; webhookSecret?: string }>(
    "workflows.saveDefinition",
    {
      workflowId: id,
      definition,
    },
  );
  return { id, ...saved };
}

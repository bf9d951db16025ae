/**
 * Test helpers for node types (used by *.test.ts only): a NodeContext with a fake
 * credential provider, a loopback-only outbound guard, and a recording HTTP server.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Mailer } from "../../../lib/mailer.ts";
import { parseAllowlist } from "../../../net/allowlist.ts";
import { createOutbound, type Outbound, type OutboundOptions } from "../../../net/outbound.ts";
import { loopbackOnlyConnect } from "../../../net/testing.ts";
import type { UnsealedCredential } from "../../vault/use.ts";
import type { NodeContext, NodeResult, NodeType } from "./types.ts";

/** The guard as tests use it: 127.0.0.1 allowlisted, and no socket to anything but loopback. */
export function loopbackOutbound(options: OutboundOptions = {}): Outbound {
  return createOutbound({
    allow: parseAllowlist("127.0.0.1:*"),
    connect: loopbackOnlyConnect(),
    timeoutMs: 5000,
    ...options,
  });
}

export function credential(
  type: string,
  settings: Record<string, unknown>,
  secret: Record<string, unknown>,
): UnsealedCredential {
  return { id: `cred-${type}`, type, settings, secret };
}

/** A system mailer that fails the test if a node uses it when it should not. */
export const unusedMailer: Mailer = {
  async send() {
    throw new Error("test: the system mailer was used");
  },
  close() {},
};

export interface RunOptions {
  credential?: UnsealedCredential;
  outbound?: Outbound;
  systemMailer?: Mailer;
  signal?: AbortSignal;
}

/**
 * Runs `node` as the engine would: parameters through the node's schema (so defaults apply
 * and invalid ones throw), and a credential handed over only if the node accepts its type.
 */
export function runNode<P>(
  node: NodeType<P>,
  parameters: unknown,
  options: RunOptions = {},
): Promise<NodeResult> {
  const given = options.credential;
  const ctx: NodeContext<P> = {
    orgId: "org-test",
    executionId: "exec-test",
    nodeId: "node-test",
    parameters: node.parameters.parse(parameters),
    signal: options.signal ?? new AbortController().signal,
    outbound: options.outbound ?? loopbackOutbound(),
    systemMailer: options.systemMailer ?? unusedMailer,
    hasCredential: given !== undefined,
    requestReview: () => Promise.reject(new Error("test: reviews are not available here")),
    async useCredential(provider) {
      if (!given) throw new Error("test: the node has no credential");
      if (!node.credential?.types.includes(given.type)) {
        throw new Error(`test: ${node.type} does not accept ${given.type}`);
      }
      return provider(given);
    },
  };
  return node.run(ctx);
}

/** The output of a result that is neither a wait nor anything else. */
export function outputOf(result: NodeResult): Record<string, unknown> {
  if (!("output" in result)) throw new Error("expected an output, got a wait");
  return result.output as Record<string, unknown>;
}

/** Resolves to the error `promise` rejects with; fails if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure, but the call succeeded");
}

export interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: Received, res: http.ServerResponse) => void;

/** A node:http server on 127.0.0.1 that records every request before `handler` answers. */
export async function startHttpServer(handler: Handler) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const entry = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

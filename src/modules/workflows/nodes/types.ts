import type { z } from "zod";
import type { Mailer } from "../../../lib/mailer.ts";
import type { Outbound } from "../../../net/outbound.ts";
import type { UnsealedCredential } from "../../vault/use.ts";

/**
 * What a node sees while it runs. Parameters arrive with every `{{ expression }}` already
 * evaluated and validated by the node's schema. Secrets are reachable only through
 * `useCredential`, which re-checks the grant and the type on every call.
 */
export interface NodeContext<P> {
  orgId: string;
  executionId: string;
  nodeId: string;
  parameters: P;
  /** Aborted when the node's timeout passes or the execution is cancelled. */
  signal: AbortSignal;
  /** Every outbound connection goes through the guard. */
  outbound: Outbound;
  /**
   * The instance's own mailer, for nodes sending without an smtp credential; it delivers only
   * to members of the organization.
   */
  systemMailer: Mailer;
  /** True when the node was given a credential. */
  hasCredential: boolean;
  /**
   * Raises a review (human decision) for this execution node: `notify` sends the links before
   * anything is stored, and if it throws, no review is raised. Idempotent per node: run again,
   * it finds the review and neither issues links nor notifies.
   */
  requestReview(
    review: ReviewRequest,
    notify: (raised: RaisedReview) => Promise<void>,
  ): Promise<RaisedReview>;
  /** Runs `provider` with the node's decrypted credential; the plaintext must not escape. */
  useCredential<T>(provider: (credential: UnsealedCredential) => Promise<T>): Promise<T>;
}

export interface ReviewRequest {
  title: string;
  body: string;
  payload: Record<string, unknown>;
  assignees: string[];
  anyReviewer: boolean;
  expiresInSeconds: number;
  /** A public review link to put in notifications. */
  publicLink: boolean;
  /** Recipients (labels) to issue single-use approve/reject links for. */
  quickActionsFor: string[];
}

export interface RaisedReview {
  reviewId: string;
  expiresAt: Date;
  /** False when the node ran before and the review already existed (no new links). */
  created: boolean;
  linkUrl?: string;
  quickActions: Record<string, { approved: string; rejected: string }>;
}

/** A node's outcome: output data, and for branching nodes the port the execution follows. */
export type NodeResult =
  | { output: unknown; port?: string }
  /**
   * Park the execution until an event with `key` arrives (it names the port to continue on)
   * or `timeoutMs` passes (continue on `timeoutPort`, or fail when it is null).
   */
  | { wait: { key: string; timeoutMs: number; timeoutPort: string | null } };

export interface NodeType<P = unknown> {
  type: string;
  displayName: string;
  kind: "trigger" | "action";
  /** Where an editor's palette lists an action: with the actions unless said otherwise. */
  group?: "logic" | "review";
  /** Validates the parameters after expression evaluation. */
  parameters: z.ZodType<P>;
  /** Parameter fields that must be literal (no expressions), e.g. a SQL statement. */
  literalFields?: readonly string[];
  /** Credential types the node accepts; `required` refuses a node saved without one. */
  credential?: { types: readonly string[]; required: boolean };
  /** Output ports; a node without this list has the single port "main". */
  ports?: readonly string[];
  /**
   * No side effects (it only computes from its parameters): the engine records just its
   * result, since running it again after a crash changes nothing.
   */
  pure?: boolean;
  /** Default retry policy; a node in a definition may override it. */
  retry?: { attempts: number; backoffMs: number };
  /** Default timeout in milliseconds; a node in a definition may override it. */
  timeoutMs?: number;
  run(ctx: NodeContext<P>): Promise<NodeResult>;
}

/** Keeps the literal parameter type of a node definition. */
export const defineNode = <P>(node: NodeType<P>) => node;

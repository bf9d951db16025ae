import type { z } from "zod";
import type { MemberContext } from "../../access/context.ts";
import { AppError, badRequest } from "../../lib/errors.ts";
import { connectPostgres, parsePostgresUrl, type SslMode } from "../../net/clients/postgres.ts";
import { smtpTransport } from "../../net/clients/smtp.ts";
import { OutboundError } from "../../net/errors.ts";
import type { Outbound } from "../../net/outbound.ts";
import { applyCredential } from "../workflows/nodes/http-request.ts";
import { credentialInputs } from "./inputs.ts";
import type { VaultDeps } from "./service.ts";
import { type UnsealedCredential, withCredential } from "./use.ts";

type Check = (
  outbound: Outbound,
  credential: UnsealedCredential,
  url: string | undefined,
) => Promise<void>;
const text = (v: unknown) => String(v ?? "");

/**
 * A GET to the endpoint the tester names, with the credential applied exactly as the HTTP
 * Request node applies it; any 2xx passes. Only the status is reported, never the body.
 */
const httpCheck: Check = async (outbound, credential, url) => {
  if (!url)
    throw badRequest(
      "url is required: the address of an endpoint that needs this credential",
      "url",
    );
  const headers = new Headers();
  applyCredential(headers, credential);
  const response = await outbound.fetch(url, {
    headers,
    timeoutMs: 10_000,
    maxResponseBytes: 64 * 1024,
    truncateResponse: true,
  });
  if (!response.ok) throw new HttpStatusError(response.status);
};

class HttpStatusError extends Error {
  constructor(readonly status: number) {
    super(`the server answered ${status}`);
  }
}

/** Types whose connection can be checked cheaply and without side effects. */
const checks: Record<string, Check> = {
  http_bearer: httpCheck,
  http_basic: httpCheck,
  http_header: httpCheck,
  async smtp(outbound, { settings, secret }) {
    const transport = await smtpTransport(outbound, {
      host: text(settings.host),
      port: Number(settings.port),
      secure: Boolean(settings.secure),
      user: text(settings.user),
      password: text(secret.password),
    });
    try {
      await transport.verify();
    } finally {
      transport.close();
    }
  },
  async postgres(outbound, { settings, secret }) {
    const target =
      settings.mode === "url"
        ? parsePostgresUrl(text(secret.connectionUrl))
        : {
            host: text(settings.host),
            port: Number(settings.port),
            database: text(settings.database),
            user: text(settings.user),
            password: text(secret.password),
            ssl: settings.ssl as SslMode,
          };
    const client = await connectPostgres(outbound, target);
    try {
      await client.query("select 1");
    } finally {
      await client.end();
    }
  },
};

/**
 * How a type's connection test works: "direct" against the service its settings name, "url"
 * against an endpoint the tester gives, or "none".
 */
export function connectionTestKind(typeId: string): "direct" | "url" | "none" {
  const check = checks[typeId];
  if (!check) return "none";
  return check === httpCheck ? "url" : "direct";
}

/**
 * Tries the credential against its service (an HTTP credential: against `url`). Needs
 * `credential:use`; the outcome says only whether it worked and why not, never anything from
 * the secret.
 */
export async function testCredential(
  deps: VaultDeps & { outbound: Outbound },
  ctx: MemberContext,
  input: z.input<typeof credentialInputs.test>,
) {
  const { credentialId, url } = credentialInputs.test.parse(input);
  const use = { credentialId, accepts: Object.keys(checks), purpose: { kind: "connection_test" } };
  return withCredential(deps, ctx, use, async (credential) => {
    const check = checks[credential.type];
    if (!check)
      throw new AppError(
        "BAD_REQUEST",
        `Connection tests are not available for ${credential.type}`,
      );
    try {
      await check(deps.outbound, credential, url);
      return { ok: true as const };
    } catch (error) {
      if (error instanceof AppError) throw error;
      return { ok: false as const, error: describeFailure(error) };
    }
  });
}

/** A failure reason safe to show: the guard's own messages, or the error class and code. */
function describeFailure(error: unknown): string {
  if (error instanceof OutboundError || error instanceof HttpStatusError) return error.message;
  const code = (error as { code?: unknown }).code;
  const known: Record<string, string> = {
    EAUTH: "authentication failed",
    "28P01": "authentication failed",
    "3D000": "database does not exist",
    ECONNREFUSED: "connection refused",
    ETIMEDOUT: "timed out",
    ECONNECTION: "could not connect",
  };
  return (typeof code === "string" && known[code]) || "the connection failed";
}

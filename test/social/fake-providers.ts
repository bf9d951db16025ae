import { createHash, randomBytes } from "node:crypto";
import type { OAuthClient, SocialProviderId } from "../../src/config/social.ts";

export const PROVIDERS = ["google", "github", "dropbox"] as const satisfies SocialProviderId[];

/** The OAuth clients Fluxo is configured with in these tests. */
export const CLIENTS: Record<SocialProviderId, OAuthClient> = {
  google: { clientId: "google-client-id", clientSecret: "google-client-secret" },
  github: { clientId: "github-client-id", clientSecret: "github-client-secret" },
  dropbox: { clientId: "dropbox-client-id", clientSecret: "dropbox-client-secret" },
};

/** Where Better Auth sends the browser (fixed per provider). */
export const AUTHORIZE_URL: Record<SocialProviderId, string> = {
  google: "https://accounts.google.com/o/oauth2/v2/auth",
  github: "https://github.com/login/oauth/authorize",
  dropbox: "https://www.dropbox.com/oauth2/authorize",
};

const TOKEN_URL: Record<SocialProviderId, string> = {
  google: "https://oauth2.googleapis.com/token",
  github: "https://github.com/login/oauth/access_token",
  dropbox: "https://api.dropboxapi.com/oauth2/token",
};

/** Who the user is at the provider. */
export interface Identity {
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
}

interface Grant {
  provider: SocialProviderId;
  identity: Identity;
  codeChallenge: string;
  redirectUri: string;
}

interface Issued {
  provider: SocialProviderId;
  identity: Identity;
  accessToken: string;
  refreshToken: string;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A local stand-in for Google, GitHub and Dropbox. It replaces `globalThis.fetch` (which
 * Better Auth's better-fetch looks up on every call), answers only the providers' exact
 * token and user-info URLs, checks what a real provider checks (single-use code, client
 * credentials, redirect URI, PKCE verifier), and throws for any other non-loopback URL so
 * that nothing can leave the machine.
 */
export class FakeProviders {
  /** Every non-loopback URL Fluxo tried to fetch, in order. */
  readonly calls: string[] = [];
  readonly issued: Issued[] = [];
  private readonly codes = new Map<string, Grant>();
  private original: typeof fetch | undefined;

  /** The user approves Fluxo at the provider; returns the code the provider redirects back with. */
  approve(provider: SocialProviderId, authorization: URL, identity: Identity): string {
    const code = `${provider}-code-${randomBytes(8).toString("hex")}`;
    this.codes.set(code, {
      provider,
      identity,
      codeChallenge: authorization.searchParams.get("code_challenge") ?? "",
      redirectUri: authorization.searchParams.get("redirect_uri") ?? "",
    });
    return code;
  }

  install(): void {
    this.original = globalThis.fetch;
    const passThrough = this.original;
    globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      const url = new URL(request.url);
      if (LOOPBACK.has(url.hostname)) return passThrough(request);
      this.calls.push(`${request.method} ${url.origin}${url.pathname}`);
      const answer = await this.answer(request, url);
      if (!answer) throw new Error(`test network guard: refused ${request.method} ${request.url}`);
      return answer;
    };
  }

  restore(): void {
    if (this.original) globalThis.fetch = this.original;
  }

  tokenCalls(provider: SocialProviderId): number {
    return this.calls.filter((c) => c === `POST ${TOKEN_URL[provider]}`).length;
  }

  private async answer(request: Request, url: URL): Promise<Response | undefined> {
    const href = `${url.origin}${url.pathname}`;
    for (const provider of PROVIDERS) {
      if (href === TOKEN_URL[provider] && request.method === "POST") {
        return this.token(provider, new URLSearchParams(await request.text()));
      }
    }
    const bearer = request.headers.get("authorization")?.replace(/^Bearer /, "");
    const issued = this.issued.find((i) => i.accessToken === bearer);
    const route = `${request.method} ${href}`;
    if (route === "GET https://api.github.com/user") {
      if (issued?.provider !== "github") return json({ message: "Bad credentials" }, 401);
      const { subject, name } = issued.identity;
      // A private e-mail: Better Auth then reads it, and its verification, from /user/emails.
      return json({ id: Number(subject), login: `user${subject}`, name, email: null });
    }
    if (route === "GET https://api.github.com/user/emails") {
      if (issued?.provider !== "github") return json({ message: "Bad credentials" }, 401);
      const { email, emailVerified } = issued.identity;
      return json([
        {
          email: `${issued.identity.subject}@users.noreply.github.com`,
          primary: false,
          verified: true,
        },
        { email, primary: true, verified: emailVerified, visibility: "private" },
      ]);
    }
    if (route === "POST https://api.dropboxapi.com/2/users/get_current_account") {
      if (issued?.provider !== "dropbox")
        return json({ error_summary: "invalid_access_token" }, 401);
      const { subject, email, emailVerified, name } = issued.identity;
      return json({
        account_id: subject,
        name: { display_name: name },
        email,
        email_verified: emailVerified,
      });
    }
    return undefined;
  }

  private token(provider: SocialProviderId, body: URLSearchParams): Response {
    const code = body.get("code") ?? "";
    const grant = this.codes.get(code);
    this.codes.delete(code); // single use, whatever happens next
    const verifier = body.get("code_verifier") ?? "";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const client = CLIENTS[provider];
    const valid =
      grant?.provider === provider &&
      body.get("grant_type") === "authorization_code" &&
      body.get("client_id") === client.clientId &&
      body.get("client_secret") === client.clientSecret &&
      body.get("redirect_uri") === grant.redirectUri &&
      verifier !== "" &&
      challenge === grant.codeChallenge;
    if (!grant || !valid) return json({ error: "invalid_grant" }, 400);
    const issued: Issued = {
      provider,
      identity: grant.identity,
      accessToken: `${provider}-access-${randomBytes(12).toString("hex")}`,
      refreshToken: `${provider}-refresh-${randomBytes(12).toString("hex")}`,
    };
    this.issued.push(issued);
    return json({
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      token_type: "bearer",
      expires_in: 3600,
      scope: "email profile",
      ...(provider === "google" && { id_token: this.googleIdToken(grant.identity) }),
    });
  }

  /**
   * Google's user comes from the id token in the token response (Better Auth decodes it and
   * does not call a user-info endpoint); it arrives straight from the token endpoint, so its
   * signature is not checked on this path.
   */
  private googleIdToken(identity: Identity): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: "https://accounts.google.com",
      aud: CLIENTS.google.clientId,
      sub: identity.subject,
      email: identity.email,
      email_verified: identity.emailVerified,
      name: identity.name,
      iat: now,
      exp: now + 3600,
    };
    return `${b64url({ alg: "RS256", kid: "test", typ: "JWT" })}.${b64url(claims)}.${randomBytes(32).toString("base64url")}`;
  }
}

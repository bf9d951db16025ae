import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { decidePublicReview, type Refusal, viewPublicReview } from "../modules/reviews/public.ts";
import { boundedBody } from "./body-limit.ts";
import type { AppDeps } from "./deps.ts";
import {
  defaultPageLimits,
  type PageEnv,
  type PageLimits,
  pageThrottle,
  publicPageHeaders,
} from "./review-pages-guard.ts";
import {
  decidedPage,
  linkPage,
  messagePage,
  quickActionPage,
  unavailablePage,
} from "./review-pages-html.ts";

const SESSION_COOKIE = "fluxo_review";

const kinds = [
  { prefix: "/r", kind: "link", page: linkPage },
  { prefix: "/q", kind: "quick_action", page: quickActionPage },
] as const;

/**
 * Public review links (`/r/<token>`) and quick actions (`/q/<token>`): server-rendered pages
 * for people without an account. GET shows and opens a review session; only POST, inside
 * that session and with its CSRF token, decides.
 */
export function reviewPageRoutes(
  deps: Pick<AppDeps, "engine" | "config">,
  limits: PageLimits = defaultPageLimits,
) {
  const throttle = pageThrottle(limits);
  const secure = deps.config.baseUrl.startsWith("https:");
  const app = new Hono<PageEnv>();

  const page = (c: Context<PageEnv>, status: ContentfulStatusCode, body: string) =>
    c.html(body, status);

  const refusal = (c: Context<PageEnv>, r: Refusal) => {
    switch (r.refused) {
      case "unknown":
        throttle.badToken(c);
        return page(c, 404, unavailablePage());
      case "gone":
        return page(c, 410, unavailablePage());
      case "forbidden":
        return page(c, 403, messagePage("Session expired", "Open the link again to continue."));
      case "decided":
        return page(c, 409, messagePage("Already decided", `This review is already ${r.status}.`));
      case "invalid":
        return page(
          c,
          400,
          messagePage("Please check the form", `${r.message}. Go back and try again.`),
        );
    }
  };

  const throttled = (c: Context<PageEnv>) => {
    const wait = throttle.wait(c);
    if (!wait) return undefined;
    c.header("Retry-After", String(wait));
    return page(c, 429, messagePage("Too many requests", "Please wait a moment and try again."));
  };

  for (const { prefix, kind, page: reviewPage } of kinds) {
    app.use(`${prefix}/*`, publicPageHeaders);

    app.get(`${prefix}/:token`, async (c) => {
      const tooMany = throttled(c);
      if (tooMany) return tooMany;
      const token = c.req.param("token");
      const view = await viewPublicReview(deps.engine.db, kind, token, c.get("meta"));
      if ("refused" in view) return refusal(c, view);
      // scoped to this token's path: two reviews open side by side keep their own sessions
      setCookie(c, SESSION_COOKIE, view.session.token, {
        path: `${prefix}/${token}`,
        httpOnly: true,
        sameSite: "Strict",
        secure,
        maxAge: view.session.maxAgeSeconds,
      });
      return page(c, 200, reviewPage(view));
    });

    app.post(
      `${prefix}/:token`,
      boundedBody(deps.config.bodyLimits.reviewPages, (c, error) => {
        // a browser's form post gets a page; a script gets the app's JSON error body
        if (!acceptsHtml(c)) throw error;
        return error.code === "PAYLOAD_TOO_LARGE"
          ? page(c, 413, messagePage("Too large", "The form is too large."))
          : page(c, 400, messagePage("Please check the form", `${error.message}.`));
      }),
      async (c) => {
        const tooMany = throttled(c);
        if (tooMany) return tooMany;
        const body = await c.req.parseBody().catch(() => ({}));
        // form fields only: a multipart file part is never a value here
        const fields = Object.fromEntries(
          Object.entries(body).filter(
            (entry): entry is [string, string] => typeof entry[1] === "string",
          ),
        );
        const result = await decidePublicReview(
          deps.engine,
          kind,
          c.req.param("token"),
          { session: getCookie(c, SESSION_COOKIE), csrf: fields.csrf, fields },
          c.get("meta"),
        );
        if ("refused" in result) return refusal(c, result);
        return page(c, 200, decidedPage(result.decided));
      },
    );
  }
  return app;
}

const acceptsHtml = (c: Context) => /text\/html/i.test(c.req.header("accept") ?? "");

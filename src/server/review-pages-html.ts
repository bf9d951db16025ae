import { createHash } from "node:crypto";
import type { PublicReview } from "../modules/reviews/public.ts";

/** Markup built by `html`: the only strings inserted without escaping. */
class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const entities: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);

type Value = Html | string | number | null | undefined | false | Value[];

const render = (value: Value): string => {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(String(value));
};

/** Tagged template: every interpolated value is escaped unless it is itself `html`. */
export const html = (strings: TemplateStringsArray, ...values: Value[]) =>
  new Html(strings.reduce((out, s, i) => out + render(values[i - 1]) + s));

// One fixed stylesheet, allowed by its hash: no nonce, so equal pages have equal bytes.
const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}" +
  "pre,.body{background:#f5f5f7;padding:.75rem;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}" +
  "label{display:block;margin:.75rem 0}input,textarea{display:block;width:100%;box-sizing:border-box;padding:.4rem}" +
  "button{margin:.75rem .5rem 0 0;padding:.5rem 1.25rem}.muted{color:#6e6e73}";
export const STYLE_SOURCE = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

const layout = (title: string, content: Html) =>
  html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title><style>${new Html(STYLE)}</style></head>
<body>${content}</body></html>`.value;

/** Unknown, expired, revoked, used up, decided: one page, so none can be told apart. */
export const unavailablePage = () =>
  layout(
    "Link unavailable",
    html`<h1>This link is not available</h1>
<p>It may have expired, been used or been withdrawn. Ask whoever sent it to you for a new one.</p>`,
  );

export const messagePage = (title: string, text: string) =>
  layout(title, html`<h1>${title}</h1><p>${text}</p>`);

const reviewContent = (view: PublicReview) => html`<h1>${view.title}</h1>
<p class="muted">Decide before ${view.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC.</p>
${view.body ? html`<div class="body">${view.body}</div>` : ""}
${isEmpty(view.payload) ? "" : html`<h2>Details</h2><pre>${JSON.stringify(view.payload, null, 2)}</pre>`}`;

const isEmpty = (payload: unknown) =>
  payload === null || (typeof payload === "object" && Object.keys(payload as object).length === 0);

/** A public link: anyone holding it names themselves and approves or rejects. */
export const linkPage = (view: PublicReview) =>
  layout(
    view.title,
    html`${reviewContent(view)}
<form method="post">
<input type="hidden" name="csrf" value="${view.session.csrf}">
<label>Your name <input name="name" required maxlength="100" autocomplete="name"></label>
<label>Comment (optional) <textarea name="comment" rows="3" maxlength="2000"></textarea></label>
<button type="submit" name="decision" value="approved">Approve</button>
<button type="submit" name="decision" value="rejected">Reject</button>
</form>`,
  );

const verb = (action: string | undefined) => (action === "approved" ? "Approve" : "Reject");

/** A quick action: one confirmation button, so a mail scanner's GET decides nothing. */
export const quickActionPage = (view: PublicReview) =>
  layout(
    view.title,
    html`${reviewContent(view)}
<form method="post">
<input type="hidden" name="csrf" value="${view.session.csrf}">
${view.recipient ? html`<p>You are deciding as <strong>${view.recipient}</strong>.</p>` : ""}
<label>Comment (optional) <textarea name="comment" rows="3" maxlength="2000"></textarea></label>
<button type="submit">${verb(view.action)}</button>
</form>`,
  );

export const decidedPage = (decision: string) =>
  messagePage("Thank you", `The review has been ${decision}. You can close this page.`);

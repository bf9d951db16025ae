import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { MiddlewareHandler } from "hono";
import { WEB_DIST } from "./web-build.ts";

/**
 * The web app's pages: no inline script or style anywhere (Vite emits files only), data from
 * this origin only, and never inside a frame.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Paths owned by the API and server-rendered pages: the app's fallback never answers them. */
const reservedPrefixes = ["/api/", "/trpc/", "/hooks/", "/r/", "/q/"];
const reservedPaths = ["/api", "/trpc", "/hooks", "/r", "/q", "/healthz", "/readyz"];

const contentTypes: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  woff2: "font/woff2",
};

/**
 * Serves the built bundle (web/dist): hashed files under /assets with a year's cache, and
 * index.html for every other GET of a page path so client-side routes load on refresh.
 * Without a built bundle it steps aside (the JSON 404 answers).
 */
export function webAppHandler(distDir = WEB_DIST): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (reservedPaths.includes(path) || reservedPrefixes.some((p) => path.startsWith(p))) {
      return next();
    }
    const asset = /^\/assets\/([\w.-]+)$/.exec(path)?.[1];
    if (asset) {
      const body = await readFile(join(distDir, "assets", asset)).catch(() => undefined);
      const type = contentTypes[asset.split(".").pop() ?? ""];
      if (!body || !type || asset.startsWith(".")) return next();
      return c.body(body, 200, {
        "Content-Type": type,
        "Cache-Control": "public, max-age=31536000, immutable",
      });
    }
    // A file name that is not an asset is a missing file, not a page.
    if (/\.[\w]+$/.test(path)) return next();
    const html = await readFile(join(distDir, "index.html"), "utf8").catch(() => undefined);
    if (!html) return next();
    return c.html(html, 200, {
      "Content-Security-Policy": WEB_APP_CSP,
      "Cache-Control": "no-cache",
    });
  };
}

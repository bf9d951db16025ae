import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Hono } from "hono";

/** Where the interactive reference lives and the document it renders. */
export const API_DOCS_PATH = "/api/docs";
export const OPENAPI_DOCUMENT_PATH = "/api/v1/openapi.json";

const packageDir = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as {
  version: string;
};

/**
 * The only files served from swagger-ui-dist. The path carries the package version, so a
 * browser may keep them for good and an upgrade is fetched at once.
 */
const vendorFiles: Record<string, string> = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
  "favicon-32x32.png": "image/png",
};
const assetBase = `${API_DOCS_PATH}/assets/${version}`;

// The page starts Swagger UI from this file rather than an inline script, so the CSP needs no
// 'unsafe-inline'. No validator: by default Swagger UI sends the document to an outside one.
const initScript = `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(OPENAPI_DOCUMENT_PATH)},
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
`;

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fluxo API v1</title>
<link rel="icon" type="image/png" href="${assetBase}/favicon-32x32.png">
<link rel="stylesheet" href="${assetBase}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetBase}/swagger-ui-bundle.js"></script>
<script src="${API_DOCS_PATH}/init.js"></script>
</body>
</html>
`;

// Everything from this origin and nothing else; images also as data: URIs (the stylesheet's icons).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Files are read on first request and kept: they never change while the process runs. */
const cache = new Map<string, Uint8Array<ArrayBuffer>>();
function vendorFile(name: string) {
  let body = cache.get(name);
  if (!body) {
    body = new Uint8Array(readFileSync(join(packageDir, name)));
    cache.set(name, body);
  }
  return body;
}

/**
 * `GET /api/docs`: the interactive REST v1 reference (Swagger UI), served entirely from this
 * instance — the page, its script and stylesheet, and the OpenAPI document it renders.
 */
export function apiDocsRoutes() {
  const app = new Hono();
  // "/api/docs/*" also matches "/api/docs"; the page, init script, assets and their 404s.
  app.use(`${API_DOCS_PATH}/*`, async (c, next) => {
    await next();
    c.res.headers.set("Content-Security-Policy", CSP);
  });

  app.get(API_DOCS_PATH, (c) => {
    c.header("Cache-Control", "no-cache");
    return c.html(page);
  });
  app.get(`${API_DOCS_PATH}/init.js`, (c) => {
    c.header("Content-Type", "text/javascript; charset=utf-8");
    c.header("Cache-Control", "no-cache");
    return c.body(initScript);
  });
  app.get(`${assetBase}/:file`, (c) => {
    const name = c.req.param("file");
    const type = Object.hasOwn(vendorFiles, name) ? vendorFiles[name] : undefined;
    if (!type) return c.notFound();
    c.header("Content-Type", type);
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(vendorFile(name));
  });
  return app;
}

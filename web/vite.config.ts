import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

/** Where `npm run dev` forwards API calls: a Fluxo server started with BASE_URL set to Vite's URL. */
const api = process.env.FLUXO_API_URL ?? "http://127.0.0.1:3000";
const apiPaths = ["/api", "/trpc", "/hooks", "/r/", "/q/"];

export default defineConfig({
  plugins: [tailwindcss()],
  // Assets stay files, never data: URLs, so the CSP needs no data: for fonts or scripts.
  build: {
    assetsInlineLimit: 0,
    rolldownOptions: {
      // React libraries mark modules "use client"; meaningless in a client-only bundle.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: api }])),
  },
});

import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createQueryClient } from "./lib/query-client.ts";
import { createAppRouter } from "./router.tsx";
import "./styles.css";

const queryClient = createQueryClient(() => {
  const here = window.location.pathname + window.location.search;
  queryClient.clear();
  if (!here.startsWith("/sign-in")) {
    void router.navigate({ to: "/sign-in", search: { redirect: here } });
  }
});
const router = createAppRouter(queryClient);

const root = document.getElementById("root");
if (!root) throw new Error("no #root element");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);

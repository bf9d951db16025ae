/** Outline drawings (24-unit grid) for the side navigation's pages, by route. */
const drawings: Record<string, string> = {
  "/": "M3 11l9-8 9 8M5 9.5V21h5v-6h4v6h5V9.5",
  "/reviews": "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M8 12l3 3 5-6",
  "/workflows": "M3 4h6v5H3zM15 15h6v5h-6zM6 9v4a2 2 0 0 0 2 2h7M15 4h6v5h-6zM9 6.5h6",
  "/executions": "M7 4l13 8-13 8z",
  "/credentials": "M8 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 12h9M18 12v3M21 12v3",
  "/api-keys": "M8 7l-5 5 5 5M16 7l5 5-5 5M13.5 5l-3 14",
  "/webhooks": "M13 2L4 14h7l-1 8 9-12h-7z",
  "/members":
    "M9 5a3 3 0 1 0 0 6a3 3 0 1 0 0-6M3 20c0-3 2.7-5 6-5s6 2 6 5M16 6a2.5 2.5 0 0 1 0 5M17 15c2.4.3 4 2.1 4 5",
  "/audit": "M6 3h9l4 4v14H6zM15 3v4h4M9 12h7M9 16h7",
  "/settings/retention": "M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M12 7v5l3 2",
  "/settings/organization": "M4 21V5l8-2v18M12 8h8v13M7 8h2M7 12h2M7 16h2M15 12h2M15 16h2M2 21h20",
};

/** The page's icon: decorative, since the link's text names it. */
export function NavIcon({ to }: { to: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden="true"
      className="size-5 shrink-0"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.75}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={drawings[to] ?? "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8"} />
    </svg>
  );
}

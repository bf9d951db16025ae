import { CronExpressionParser } from "cron-parser";

const FIVE_FIELDS = /^(\S+\s+){4}\S+$/;

export type CronReading =
  | { runs: Date[] }
  | { field: "cron" | "timezone"; message: string }
  | { empty: true };

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The next runs of a schedule trigger, read by the parser the job queue fires it with, so
 * the preview and the schedule agree; or what is wrong with the cron or the time zone.
 */
export function nextRuns(
  cron: unknown,
  timezone: unknown,
  count = 5,
  from = new Date(),
): CronReading {
  if (typeof cron !== "string" || cron.trim() === "") return { empty: true };
  const tz = typeof timezone === "string" && timezone !== "" ? timezone : "UTC";
  if (!FIVE_FIELDS.test(cron.trim())) {
    return { field: "cron", message: "must be a five-field cron expression, e.g. */5 * * * *" };
  }
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    return {
      field: "timezone",
      message: "is not a known time zone (an IANA name such as Europe/Berlin)",
    };
  }
  try {
    const interval = CronExpressionParser.parse(cron.trim(), {
      tz,
      strict: false,
      currentDate: from,
    });
    return { runs: interval.take(count).map((date) => date.toDate()) };
  } catch (error) {
    return { field: "cron", message: `is not a valid cron expression: ${reason(error)}` };
  }
}

/** "Tue, 1 Dec 2026, 09:30" in the schedule's own time zone. */
export function formatRun(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

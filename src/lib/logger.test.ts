import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createLogger, redactPath } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger("info", sink), lines };
}

it("cuts a failed query's bound parameters out of logged errors, causes included", () => {
  const { logger, lines } = capture();
  const query = new Error('Failed query: insert into "session" values ($1)\nparams: tok-9f8e7d6c');
  const wrapped = new Error("sign-in failed", { cause: query });
  logger.error({ err: query }, "direct");
  logger.error({ err: wrapped }, "wrapped");
  expect(lines.join("")).not.toContain("tok-9f8e7d6c");
  expect(lines.join("")).toContain("params: [redacted]");
});

it("redacts secret fields by name", () => {
  const { logger, lines } = capture();
  logger.info(
    { password: "pw-123", body: { token: "tk-456" }, req: { headers: { cookie: "c-789" } } },
    "x",
  );
  for (const secret of ["pw-123", "tk-456", "c-789"]) expect(lines.join("")).not.toContain(secret);
});

it("masks tokens that travel in URL paths", () => {
  expect(redactPath("/r/abcDEF123_-xyz")).toBe("/r/[redacted]");
  expect(redactPath("/q/abcDEF123_-xyz")).toBe("/q/[redacted]");
  expect(redactPath("/hooks/wf-1/secret-value")).toBe("/hooks/wf-1/[redacted]");
  expect(redactPath("/api/auth/reset-password/tok")).toBe("/api/auth/reset-password/[redacted]");
  expect(redactPath("/trpc/reviews.list")).toBe("/trpc/reviews.list");
});

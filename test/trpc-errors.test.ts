import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/app.ts";
import { signedInUser } from "./helpers/users.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface ErrorBody {
  error: { message: string; data: { code: string; httpStatus: number } };
}

describe("tRPC refusals that tRPC itself raises are client errors, not internal ones", () => {
  it("malformed JSON is a 400 BAD_REQUEST, not INTERNAL, and does not echo the input", async () => {
    const client = await signedInUser(t);
    const res = await client.fetch("/trpc/orgs.create", {
      method: "POST",
      body: "{not json at all",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.data).toEqual({ code: "BAD_REQUEST", httpStatus: 400 });
    expect(body.error.message).not.toContain("not json");
    expect(await client.list("orgs.list")).toEqual([]);
  });

  it("a GET to a mutation answers 405 METHOD_NOT_SUPPORTED", async () => {
    const client = await signedInUser(t);
    const res = await client.fetch("/trpc/orgs.create");
    expect(res.status).toBe(405);
    expect(((await res.json()) as ErrorBody).error.data.code).toBe("METHOD_NOT_SUPPORTED");
  });

  it("an unknown procedure answers 404", async () => {
    const client = await signedInUser(t);
    const res = await client.fetch("/trpc/orgs.nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.data.code).toBe("NOT_FOUND");
  });
});

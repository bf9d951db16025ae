import { describe, expect, it } from "vitest";
import { formatPath } from "../../src/modules/workflows/expressions/template.ts";
import { listNodeTypes } from "../../src/modules/workflows/nodes/describe.ts";
import type { JsonSchema } from "../../web/src/lib/json-schema.ts";
import { tokenize } from "../../web/src/pages/workflows/node-config/expression-tokens.ts";
import { placeIssues } from "../../web/src/pages/workflows/node-config/issue-placement.ts";
import {
  childPath,
  type ParamSpec,
  readParameters,
} from "../../web/src/pages/workflows/node-config/parameter-schema.ts";
import { nextRuns } from "../../web/src/pages/workflows/node-config/schedule-preview.ts";

// The panel's reading of the server's real node schemas (not hand-written ones), so a change
// to a node's parameters that the form would misread shows here.
const types = listNodeTypes();
const paramsOf = (type: string) => {
  const found = types.find((t) => t.type === type);
  if (!found) throw new Error(`no node type ${type}`);
  return readParameters(found.parameters as JsonSchema);
};
const kinds = (params: ParamSpec[]) => Object.fromEntries(params.map((p) => [p.key, p.field.kind]));

describe("parameter schemas as form fields", () => {
  it("gives every parameter of every node type a field", () => {
    for (const type of types) {
      const schema = type.parameters as JsonSchema;
      expect(paramsOf(type.type).map((p) => p.key)).toEqual(Object.keys(schema.properties ?? {}));
    }
  });

  it("reads an HTTP request's parameters by kind, with defaults and required marks", () => {
    const params = paramsOf("http_request");
    expect(kinds(params)).toEqual({
      method: "choice",
      url: "text",
      headers: "record",
      body: "any",
      timeoutMs: "number",
      failOnStatus: "boolean",
    });
    const method = params.find((p) => p.key === "method");
    expect(method).toMatchObject({ required: false, defaultValue: "GET" });
    expect(method?.field).toMatchObject({
      options: ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"],
    });
    expect(params.find((p) => p.key === "url")?.required).toBe(true);
    expect(params.find((p) => p.key === "body")?.description).toMatch(/application\/json/);
    expect(params.find((p) => p.key === "headers")?.field).toEqual({
      kind: "record",
      value: { kind: "text", multiline: false },
    });
  });

  it("reads unions, lists, long texts and what only JSON can express", () => {
    const review = paramsOf("review");
    expect(kinds(review)).toMatchObject({
      assignees: "list",
      payload: "record",
      notify: "variants",
    });
    const notify = review.find((p) => p.key === "notify")?.field;
    expect(notify).toMatchObject({ kind: "variants", key: "channel" });
    if (notify?.kind !== "variants") throw new Error("notify is not a union");
    expect(notify.variants.map((v) => v.value)).toEqual(["email", "slack"]);
    expect(kinds(notify.variants[0]?.params ?? [])).toEqual({ to: "list" });
    expect(kinds(paramsOf("send_email"))).toEqual({ to: "any", subject: "text", text: "text" });
    expect(paramsOf("send_email").find((p) => p.key === "text")?.field).toEqual({
      kind: "text",
      multiline: true,
    });
    expect(kinds(paramsOf("slack_message")).blocks).toBe("json");
    expect(kinds(paramsOf("if"))).toEqual({ condition: "any" });
  });

  it("names nested fields as the server names them in a refusal", () => {
    for (const parts of [
      ["url"],
      ["headers", "Authorization"],
      ["headers", "X Odd"],
      ["assignees", 0],
      ["notify", "to", 2],
    ] as const) {
      const path = parts.reduce<string>((parent, key) => childPath(parent, key), "");
      expect(path).toBe(formatPath([...parts]));
    }
  });
});

describe("save problems placed at their fields", () => {
  const params = paramsOf("http_request");
  const parameters = { url: "x", headers: { "X Odd": "1" }, body: { a: 1 } };

  it("puts each problem at its field, or inside a JSON field, else at the top", () => {
    const { general, errorsAt } = placeIssues(
      [
        { path: "url", message: "bad url" },
        { path: "parameters.timeoutMs", message: "too big" },
        { path: 'headers["X Odd"]', message: "bad header" },
        { path: "body.a", message: "inside the body" },
        { path: "credentialId", message: "may not use it" },
        { path: "name", message: "too long" },
        { path: "retry.attempts", message: "at most 10" },
        { path: "", message: "is part of a cycle" },
        { path: "nope", message: "unknown field" },
      ],
      params,
      parameters,
    );
    expect(errorsAt("url")).toEqual(["bad url"]);
    expect(errorsAt("timeoutMs")).toEqual(["too big"]);
    expect(errorsAt('headers["X Odd"]')).toEqual(["bad header"]);
    expect(errorsAt("body")).toEqual(["inside the body"]);
    expect(errorsAt("credentialId")).toEqual(["may not use it"]);
    expect(errorsAt("name")).toEqual(["too long"]);
    expect(errorsAt("retry.attempts")).toEqual(["at most 10"]);
    expect(general.map((g) => g.message)).toEqual(["is part of a cycle", "unknown field"]);
  });

  it("reads list positions written either way", () => {
    const { errorsAt } = placeIssues(
      [{ path: "assignees.1", message: "not a member" }],
      paramsOf("review"),
      { title: "t", assignees: ["a", "b"] },
    );
    expect(errorsAt("assignees[1]")).toEqual(["not a member"]);
  });
});

describe("expression highlighting", () => {
  it("splits text with the server's scanner, braces inside an expression included", () => {
    expect(tokenize('Hi {{ {"a": {"b": 1}} }}!')).toEqual({
      tokens: [
        { kind: "text", text: "Hi " },
        { kind: "expr", text: '{{ {"a": {"b": 1}} }}' },
        { kind: "text", text: "!" },
      ],
      hasExpression: true,
    });
    expect(tokenize("plain").hasExpression).toBe(false);
  });

  it("marks an unterminated expression and says why", () => {
    const read = tokenize("a {{ b }} c {{ d");
    expect(read.tokens.at(-1)).toEqual({ kind: "broken", text: "{{ d" });
    expect(read.error).toMatch(/has no matching/);
  });
});

describe("schedule preview", () => {
  const from = new Date("2026-12-01T12:00:00Z"); // a Tuesday

  it("lists the next runs in the schedule's time zone", () => {
    const read = nextRuns("0 9 * * 1", "Europe/Berlin", 2, from);
    if (!("runs" in read)) throw new Error(JSON.stringify(read));
    expect(read.runs.map((d) => d.toISOString())).toEqual([
      "2026-12-07T08:00:00.000Z",
      "2026-12-14T08:00:00.000Z",
    ]);
  });

  it("names the field that is wrong", () => {
    expect(nextRuns("61 * * * *", "UTC", 5, from)).toMatchObject({ field: "cron" });
    expect(nextRuns("* * *", "UTC", 5, from)).toMatchObject({ field: "cron" });
    expect(nextRuns("* * * * *", "Mars/Olympus", 5, from)).toMatchObject({ field: "timezone" });
    expect(nextRuns("", "UTC", 5, from)).toEqual({ empty: true });
  });
});

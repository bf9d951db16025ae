import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../lib/errors.ts";
import { OutboundError } from "../../../net/errors.ts";
import { createOutbound } from "../../../net/outbound.ts";
import { loopbackOnlyConnect } from "../../../net/testing.ts";
import { HttpStatusError, httpRequest } from "./http-request.ts";
import { credential, failure, outputOf, runNode, startHttpServer } from "./testing.ts";

type Server = Awaited<ReturnType<typeof startHttpServer>>;

describe("http_request node", () => {
  let server: Server;

  beforeAll(async () => {
    server = await startHttpServer((req, res) => {
      const path = new URL(req.url, "http://x").pathname;
      if (path === "/json") {
        res.setHeader("set-cookie", "session=abc");
        res.setHeader("x-request-id", "r-1");
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ hello: "world", n: 1 }));
      } else if (path === "/text") {
        res.setHeader("content-type", "text/plain");
        res.end("plain words");
      } else if (path === "/binary") {
        res.setHeader("content-type", "application/octet-stream");
        res.end(Buffer.from([0, 255, 1]));
      } else if (path === "/missing") {
        res.statusCode = 404;
        res.setHeader("content-type", "application/json");
        res.end('{"error":"nope"}');
      } else if (path === "/redirect") {
        res.statusCode = 302;
        res.setHeader("location", "/json");
        res.end();
      } else if (path === "/slow") {
        // Never answers: the node's timeout must end the call.
      } else {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ echo: req.body }));
      }
    });
  });

  afterAll(() => server.close());

  const last = () => server.received.at(-1);

  it("parses a JSON response and hides session cookies from the output", async () => {
    const output = outputOf(await runNode(httpRequest, { url: `${server.url}/json` }));
    expect(output.status).toBe(200);
    expect(output.body).toEqual({ hello: "world", n: 1 });
    const headers = output.headers as Record<string, string>;
    expect(headers["x-request-id"]).toBe("r-1");
    expect(headers["content-type"]).toBe("application/json");
    expect(headers).not.toHaveProperty("set-cookie");
    expect(last()?.method).toBe("GET");
  });

  it("returns a text body as text and a binary body as base64", async () => {
    const text = outputOf(await runNode(httpRequest, { url: `${server.url}/text` }));
    expect(text.body).toBe("plain words");
    expect(text).not.toHaveProperty("bodyEncoding");
    const binary = outputOf(await runNode(httpRequest, { url: `${server.url}/binary` }));
    expect(binary).toMatchObject({ body: "AP8B", bodyEncoding: "base64" });
  });

  it("serialises a JSON body with content-type application/json", async () => {
    const body = { items: [1, 2], ok: true };
    await runNode(httpRequest, { method: "POST", url: `${server.url}/echo`, body });
    expect(last()?.method).toBe("POST");
    expect(last()?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(last()?.body ?? "")).toEqual(body);
  });

  it("sends a string body as is, keeping a given content-type", async () => {
    await runNode(httpRequest, {
      method: "PUT",
      url: `${server.url}/echo`,
      headers: { "Content-Type": "text/csv", "X-Trace": "t1" },
      body: "a,b\n1,2",
    });
    expect(last()).toMatchObject({ method: "PUT", body: "a,b\n1,2" });
    expect(last()?.headers).toMatchObject({ "content-type": "text/csv", "x-trace": "t1" });
  });

  it("sends a bearer token, which never reaches the output", async () => {
    const token = "tok_abc.DEF-123";
    const output = outputOf(
      await runNode(
        httpRequest,
        { url: `${server.url}/echo` },
        { credential: credential("http_bearer", {}, { token }) },
      ),
    );
    expect(last()?.headers.authorization).toBe(`Bearer ${token}`);
    expect(JSON.stringify(output)).not.toContain(token);
  });

  it("sends basic auth as base64 of user:password", async () => {
    await runNode(
      httpRequest,
      { url: `${server.url}/echo` },
      { credential: credential("http_basic", { username: "alice" }, { password: "p:ss w0rd" }) },
    );
    const expected = Buffer.from("alice:p:ss w0rd").toString("base64");
    expect(last()?.headers.authorization).toBe(`Basic ${expected}`);
  });

  it("sends a custom header credential, overriding a parameter header of that name", async () => {
    await runNode(
      httpRequest,
      { url: `${server.url}/echo`, headers: { "x-api-key": "from-parameters" } },
      { credential: credential("http_header", { headerName: "X-API-Key" }, { value: "k-123" }) },
    );
    expect(last()?.headers["x-api-key"]).toBe("k-123");
  });

  it("refuses a credential whose values would break the header, without echoing them", async () => {
    const bad = credential("http_bearer", {}, { token: "abc\r\nX-Evil: 1" });
    const error = await failure(
      runNode(httpRequest, { url: `${server.url}/echo` }, { credential: bad }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toContain("secret.token");
    expect(error.message).not.toContain("X-Evil");
  });

  it("outputs a non-2xx answer by default, and fails on it with failOnStatus", async () => {
    const output = outputOf(await runNode(httpRequest, { url: `${server.url}/missing` }));
    expect(output).toMatchObject({ status: 404, body: { error: "nope" } });

    const token = "tok_secret";
    const error = await failure(
      runNode(
        httpRequest,
        { url: `${server.url}/missing?key=q`, failOnStatus: true },
        { credential: credential("http_bearer", {}, { token }) },
      ),
    );
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error.message).toBe(`HTTP request to ${server.url}/missing answered 404 Not Found`);
    expect(error.message).not.toContain(token);
  });

  it("does not follow redirects: the 3xx and its location are the output", async () => {
    const before = server.received.length;
    const output = outputOf(await runNode(httpRequest, { url: `${server.url}/redirect` }));
    expect(output.status).toBe(302);
    expect((output.headers as Record<string, string>).location).toBe("/json");
    expect(server.received.length).toBe(before + 1);
  });

  it("times out with a message naming the URL (without its query) and the limit", async () => {
    const error = await failure(
      runNode(httpRequest, { url: `${server.url}/slow?api_key=hidden`, timeoutMs: 200 }),
    );
    expect(error).toBeInstanceOf(OutboundError);
    expect(error.message).toBe(`HTTP request to ${server.url}/slow timed out after 200 ms`);
  });

  it("stops when the node's signal aborts", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("node timeout")), 100);
    const started = Date.now();
    const error = await failure(
      runNode(httpRequest, { url: `${server.url}/slow` }, { signal: controller.signal }),
    );
    expect(error.message).toBe("node timeout");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("is blocked from a private address that is not allowlisted", async () => {
    const error = await failure(runNode(httpRequest, { url: "http://10.0.0.1/admin" }));
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toMatch(
      /^HTTP request to http:\/\/10\.0\.0\.1\/admin refused: .*blocked/,
    );
  });

  it("is blocked from loopback when the allowlist does not name it", async () => {
    const before = server.received.length;
    const outbound = createOutbound({ connect: loopbackOnlyConnect() });
    const error = await failure(runNode(httpRequest, { url: `${server.url}/json` }, { outbound }));
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toContain("blocked: 127.0.0.1 is");
    expect(server.received.length).toBe(before);
  });

  it("validates parameters: scheme, reserved headers, header values, body on HEAD", async () => {
    const parse = (p: unknown) => httpRequest.parameters.safeParse(p);
    expect(parse({ url: "file:///etc/passwd" }).success).toBe(false);
    expect(parse({ url: "http://u:p@example.com/" }).success).toBe(false);
    expect(parse({ url: "http://x.test/", headers: { Host: "evil" } }).success).toBe(false);
    expect(parse({ url: "http://x.test/", headers: { "X-A": "a\r\nB: c" } }).success).toBe(false);
    expect(parse({ url: "http://x.test/", method: "TRACE" }).success).toBe(false);
    const head = await failure(
      runNode(httpRequest, { method: "HEAD", url: `${server.url}/json`, body: "x" }),
    );
    expect(head).toMatchObject({ code: "BAD_REQUEST", details: { field: "body" } });
  });
});

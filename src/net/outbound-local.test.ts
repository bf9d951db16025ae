/**
 * The guard against real peers on 127.0.0.1 (port 0). Every connection goes through
 * loopbackOnlyConnect, and every name through a stub resolver, so the only packets sent are
 * to loopback. Redirect targets outside loopback exist only as Location headers.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "./allowlist.ts";
import {
  OutboundBlockedError,
  OutboundError,
  OutboundResponseTooLargeError,
  OutboundTimeoutError,
} from "./errors.ts";
import { createOutbound, type OutboundOptions } from "./outbound.ts";
import { loopbackOnlyConnect, stubResolver } from "./testing.ts";

let server: http.Server;
let other: http.Server;
let port = 0;
let otherPort = 0;
const seen: string[] = [];

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  seen.push(req.url ?? "");
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    switch (req.url) {
      case "/to-metadata":
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        return;
      case "/to-mapped":
        res.writeHead(301, { location: "http://[::ffff:169.254.169.254]/" }).end();
        return;
      case "/to-final":
        res.writeHead(302, { location: "/final" }).end();
        return;
      case "/to-other-port":
        res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/final` }).end();
        return;
      case "/to-named":
        res.writeHead(307, { location: `http://named.test:${port}/echo` }).end();
        return;
      case "/to-ftp":
        res.writeHead(302, { location: `ftp://127.0.0.1:${port}/echo` }).end();
        return;
      case "/to-userinfo":
        res.writeHead(302, { location: `http://u:p@127.0.0.1:${port}/echo` }).end();
        return;
      case "/post-303":
        res.writeHead(303, { location: "/echo" }).end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" }).end();
        return;
      case "/hang":
        return; // never answers
      case "/flood": {
        // No content-length: the client must count bytes as they arrive.
        const chunk = Buffer.alloc(64 * 1024, 120);
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) {}
          if (!res.destroyed) res.once("drain", pump);
        };
        res.writeHead(200, { "content-type": "application/octet-stream" });
        pump();
        return;
      }
      case "/big-declared":
        res.writeHead(200, { "content-length": String(50_000_000) });
        res.write("x".repeat(1000));
        return;
      default:
        res.writeHead(200, { "content-type": "application/json", "x-test": "yes" });
        res.end(
          JSON.stringify({
            url: req.url,
            method: req.method,
            host: req.headers.host,
            authorization: req.headers.authorization ?? null,
            body: Buffer.concat(chunks).toString(),
          }),
        );
    }
  });
}

async function listen(s: http.Server): Promise<number> {
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  return (s.address() as AddressInfo).port;
}

beforeAll(async () => {
  server = http.createServer(handler);
  other = http.createServer(handler);
  port = await listen(server);
  otherPort = await listen(other);
});

afterAll(async () => {
  for (const s of [server, other]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

function guard(allow: string, options: OutboundOptions = {}, table = {}) {
  const resolver = stubResolver({
    "app.test": ["127.0.0.1"],
    "named.test": ["127.0.0.1"],
    ...table,
  });
  const connect = loopbackOnlyConnect();
  const outbound = createOutbound({
    allow: parseAllowlist(allow),
    resolver,
    connect,
    timeoutMs: 3000,
    ...options,
  });
  return { outbound, resolver, connect };
}

describe("a real local HTTP server", () => {
  it("is reached through the allowlist, with method, body and headers intact", async () => {
    const { outbound, connect } = guard(`127.0.0.1:${port}`);
    const res = await outbound.fetch(`http://127.0.0.1:${port}/echo?q=1`, {
      method: "post",
      headers: { "content-type": "text/plain", authorization: "Bearer t" },
      body: "hi",
    });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get("x-test")).toBe("yes");
    expect(res.json()).toEqual({
      url: "/echo?q=1",
      method: "POST",
      host: `127.0.0.1:${port}`,
      authorization: "Bearer t",
      body: "hi",
    });
    expect(res.url).toBe(`http://127.0.0.1:${port}/echo?q=1`);
    expect(connect.targets.map((t) => t.address)).toEqual(["127.0.0.1"]);
  });

  it("is blocked without the allowlist, or with another port allowlisted", async () => {
    for (const allow of ["", `127.0.0.1:${otherPort}`, `app.test:${port}`]) {
      const { outbound, connect } = guard(allow);
      const err = await outbound.fetch(`http://127.0.0.1:${port}/echo`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutboundBlockedError);
      expect((err as Error).message).toContain("blocked: 127.0.0.1 is loopback (127.0.0.0/8)");
      expect(connect.targets).toEqual([]);
    }
  });

  it("is reached by a hostname only when the name or its address is allowlisted", async () => {
    const url = `http://app.test:${port}/echo`;
    const blocked = guard("");
    await expect(blocked.outbound.fetch(url)).rejects.toThrow(
      `Outbound call to app.test:${port} refused — blocked: 127.0.0.1 is loopback`,
    );
    expect(blocked.connect.targets).toEqual([]);

    for (const allow of [`app.test:${port}`, `127.0.0.1:${port}`, "127.0.0.0/8:*"]) {
      const { outbound, connect } = guard(allow);
      const res = await outbound.fetch(url);
      // Connected to the vetted IP, while the Host header keeps the name.
      expect(res.json()).toMatchObject({ host: `app.test:${port}` });
      expect(connect.targets).toEqual([
        { address: "127.0.0.1", family: 4, port, tls: false, servername: "app.test" },
      ]);
    }
  });
});

describe("several vetted addresses", () => {
  it("are tried in resolver order when one refuses the connection", async () => {
    // Nothing listens on 127.0.0.2:<port> (the server is bound to 127.0.0.1 only).
    const table = { "dual.test": ["127.0.0.2", "127.0.0.1"] };
    const { outbound, connect } = guard(`127.0.0.0/8:${port}`, {}, table);
    const res = await outbound.fetch(`http://dual.test:${port}/echo`);
    expect(res.status).toBe(200);
    expect(connect.targets.map((t) => t.address)).toEqual(["127.0.0.2", "127.0.0.1"]);
  });
});

describe("redirects", () => {
  it("are returned to the caller, not followed, by default", async () => {
    const { outbound, connect } = guard(`127.0.0.1:${port}`);
    const res = await outbound.fetch(`http://127.0.0.1:${port}/to-metadata`);
    expect(res.status).toBe(302);
    expect(res.redirected).toBe(false);
    expect(res.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
    expect(connect.targets.map((t) => t.address)).toEqual(["127.0.0.1"]);
  });

  it.each([
    ["/to-metadata", "blocked: 169.254.169.254 is link-local (cloud metadata)"],
    ["/to-mapped", "IPv4-mapped IPv6 of 169.254.169.254"],
  ])("to a private address are blocked when following (%s)", async (path, message) => {
    const { outbound, connect } = guard(`127.0.0.1:${port}`, { maxRedirects: 5 });
    const err = await outbound.fetch(`http://127.0.0.1:${port}${path}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toContain(message);
    expect(connect.targets.map((t) => t.address)).toEqual(["127.0.0.1"]);
  });

  it("to another allowed local URL are followed when maxRedirects > 0", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`);
    const res = await outbound.fetch(`http://127.0.0.1:${port}/to-final`, { maxRedirects: 1 });
    expect(res.status).toBe(200);
    expect(res.redirected).toBe(true);
    expect(res.url).toBe(`http://127.0.0.1:${port}/final`);
    expect(res.json()).toMatchObject({ url: "/final" });
  });

  it("are re-checked against the allowlist port by port", async () => {
    const before = seen.length;
    const { outbound } = guard(`127.0.0.1:${port}`, { maxRedirects: 3 });
    await expect(outbound.fetch(`http://127.0.0.1:${port}/to-other-port`)).rejects.toThrow(
      "blocked: 127.0.0.1 is loopback",
    );
    expect(seen.slice(before)).toEqual(["/to-other-port"]); // the other server saw nothing
  });

  it.each([
    ["/to-ftp", "Only http and https URLs are allowed, not ftp:"],
    ["/to-userinfo", "Credentials in the URL are not allowed"],
  ])("to a URL that could not be fetched directly are refused (%s)", async (path, message) => {
    const before = seen.length;
    const { outbound } = guard(`127.0.0.1:${port}`, { maxRedirects: 3 });
    await expect(outbound.fetch(`http://127.0.0.1:${port}${path}`)).rejects.toThrow(message);
    expect(seen.slice(before)).toEqual([path]);
  });

  it("turn POST into GET on 303 and drop credentials on a change of origin", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`, { maxRedirects: 3 });
    const same = await outbound.fetch(`http://127.0.0.1:${port}/post-303`, {
      method: "POST",
      headers: { authorization: "Bearer t" },
      body: "payload",
    });
    expect(same.json()).toMatchObject({ method: "GET", body: "", authorization: "Bearer t" });
    const cross = await outbound.fetch(`http://127.0.0.1:${port}/to-named`, {
      headers: { authorization: "Bearer t" },
    });
    expect(cross.json()).toMatchObject({ host: `named.test:${port}`, authorization: null });
  });

  it("stop with a clear error after maxRedirects", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`, { maxRedirects: 2 });
    const err = await outbound.fetch(`http://127.0.0.1:${port}/loop`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as OutboundError).failure).toBe("redirect");
    expect((err as Error).message).toBe("Too many redirects (more than 2)");
  });
});

describe("DNS rebinding", () => {
  it("connects only to what was vetted, resolving once per connection", async () => {
    // First answer loopback (allowlisted), every later answer a private address.
    const rebinding = () => {
      let calls = 0;
      return () => (++calls === 1 ? ["127.0.0.1"] : ["10.0.0.5"]);
    };
    const table = { "rebind.test": rebinding() };
    const { outbound, resolver, connect } = guard(`127.0.0.1:${port}`, {}, table);
    const res = await outbound.fetch(`http://rebind.test:${port}/echo`);
    expect(res.json()).toMatchObject({ host: `rebind.test:${port}` });
    expect(resolver.calls).toEqual(["rebind.test"]);
    expect(connect.targets.map((t) => t.address)).toEqual(["127.0.0.1"]);

    // A later connection (here: a redirect hop) resolves afresh and is judged afresh.
    const again = guard(`127.0.0.1:${port}`, { maxRedirects: 2 }, { "rebind.test": rebinding() });
    await expect(again.outbound.fetch(`http://rebind.test:${port}/to-final`)).rejects.toThrow(
      "blocked: 10.0.0.5 is private (10.0.0.0/8) (resolved from rebind.test)",
    );
    expect(again.resolver.calls).toEqual(["rebind.test", "rebind.test"]);
    expect(again.connect.targets.map((t) => t.address)).toEqual(["127.0.0.1"]);
  });
});

describe("limits", () => {
  it("time out against a server that never answers", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`, { timeoutMs: 300 });
    const started = Date.now();
    const err = await outbound.fetch(`http://127.0.0.1:${port}/hang`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundTimeoutError);
    expect((err as Error).message).toBe(
      `Outbound call to 127.0.0.1:${port} timed out after 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(2500); // generous: proves the 3 s default is not used
  });

  it("cap a streamed response body", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`, { maxResponseBytes: 100_000 });
    const err = await outbound.fetch(`http://127.0.0.1:${port}/flood`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundResponseTooLargeError);
    expect((err as Error).message).toBe(
      `Response from 127.0.0.1:${port} exceeds the limit of 100000 bytes`,
    );
  });

  it("refuse a declared content-length over the cap before reading it", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`);
    await expect(outbound.fetch(`http://127.0.0.1:${port}/big-declared`)).rejects.toBeInstanceOf(
      OutboundResponseTooLargeError,
    );
  });

  it("keep only the first bytes of an endless body when asked to truncate, with the status", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`);
    const res = await outbound.fetch(`http://127.0.0.1:${port}/flood`, {
      maxResponseBytes: 100_000,
      truncateResponse: true,
    });
    expect(res.status).toBe(200);
    expect(res.truncated).toBe(true);
    expect(res.body.length).toBe(100_000);
    const declared = await outbound.fetch(`http://127.0.0.1:${port}/big-declared`, {
      maxResponseBytes: 500,
      truncateResponse: true,
    });
    expect([declared.status, declared.body.length, declared.truncated]).toEqual([200, 500, true]);
  });

  it("let a response at the cap through", async () => {
    const { outbound } = guard(`127.0.0.1:${port}`);
    const small = await outbound.fetch(`http://127.0.0.1:${port}/echo`);
    const { outbound: exact } = guard(`127.0.0.1:${port}`, { maxResponseBytes: small.body.length });
    expect((await exact.fetch(`http://127.0.0.1:${port}/echo`)).status).toBe(200);
  });
});

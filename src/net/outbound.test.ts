/**
 * Blocking behaviour, with a stub resolver and a connect function that refuses every
 * non-loopback address: nothing here can reach the network. Public addresses appear only as
 * stub answers and are asserted to be refused by the test guard, never connected.
 */
import { describe, expect, it } from "vitest";
import { parseAllowlist } from "./allowlist.ts";
import { OutboundBlockedError, OutboundError } from "./errors.ts";
import { createOutbound } from "./outbound.ts";
import { loopbackOnlyConnect, NonLoopbackConnectError, stubResolver } from "./testing.ts";

function setup(allow = "", table: Parameters<typeof stubResolver>[0] = {}) {
  const resolver = stubResolver({
    "loop.test": ["127.0.0.1"],
    "meta.test": ["169.254.169.254"],
    "private.test": ["10.0.0.5"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "v6loop.test": ["::1"],
    "mixed.test": ["8.8.8.8", "10.0.0.5"],
    "mixed-reversed.test": ["192.168.0.9", "8.8.8.8"],
    "public.test": ["8.8.8.8"],
    ...table,
  });
  const connect = loopbackOnlyConnect();
  const outbound = createOutbound({
    allow: parseAllowlist(allow),
    resolver,
    connect,
    timeoutMs: 2000,
  });
  return { outbound, resolver, connect };
}

async function blocked(promise: Promise<unknown>): Promise<OutboundBlockedError> {
  const err = await promise.then(
    () => new Error("expected the call to be blocked"),
    (e: unknown) => e,
  );
  if (!(err instanceof OutboundBlockedError)) throw err;
  return err;
}

describe("literal addresses in URLs (as normalised by the WHATWG URL parser)", () => {
  it.each([
    ["http://127.0.0.1/", "127.0.0.1", "loopback (127.0.0.0/8)"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local (cloud metadata)"],
    ["http://10.0.0.5:8080/", "10.0.0.5", "private (10.0.0.0/8)"],
    ["http://2130706433/", "127.0.0.1", "loopback"],
    ["http://0x7f.1/", "127.0.0.1", "loopback"],
    ["http://017700000001/", "127.0.0.1", "loopback"],
    ["http://127.1/", "127.0.0.1", "loopback"],
    ["http://0xa9.254.0251.0xfe/", "169.254.169.254", "cloud metadata"],
    ["http://0/", "0.0.0.0", "unspecified"],
    ["http://[::1]/", "::1", "loopback (::1)"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1", "IPv4-mapped IPv6 of 127.0.0.1"],
    ["http://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe", "IPv4-mapped IPv6 of 169.254.169.254"],
    ["http://[64:ff9b::10.0.0.5]/", "64:ff9b::a00:5", "NAT64 (64:ff9b::/96), embeds 10.0.0.5"],
    ["http://[2002:7f00:1::]/", "2002:7f00:1::", "6to4 (2002::/16), embeds 127.0.0.1"],
    [
      "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
      "2001:0:4136:e378:8000:63bf:80ff:fffe",
      "Teredo",
    ],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254", "cloud metadata"],
  ])("%s is blocked as %s", async (url, address, rule) => {
    const { outbound, resolver, connect } = setup();
    const err = await blocked(outbound.fetch(url));
    expect(err.address).toBe(address);
    expect(err.message).toContain(`blocked: ${address} is`);
    expect(err.message).toContain(rule);
    expect(resolver.calls).toEqual([]); // literals are never looked up
    expect(connect.targets).toEqual([]);
  });
});

describe("hostnames are resolved once and every address is judged", () => {
  it.each([
    ["loop.test", "127.0.0.1", "loopback"],
    ["meta.test", "169.254.169.254", "link-local (cloud metadata)"],
    ["private.test", "10.0.0.5", "private (10.0.0.0/8)"],
    ["mapped.test", "::ffff:127.0.0.1", "IPv4-mapped IPv6 of 127.0.0.1, which is loopback"],
    ["v6loop.test", "::1", "loopback (::1)"],
    ["mixed.test", "10.0.0.5", "private (10.0.0.0/8)"],
    ["mixed-reversed.test", "192.168.0.9", "private (192.168.0.0/16)"],
  ])("%s → %s is blocked, naming host and rule", async (host, address, rule) => {
    const { outbound, resolver, connect } = setup();
    const err = await blocked(outbound.fetch(`http://${host}/path`));
    expect(err.message).toContain(`Outbound call to ${host}:80 refused`);
    expect(err.message).toContain(`blocked: ${address} is ${rule}`);
    expect(err.message).toContain(`(resolved from ${host})`);
    expect(resolver.calls).toEqual([host]);
    expect(connect.targets).toEqual([]);
  });

  it("hands the vetted IP (not the name) to connect, with the name as TLS server name", async () => {
    const { outbound, connect } = setup();
    // The loopback-only test guard throws for 8.8.8.8 before any socket exists.
    await expect(outbound.fetch("https://public.test/")).rejects.toBeInstanceOf(
      NonLoopbackConnectError,
    );
    expect(connect.targets).toEqual([
      { address: "8.8.8.8", family: 4, port: 443, tls: true, servername: "public.test" },
    ]);
  });

  it("fails clearly when the name does not resolve or resolution hangs", async () => {
    const { outbound } = setup("", { "hang.test": () => [] });
    await expect(outbound.fetch("http://unknown.test/")).rejects.toThrow(
      "Could not resolve unknown.test",
    );
    await expect(outbound.fetch("http://hang.test/")).rejects.toThrow("hang.test has no addresses");
    const slow = createOutbound({
      resolver: () => new Promise(() => {}),
      connect: loopbackOnlyConnect(),
      timeoutMs: 50,
    });
    await expect(slow.fetch("http://slow.test/")).rejects.toThrow(
      "DNS lookup of slow.test timed out",
    );
  });
});

describe("URL validation", () => {
  it.each([
    ["ftp://public.test/", "Only http and https URLs are allowed"],
    ["file:///etc/passwd", "Only http and https URLs are allowed"],
    ["gopher://127.0.0.1:25/", "Only http and https URLs are allowed"],
    ["http://user:pw@public.test/", "Credentials in the URL are not allowed"],
    ["not a url", "is not a valid URL"],
  ])("%s is refused", async (url, message) => {
    const { outbound, resolver, connect } = setup();
    const err = await outbound.fetch(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundError);
    expect((err as Error).message).toContain(message);
    expect(resolver.calls).toEqual([]);
    expect(connect.targets).toEqual([]);
  });
});

describe("vetHost (SMTP, PostgreSQL)", () => {
  it("refuses a private target and allows it only on the allowlisted port", async () => {
    expect((await blocked(setup().outbound.vetHost("private.test", 5432))).rule).toBe(
      "private (10.0.0.0/8)",
    );
    const { outbound } = setup("10.0.0.0/8:5432");
    await expect(outbound.vetHost("private.test", 5432)).resolves.toMatchObject({
      hostname: "private.test",
      address: "10.0.0.5",
      addresses: [{ address: "10.0.0.5", family: 4, allowedBy: "10.0.0.0/8:5432" }],
    });
    await blocked(outbound.vetHost("private.test", 5433));
  });

  it("allows a hostname entry for that name and port only", async () => {
    const { outbound } = setup("loop.test:25");
    await expect(outbound.vetHost("LOOP.test", 25)).resolves.toMatchObject({
      address: "127.0.0.1",
    });
    await blocked(outbound.vetHost("loop.test", 26));
    await blocked(outbound.vetHost("127.0.0.1", 25)); // the entry names the host, not the IP
  });

  it("normalises odd literals the way URL parsers do", async () => {
    const { outbound, resolver } = setup();
    expect((await blocked(outbound.vetHost("0x7f.1", 25))).address).toBe("127.0.0.1");
    expect((await blocked(outbound.vetHost("2130706433", 25))).address).toBe("127.0.0.1");
    expect((await blocked(outbound.vetHost("[::1]", 25))).address).toBe("::1");
    expect((await blocked(outbound.vetHost("::FFFF:127.0.0.1", 25))).address).toBe("::ffff:7f00:1");
    expect(resolver.calls).toEqual([]);
  });

  it("returns public addresses and resolves once", async () => {
    const { outbound, resolver } = setup();
    await expect(outbound.vetHost("public.test", 587)).resolves.toMatchObject({
      address: "8.8.8.8",
      family: 4,
      port: 587,
    });
    expect(resolver.calls).toEqual(["public.test"]);
  });

  it.each(["evil.test@127.0.0.1", "a.test/b", "a.test:25", "", "a b"])(
    "rejects the malformed host %j",
    async (host) => {
      await expect(setup().outbound.vetHost(host, 25)).rejects.toThrow("is not a valid host name");
    },
  );

  it.each([0, 65536, 1.5])("rejects port %d", async (port) => {
    await expect(setup().outbound.vetHost("public.test", port)).rejects.toThrow(
      "is not a valid port",
    );
  });
});

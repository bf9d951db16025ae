import { describe, expect, it } from "vitest";
import { AllowlistError, findAllowEntry, parseAllowEntry, parseAllowlist } from "./allowlist.ts";

describe("parseAllowlist", () => {
  it("parses the documented example", () => {
    const entries = parseAllowlist("127.0.0.1:*,[::1]:8080,localhost:3000,10.0.0.0/8:5432");
    expect(
      entries.map((e) => ({ kind: e.kind, host: e.host, family: e.family, port: e.port })),
    ).toEqual([
      { kind: "ip", host: undefined, family: 4, port: undefined },
      { kind: "ip", host: undefined, family: 6, port: 8080 },
      { kind: "host", host: "localhost", family: undefined, port: 3000 },
      { kind: "ip", host: undefined, family: 4, port: 5432 },
    ]);
  });

  it("treats unset, empty and blank items as no exceptions", () => {
    expect(parseAllowlist(undefined)).toEqual([]);
    expect(parseAllowlist("")).toEqual([]);
    expect(parseAllowlist(" , ,")).toEqual([]);
  });

  it("accepts bare hosts (any port), IPv6 ranges and normalises hostnames", () => {
    expect(parseAllowEntry("10.1.2.3").port).toBeUndefined();
    expect(parseAllowEntry("[fd00::/8]:443")).toMatchObject({ kind: "ip", family: 6, port: 443 });
    expect(parseAllowEntry("[::1]")).toMatchObject({ kind: "ip", family: 6, port: undefined });
    expect(parseAllowEntry("Mail.Example.COM.:25")).toMatchObject({
      host: "mail.example.com",
      port: 25,
    });
  });

  it.each([
    ["::1:8080", "write IPv6 addresses in brackets"],
    ["::1", "write IPv6 addresses in brackets"],
    ["[::1", "unclosed or malformed brackets"],
    ["[::1]8080", "unclosed or malformed brackets"],
    ["[127.0.0.1]:80", "brackets are only for IPv6"],
    ["[nothost]:80", "is not an IPv6 address"],
    ["localhost:", "empty port"],
    ["localhost:http", 'port "http" is not a number'],
    ["localhost:0", "port must be 1-65535"],
    ["localhost:70000", "port must be 1-65535"],
    [":80", "missing host"],
    ["10.0.0.0/33", "prefix length must be 0-32"],
    ["10.0.0.0/8/8", "prefix length must be 0-32"],
    ["[fd00::/129]", "prefix length must be 0-128"],
    ["10.0.0/8", "is not an IP address"],
    ["999.1.1.1", "is not an IP address"],
    ["bad_host.example", "is not a hostname"],
    ["-x.example", "is not a hostname"],
    ["http://x.example", "write host[:port], not a URL"],
    ["x.example/path", "is not an IP address"],
  ])("rejects %j with a clear error", (value, message) => {
    expect(() => parseAllowlist(`127.0.0.1:*,${value}`)).toThrow(AllowlistError);
    expect(() => parseAllowlist(value)).toThrow(message);
    expect(() => parseAllowlist(value)).toThrow(`Invalid FLUXO_OUTBOUND_ALLOW entry "${value}"`);
  });
});

describe("findAllowEntry", () => {
  const entries = parseAllowlist("127.0.0.1:8080,[::1]:*,app.test:3000,10.0.0.0/8:5432");
  const match = (host: string, address: string, port: number) =>
    findAllowEntry(entries, host, address, port)?.source;

  it("matches an IP entry on the exact port only", () => {
    expect(match("127.0.0.1", "127.0.0.1", 8080)).toBe("127.0.0.1:8080");
    expect(match("127.0.0.1", "127.0.0.1", 8081)).toBeUndefined();
    expect(match("127.0.0.2", "127.0.0.2", 8080)).toBeUndefined();
  });

  it("matches the IPv4-mapped form of an allowed IPv4 address, but not other families", () => {
    expect(match("::ffff:7f00:1", "::ffff:7f00:1", 8080)).toBe("127.0.0.1:8080");
    expect(match("::1", "::1", 1)).toBe("[::1]:*");
    expect(match("::2", "::2", 1)).toBeUndefined();
  });

  it("matches a CIDR entry by the resolved address, whatever the name", () => {
    expect(match("db.internal", "10.20.30.40", 5432)).toBe("10.0.0.0/8:5432");
    expect(match("db.internal", "10.20.30.40", 5433)).toBeUndefined();
    expect(match("db.internal", "11.0.0.1", 5432)).toBeUndefined();
  });

  it("matches a hostname entry by the name asked for, case and trailing dot aside", () => {
    expect(match("APP.test.", "192.168.1.1", 3000)).toBe("app.test:3000");
    expect(match("app.test", "192.168.1.1", 3001)).toBeUndefined();
    expect(match("other.test", "192.168.1.1", 3000)).toBeUndefined();
    expect(match("sub.app.test", "192.168.1.1", 3000)).toBeUndefined();
  });
});

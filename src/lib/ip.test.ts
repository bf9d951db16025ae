import { describe, expect, it } from "vitest";
import { ipMatcher, isValidCidrOrIp, normalizeIp, rateLimitKey, resolveClientIp } from "./ip.ts";

describe("normalizeIp", () => {
  it("strips the IPv4-mapped IPv6 prefix", () => {
    expect(normalizeIp("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(normalizeIp("::FFFF:192.0.2.7")).toBe("192.0.2.7");
  });

  it("leaves other addresses alone", () => {
    expect(normalizeIp("10.0.0.1")).toBe("10.0.0.1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
  });
});

describe("isValidCidrOrIp", () => {
  it.each(["10.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32", "::1", "::1/128"])(
    "accepts %s",
    (entry) => expect(isValidCidrOrIp(entry)).toBe(true),
  );

  it.each([
    "",
    "localhost",
    "10.0.0.0/33",
    "10.0.0/8",
    "2001:db8::/129",
    "10.0.0.0/8/1",
    "10.0.0.0/x",
  ])("refuses %s", (entry) => expect(isValidCidrOrIp(entry)).toBe(false));
});

describe("ipMatcher", () => {
  const trusted = ipMatcher(["10.0.0.0/8", "192.0.2.10", "2001:db8::/32"]);

  it("matches addresses and ranges of both families", () => {
    expect(trusted("10.200.3.4")).toBe(true);
    expect(trusted("192.0.2.10")).toBe(true);
    expect(trusted("2001:db8:1::5")).toBe(true);
    expect(trusted("192.0.2.11")).toBe(false);
    expect(trusted("11.0.0.1")).toBe(false);
    expect(trusted("2001:db9::1")).toBe(false);
    expect(trusted("not an ip")).toBe(false);
  });

  it("matches IPv4-mapped IPv6 peers against IPv4 entries", () => {
    expect(trusted("::ffff:10.1.2.3")).toBe(true);
    expect(trusted("::ffff:11.1.2.3")).toBe(false);
  });

  it("trusts nothing when the list is empty", () => {
    expect(ipMatcher([])("10.0.0.1")).toBe(false);
  });
});

describe("resolveClientIp", () => {
  const proxies = ipMatcher(["10.0.0.0/8"]);

  it("uses the TCP peer when it is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(resolveClientIp("203.0.113.5", "198.51.100.1", proxies)).toBe("203.0.113.5");
    expect(resolveClientIp("203.0.113.5", "10.0.0.1", proxies)).toBe("203.0.113.5");
  });

  it("normalises an IPv4-mapped peer", () => {
    expect(resolveClientIp("::ffff:203.0.113.5", undefined, proxies)).toBe("203.0.113.5");
  });

  it("uses the peer when a trusted proxy sent no X-Forwarded-For", () => {
    expect(resolveClientIp("10.0.0.2", undefined, proxies)).toBe("10.0.0.2");
  });

  it("walks right to left through trusted hops to the first untrusted one", () => {
    expect(resolveClientIp("10.0.0.2", "198.51.100.7", proxies)).toBe("198.51.100.7");
    expect(resolveClientIp("10.0.0.2", "198.51.100.7, 10.1.1.1, 10.2.2.2", proxies)).toBe(
      "198.51.100.7",
    );
  });

  it("ignores what the client wrote left of the address the proxy saw", () => {
    // The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real peer.
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, 198.51.100.7", proxies)).toBe("198.51.100.7");
  });

  it("normalises IPv4-mapped hops", () => {
    expect(resolveClientIp("::ffff:10.0.0.2", "::ffff:198.51.100.7", proxies)).toBe("198.51.100.7");
  });

  it("does not skip a malformed hop to reach an address the client wrote", () => {
    // A hop the app cannot parse (e.g. "addr:port") ends the walk: whatever stands left of
    // it is client-controlled, so the nearest trusted address is used instead.
    const client = resolveClientIp("10.0.0.2", "1.2.3.4, 198.51.100.7:5123", proxies);
    expect(client).not.toBe("1.2.3.4");
    expect(client).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, garbage, 10.3.3.3", proxies)).toBe("10.3.3.3");
  });

  it("has no address when there is no peer", () => {
    expect(resolveClientIp(undefined, "198.51.100.7", proxies)).toBeUndefined();
  });
});

describe("rateLimitKey", () => {
  it("keys IPv6 addresses by their /64 prefix, however they are written", () => {
    const key = rateLimitKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(rateLimitKey("2001:DB8:1:2:ffff:ffff:ffff:ffff")).toBe(key);
    expect(rateLimitKey("2001:0db8:0001:0002:0:0:0:7")).toBe(key);
    expect(rateLimitKey("2001:db8:1:3::1")).not.toBe(key);
    expect(rateLimitKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(rateLimitKey("::1")).toBe("0:0:0:0::/64");
    expect(rateLimitKey("::7.7.7.7")).toBe("0:0:0:0::/64");
  });

  it("keys IPv4 (also IPv4-mapped) by the whole address", () => {
    expect(rateLimitKey("10.0.0.1")).toBe("10.0.0.1");
    expect(rateLimitKey("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(rateLimitKey("10.0.0.2")).not.toBe(rateLimitKey("10.0.0.1"));
  });
});

import { describe, expect, it } from "vitest";
import { checkAddress, describeRefusal, embeddedIpv4 } from "./address-policy.ts";

/** The rule an address is refused by, or "allowed". */
function ruleOf(address: string): string {
  const verdict = checkAddress(address);
  return verdict.allowed ? "allowed" : verdict.rule;
}

describe("IPv4 policy", () => {
  it.each([
    ["10.0.0.5", "private (10.0.0.0/8)"],
    ["10.255.255.255", "private (10.0.0.0/8)"],
    ["172.16.0.1", "private (172.16.0.0/12)"],
    ["172.31.255.254", "private (172.16.0.0/12)"],
    ["192.168.1.1", "private (192.168.0.0/16)"],
    ["127.0.0.1", "loopback (127.0.0.0/8)"],
    ["127.255.0.9", "loopback (127.0.0.0/8)"],
    ["169.254.1.1", "link-local (169.254.0.0/16)"],
    ["169.254.169.254", "link-local (cloud metadata)"],
    ["169.254.170.2", "link-local (cloud metadata)"],
    ["168.63.129.16", "cloud metadata (Azure wire server)"],
    ["100.64.0.1", "carrier-grade NAT (100.64.0.0/10)"],
    ["100.100.100.200", "carrier-grade NAT (100.64.0.0/10)"],
    ["100.127.255.255", "carrier-grade NAT (100.64.0.0/10)"],
    ["0.0.0.0", "unspecified (0.0.0.0/8)"],
    ["0.1.2.3", "unspecified (0.0.0.0/8)"],
    ["224.0.0.1", "multicast (224.0.0.0/4)"],
    ["239.255.255.250", "multicast (224.0.0.0/4)"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved (240.0.0.0/4)"],
    ["192.0.2.10", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.99", "documentation"],
    ["198.18.0.1", "benchmarking (198.18.0.0/15)"],
    ["192.0.0.8", "IETF protocol assignments (192.0.0.0/24)"],
    ["192.88.99.1", "6to4 relay anycast (192.88.99.0/24)"],
  ])("refuses %s as %s", (address, rule) => {
    expect(ruleOf(address)).toBe(rule);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.15.255.255",
    "172.32.0.0",
    "100.63.255.255",
    "100.128.0.0",
    "11.0.0.1",
    "93.184.215.14",
  ])("allows public %s", (address) => {
    expect(checkAddress(address)).toEqual({ allowed: true, address, family: 4 });
  });
});

describe("IPv6 policy", () => {
  it.each([
    ["::", "unspecified (::)"],
    ["::1", "loopback (::1)"],
    ["0:0:0:0:0:0:0:1", "loopback (::1)"],
    ["fe80::1", "link-local (fe80::/10)"],
    ["febf::1", "link-local (fe80::/10)"],
    ["fec0::1", "site-local (fec0::/10, deprecated)"],
    ["fc00::1", "unique-local (fc00::/7)"],
    ["fd12:3456::1", "unique-local (fc00::/7)"],
    ["fd00:ec2::254", "link-local (cloud metadata)"],
    ["ff02::1", "multicast (ff00::/8)"],
    ["2001:db8::1", "documentation"],
    ["3fff::1", "documentation"],
    ["100::1", "discard-only (100::/64)"],
    ["2001:2::1", "IETF protocol assignments (2001::/23)"],
    ["::7f00:1", "IPv4-compatible IPv6 (::/96, deprecated), embeds 127.0.0.1"],
    ["::8.8.8.8", "IPv4-compatible IPv6 (::/96, deprecated), embeds 8.8.8.8"],
    ["::ffff:0:a00:1", "IPv4-translated IPv6 (::ffff:0:0:0/96), embeds 10.0.0.1"],
    ["64:ff9b::7f00:1", "NAT64 (64:ff9b::/96), embeds 127.0.0.1"],
    ["64:ff9b::169.254.169.254", "NAT64 (64:ff9b::/96), embeds 169.254.169.254"],
    ["64:ff9b::808:808", "NAT64 (64:ff9b::/96), embeds 8.8.8.8"],
    ["64:ff9b:1::a00:5", "local-use NAT64 (64:ff9b:1::/48), embeds 10.0.0.5"],
    ["2002:7f00:1::1", "6to4 (2002::/16), embeds 127.0.0.1"],
    ["2002:a9fe:a9fe::", "6to4 (2002::/16), embeds 169.254.169.254"],
    ["2002:808:808::1", "6to4 (2002::/16), embeds 8.8.8.8"],
    // Teredo keeps the client address inverted: ~7f00:0001 = 80ff:fffe.
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo (2001::/32), embeds 127.0.0.1"],
    ["4000::1", "reserved (outside global unicast 2000::/3)"],
    ["1::1", "reserved (outside global unicast 2000::/3)"],
  ])("refuses %s as %s", (address, rule) => {
    expect(ruleOf(address)).toBe(rule);
  });

  it("judges IPv4-mapped addresses by the IPv4 address inside", () => {
    expect(ruleOf("::ffff:127.0.0.1")).toBe(
      "IPv4-mapped IPv6 of 127.0.0.1, which is loopback (127.0.0.0/8)",
    );
    expect(ruleOf("::ffff:7f00:1")).toBe(
      "IPv4-mapped IPv6 of 127.0.0.1, which is loopback (127.0.0.0/8)",
    );
    expect(ruleOf("::FFFF:A9FE:A9FE")).toBe(
      "IPv4-mapped IPv6 of 169.254.169.254, which is link-local (cloud metadata)",
    );
    expect(ruleOf("0:0:0:0:0:ffff:10.1.2.3")).toBe(
      "IPv4-mapped IPv6 of 10.1.2.3, which is private (10.0.0.0/8)",
    );
    expect(checkAddress("::ffff:8.8.8.8")).toMatchObject({ allowed: true, family: 6 });
  });

  it.each(["2606:4700:4700::1111", "2a00:1450:4001::200e", "2001:4860:4860::8888"])(
    "allows global unicast %s",
    (address) => {
      expect(checkAddress(address)).toEqual({ allowed: true, address, family: 6 });
    },
  );
});

describe("non-addresses and messages", () => {
  it.each(["", "localhost", "0x7f.1", "2130706433", "127.1", "0127.0.0.1", "1.2.3.4.5", "::g"])(
    "refuses %j as not an IP address (URL normalisation must happen first)",
    (input) => {
      expect(ruleOf(input)).toBe("not an IP address");
    },
  );

  it("refuses scoped IPv6 addresses", () => {
    expect(ruleOf("fe80::1%eth0")).toBe("a scoped (zone-id) IPv6 address");
  });

  it("names the address and the rule", () => {
    const verdict = checkAddress("169.254.169.254");
    if (verdict.allowed) throw new Error("expected a refusal");
    expect(describeRefusal(verdict)).toBe(
      "blocked: 169.254.169.254 is link-local (cloud metadata)",
    );
  });

  it("extracts the embedded IPv4 from every IPv6 spelling", () => {
    expect(embeddedIpv4("::ffff:1.2.3.4")).toBe("1.2.3.4");
    expect(embeddedIpv4("::ffff:102:304")).toBe("1.2.3.4");
    expect(embeddedIpv4("64:ff9b::1.2.3.4")).toBe("1.2.3.4");
    expect(embeddedIpv4("1:2:3:4:5:6:7.8.9.10")).toBe("7.8.9.10");
    expect(embeddedIpv4("1:2:3:4:5:6:708:90a")).toBe("7.8.9.10");
  });
});

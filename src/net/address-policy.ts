/**
 * Which IP addresses an outbound call may reach.
 *
 * Everything that is not plainly a public unicast address is refused, and each refusal names
 * its rule so a failed workflow node tells the user why ("blocked: 10.0.0.5 is private").
 * IPv6 forms that carry an IPv4 address inside (IPv4-mapped, IPv4-compatible, 6to4, NAT64,
 * Teredo) are refused or judged by the embedded IPv4 address, because a relay or the kernel
 * may deliver them to that IPv4 host.
 *
 * Range membership uses node:net BlockList, one list per rule. Note that BlockList itself
 * treats IPv4 and IPv4-mapped IPv6 as the same address, so each family is checked only against
 * its own table and mapped addresses are unwrapped explicitly first.
 */
import { BlockList, isIP } from "node:net";

export type Family = 4 | 6;

export type AddressVerdict =
  | { allowed: true; address: string; family: Family }
  | { allowed: false; address: string; rule: string };

interface Rule {
  rule: string;
  list: BlockList;
}

function rule(rule: string, family: "ipv4" | "ipv6", ...cidrs: string[]): Rule {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net = "", bits] = cidr.split("/");
    if (bits === undefined) list.addAddress(net, family);
    else list.addSubnet(net, Number(bits), family);
  }
  return { rule, list };
}

// Order matters: the most specific (and most telling) rule comes first.
const V4_RULES: Rule[] = [
  rule("link-local (cloud metadata)", "ipv4", "169.254.169.254", "169.254.170.2"),
  rule("cloud metadata (Azure wire server)", "ipv4", "168.63.129.16"),
  rule("unspecified (0.0.0.0/8)", "ipv4", "0.0.0.0/8"),
  rule("private (10.0.0.0/8)", "ipv4", "10.0.0.0/8"),
  rule("private (172.16.0.0/12)", "ipv4", "172.16.0.0/12"),
  rule("private (192.168.0.0/16)", "ipv4", "192.168.0.0/16"),
  rule("loopback (127.0.0.0/8)", "ipv4", "127.0.0.0/8"),
  rule("link-local (169.254.0.0/16)", "ipv4", "169.254.0.0/16"),
  rule("carrier-grade NAT (100.64.0.0/10)", "ipv4", "100.64.0.0/10"),
  rule("IETF protocol assignments (192.0.0.0/24)", "ipv4", "192.0.0.0/24"),
  rule("documentation", "ipv4", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"),
  rule("benchmarking (198.18.0.0/15)", "ipv4", "198.18.0.0/15"),
  rule("6to4 relay anycast (192.88.99.0/24)", "ipv4", "192.88.99.0/24"),
  rule("multicast (224.0.0.0/4)", "ipv4", "224.0.0.0/4"),
  rule("broadcast", "ipv4", "255.255.255.255"),
  rule("reserved (240.0.0.0/4)", "ipv4", "240.0.0.0/4"),
];

const V6_RULES: Rule[] = [
  rule("unspecified (::)", "ipv6", "::"),
  rule("loopback (::1)", "ipv6", "::1"),
  rule("link-local (cloud metadata)", "ipv6", "fd00:ec2::254"),
  rule("IPv4-compatible IPv6 (::/96, deprecated)", "ipv6", "::/96"),
  rule("IPv4-translated IPv6 (::ffff:0:0:0/96)", "ipv6", "::ffff:0:0:0/96"),
  rule("NAT64 (64:ff9b::/96)", "ipv6", "64:ff9b::/96"),
  rule("local-use NAT64 (64:ff9b:1::/48)", "ipv6", "64:ff9b:1::/48"),
  rule("discard-only (100::/64)", "ipv6", "100::/64"),
  rule("Teredo (2001::/32)", "ipv6", "2001::/32"),
  rule("documentation", "ipv6", "2001:db8::/32", "3fff::/20"),
  // The rest of 2001::/23 is benchmarking, ORCHID and other special-purpose blocks.
  rule("IETF protocol assignments (2001::/23)", "ipv6", "2001::/23"),
  rule("6to4 (2002::/16)", "ipv6", "2002::/16"),
  rule("unique-local (fc00::/7)", "ipv6", "fc00::/7"),
  rule("link-local (fe80::/10)", "ipv6", "fe80::/10"),
  rule("site-local (fec0::/10, deprecated)", "ipv6", "fec0::/10"),
  rule("multicast (ff00::/8)", "ipv6", "ff00::/8"),
];

// Only 2000::/3 is allocated as global unicast; anything else left over is reserved.
const V6_GLOBAL_UNICAST = rule("", "ipv6", "2000::/3").list;
const V4_MAPPED = rule("", "ipv6", "::ffff:0:0/96").list;

/** The eight 16-bit groups of a valid IPv6 literal (validated by isIP before this runs). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = `${text.slice(0, dotted.index)}0`; // placeholder group, dropped below
  }
  const toGroups = (part: string) =>
    part ? part.split(":").map((g) => Number.parseInt(g, 16)) : [];
  const [head = "", rest] = text.split("::");
  const left = toGroups(head);
  const right = rest === undefined ? [] : toGroups(rest);
  if (dotted) (right.length > 0 ? right : left).pop();
  const fill = new Array(8 - left.length - right.length - tail.length).fill(0);
  return [...left, ...fill, ...right, ...tail];
}

/** The IPv4 address held in the last 32 bits of an IPv6 address. */
export function embeddedIpv4(address: string): string {
  const groups = ipv6Groups(address);
  const hi = groups[6] ?? 0;
  const lo = groups[7] ?? 0;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** a.b.c.d for an IPv4-mapped IPv6 address (::ffff:a.b.c.d), otherwise undefined. */
export function mappedIpv4(address: string): string | undefined {
  return isIP(address) === 6 && V4_MAPPED.check(address, "ipv6")
    ? embeddedIpv4(address)
    : undefined;
}

/** The IPv4 address a 6to4 address (2002:AABB:CCDD::/48) routes to. */
function sixToFourIpv4(address: string): string {
  const groups = ipv6Groups(address);
  const hi = groups[1] ?? 0;
  const lo = groups[2] ?? 0;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Teredo stores the client's IPv4 address in the last 32 bits, bitwise inverted. */
function teredoIpv4(address: string): string {
  const groups = ipv6Groups(address);
  const hi = (groups[6] ?? 0) ^ 0xffff;
  const lo = (groups[7] ?? 0) ^ 0xffff;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function firstMatch(rules: Rule[], address: string, family: "ipv4" | "ipv6"): string | undefined {
  return rules.find((r) => r.list.check(address, family))?.rule;
}

/** What a refused IPv6 form really points at, so the message is useful. */
function embeddedNote(address: string, matched: string): string {
  if (matched.startsWith("6to4")) return `, embeds ${sixToFourIpv4(address)}`;
  if (matched.startsWith("Teredo")) return `, embeds ${teredoIpv4(address)}`;
  if (/NAT64|IPv4-(compatible|translated)/.test(matched)) {
    return `, embeds ${embeddedIpv4(address)}`;
  }
  return "";
}

/** Judges one IP address literal; anything that is not a valid literal is refused. */
export function checkAddress(input: string): AddressVerdict {
  const address = input.trim();
  const version = isIP(address);
  if (address.includes("%")) {
    return { allowed: false, address, rule: "a scoped (zone-id) IPv6 address" };
  }
  if (version === 4) {
    const matched = firstMatch(V4_RULES, address, "ipv4");
    return matched
      ? { allowed: false, address, rule: matched }
      : { allowed: true, address, family: 4 };
  }
  if (version === 6) {
    const v4 = mappedIpv4(address);
    if (v4) {
      const inner = checkAddress(v4);
      return inner.allowed
        ? { allowed: true, address, family: 6 }
        : { allowed: false, address, rule: `IPv4-mapped IPv6 of ${v4}, which is ${inner.rule}` };
    }
    const matched = firstMatch(V6_RULES, address, "ipv6");
    if (matched) {
      return { allowed: false, address, rule: `${matched}${embeddedNote(address, matched)}` };
    }
    if (!V6_GLOBAL_UNICAST.check(address, "ipv6")) {
      return { allowed: false, address, rule: "reserved (outside global unicast 2000::/3)" };
    }
    return { allowed: true, address, family: 6 };
  }
  return { allowed: false, address, rule: "not an IP address" };
}

/** "blocked: 169.254.169.254 is link-local (cloud metadata)" */
export function describeRefusal(verdict: { address: string; rule: string }): string {
  return `blocked: ${verdict.address} is ${verdict.rule}`;
}

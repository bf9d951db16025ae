import { BlockList, isIP } from "node:net";

function family(address: string): "ipv4" | "ipv6" | undefined {
  const v = isIP(address);
  return v === 4 ? "ipv4" : v === 6 ? "ipv6" : undefined;
}

/** Strips the IPv4-mapped IPv6 prefix so ::ffff:10.0.0.1 and 10.0.0.1 compare equal. */
export function normalizeIp(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export function isValidCidrOrIp(entry: string): boolean {
  const [address, prefix, extra] = entry.split("/");
  if (extra !== undefined || !address) return false;
  const fam = family(address);
  if (!fam) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return Number.isInteger(bits) && bits >= 0 && bits <= (fam === "ipv4" ? 32 : 128);
}

/** A set of addresses and CIDR ranges, e.g. the trusted proxies. */
export function ipMatcher(entries: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const fam = family(address);
    if (!fam) continue;
    if (prefix === undefined) list.addAddress(address, fam);
    else list.addSubnet(address, Number(prefix), fam);
  }
  return (address) => {
    const ip = normalizeIp(address);
    const fam = family(ip);
    return fam !== undefined && list.check(ip, fam);
  };
}

/**
 * The client address: the TCP peer, unless the peer is a trusted proxy, in which case the
 * X-Forwarded-For chain is walked right to left and the first untrusted hop is the client.
 */
export function resolveClientIp(
  peer: string | undefined,
  forwardedFor: string | undefined,
  isTrusted: (address: string) => boolean,
): string | undefined {
  let client = peer ? normalizeIp(peer) : undefined;
  if (!client || !isTrusted(client) || !forwardedFor) return client;
  const hops = forwardedFor.split(",").map((h) => normalizeIp(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    // An unparseable hop ends the walk: skipping it would hand the choice to whatever the
    // client wrote further left, so the nearest trusted address stands instead.
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(client)) break;
  }
  return client;
}

/**
 * The key a client address is throttled under: IPv4 as it is, IPv6 by its /64 prefix. One
 * subscriber usually holds a whole /64, so counting each IPv6 address alone would hand an
 * attacker 2^64 fresh budgets.
 */
export function rateLimitKey(address: string): string {
  const ip = normalizeIp(address);
  if (isIP(ip) !== 6) return ip;
  const [head = "", tail] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail (e.g. ::1.2.3.4) fills two groups.
  const rightGroups = right.length + (right.at(-1)?.includes(".") ? 1 : 0);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - rightGroups).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

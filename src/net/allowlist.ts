/**
 * FLUXO_OUTBOUND_ALLOW: the explicit exceptions to the address policy, e.g.
 *   127.0.0.1:*,[::1]:8080,localhost:3000,10.0.0.0/8:5432
 *
 * Each entry is a hostname, an IP address or a CIDR range, optionally followed by `:port`
 * or `:*`. A missing port means any port (the same as `:*`). IPv6 goes in brackets so its
 * colons cannot be mistaken for a port. An IP/CIDR entry matches the address actually
 * connected to; a hostname entry matches the name asked for, so it trusts that name's DNS.
 */
import { BlockList, isIP } from "node:net";
import { mappedIpv4 } from "./address-policy.ts";

export interface AllowEntry {
  /** The entry as written, for messages and logs. */
  source: string;
  kind: "host" | "ip";
  /** Lower-case hostname without a trailing dot (kind "host"). */
  host?: string;
  /** Address set (kind "ip"). */
  range?: BlockList;
  family?: 4 | 6;
  /** undefined = any port. */
  port?: number;
}

export class AllowlistError extends Error {
  constructor(entry: string, reason: string) {
    super(`Invalid FLUXO_OUTBOUND_ALLOW entry "${entry}": ${reason}`);
    this.name = "AllowlistError";
  }
}

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function normalizeHostname(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

function parsePort(entry: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "*") return undefined;
  if (!/^\d{1,5}$/.test(text)) throw new AllowlistError(entry, `port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new AllowlistError(entry, "port must be 1-65535 or *");
  return port;
}

function parseRange(entry: string, text: string, bracketed: boolean): AllowEntry | undefined {
  const [address = "", bits, extra] = text.split("/");
  const version = isIP(address);
  if (version === 0) {
    if (bracketed) throw new AllowlistError(entry, `"${address}" is not an IPv6 address`);
    if (bits !== undefined) throw new AllowlistError(entry, `"${address}" is not an IP address`);
    return undefined;
  }
  if (version === 6 && !bracketed) {
    throw new AllowlistError(entry, "write IPv6 addresses in brackets, e.g. [::1]:8080");
  }
  if (version === 4 && bracketed) {
    throw new AllowlistError(entry, "brackets are only for IPv6 addresses");
  }
  const family = version === 4 ? "ipv4" : "ipv6";
  const range = new BlockList();
  if (bits === undefined) {
    range.addAddress(address, family);
  } else {
    const max = version === 4 ? 32 : 128;
    const prefix = Number(bits);
    if (extra !== undefined || !/^\d{1,3}$/.test(bits) || prefix > max) {
      throw new AllowlistError(entry, `prefix length must be 0-${max}`);
    }
    range.addSubnet(address, prefix, family);
  }
  return { source: entry, kind: "ip", range, family: version === 4 ? 4 : 6 };
}

export function parseAllowEntry(raw: string): AllowEntry {
  const entry = raw.trim();
  if (entry.includes("://")) throw new AllowlistError(entry, "write host[:port], not a URL");
  let hostPart: string;
  let portPart: string | undefined;
  const bracket = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (entry.startsWith("[")) {
    if (!bracket) throw new AllowlistError(entry, "unclosed or malformed brackets");
    hostPart = bracket[1] ?? "";
    portPart = bracket[2];
  } else {
    const colons = entry.split(":").length - 1;
    if (colons > 1) {
      throw new AllowlistError(entry, "write IPv6 addresses in brackets, e.g. [::1]:8080");
    }
    const at = entry.lastIndexOf(":");
    hostPart = at === -1 ? entry : entry.slice(0, at);
    portPart = at === -1 ? undefined : entry.slice(at + 1);
  }
  if (!hostPart) throw new AllowlistError(entry, "missing host");
  if (portPart === "") throw new AllowlistError(entry, "empty port after ':'");
  const port = parsePort(entry, portPart);

  const range = parseRange(entry, hostPart, bracket !== null);
  if (range) return { ...range, port };

  const host = normalizeHostname(hostPart);
  if (host.length > 253 || !host.split(".").every((label) => HOST_LABEL.test(label))) {
    throw new AllowlistError(entry, `"${hostPart}" is not a hostname, IP address or CIDR range`);
  }
  // A name made only of digits and dots would be read as an IPv4 address by URL parsers.
  if (/^[\d.]+$/.test(host)) throw new AllowlistError(entry, `"${hostPart}" is not an IP address`);
  return { source: entry, kind: "host", host, port };
}

/** Parses the comma-separated variable; empty or unset means "no exceptions". */
export function parseAllowlist(value: string | undefined): AllowEntry[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseAllowEntry);
}

function addressMatches(entry: AllowEntry, address: string): boolean {
  if (!entry.range) return false;
  const version = isIP(address);
  if (entry.family === 4) {
    // ::ffff:a.b.c.d reaches the same host as a.b.c.d, so an IPv4 entry covers both forms.
    const v4 = version === 4 ? address : mappedIpv4(address);
    return v4 !== undefined && entry.range.check(v4, "ipv4");
  }
  return version === 6 && entry.range.check(address, "ipv6");
}

/**
 * The entry that lets `hostname` (as asked for) reach `address` on `port`, if any.
 * `hostname` is the URL host or the host given to vetHost; for IP literals it equals address.
 */
export function findAllowEntry(
  entries: readonly AllowEntry[],
  hostname: string,
  address: string,
  port: number,
): AllowEntry | undefined {
  const host = normalizeHostname(hostname);
  return entries.find((entry) => {
    if (entry.port !== undefined && entry.port !== port) return false;
    return entry.kind === "host" ? entry.host === host : addressMatches(entry, address);
  });
}

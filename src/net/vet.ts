/**
 * Host vetting: resolve a name ONCE, judge every address it resolves to, and hand back the
 * addresses the caller must connect to. Connecting to these addresses (never to the name
 * again) is what defeats DNS rebinding.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { checkAddress, type Family } from "./address-policy.ts";
import { type AllowEntry, findAllowEntry } from "./allowlist.ts";
import { OutboundBlockedError, OutboundError } from "./errors.ts";

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a hostname to all of its addresses. Injected in tests so nothing real is asked. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  lookup(hostname, { all: true, order: "verbatim" });

export interface VettedAddress {
  address: string;
  family: Family;
  /** The allowlist entry that let this address through, if the policy alone would not. */
  allowedBy?: string;
}

export interface VettedHost {
  /** Canonical host as asked for (no brackets, lower case); used for Host, SNI and allowlist. */
  hostname: string;
  port: number;
  /** Connect here. */
  address: string;
  family: Family;
  /** Every resolved address, all vetted, in resolver order (address is the first). */
  addresses: VettedAddress[];
}

export interface VetOptions {
  allow: readonly AllowEntry[];
  resolver: Resolver;
  /** Absolute time (Date.now()) by which resolution must be done. */
  deadline: number;
}

/**
 * A host as URL parsers see it: brackets dropped, IPv4 oddities such as 0x7f.1 or 2130706433
 * normalised to dotted decimal, names lower-cased and punycoded. Rejects anything that is not
 * a bare host (ports, paths, user info) so the guard and the connecting library agree.
 */
export function canonicalHost(host: string): string {
  const bare = host.trim().replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  if (bare === "" || /[\s/\\@?#:%[\]]/.test(bare)) {
    throw new OutboundError("invalid", `"${host}" is not a valid host name`);
  }
  try {
    return new URL(`http://${bare}/`).hostname;
  } catch {
    throw new OutboundError("invalid", `"${host}" is not a valid host name`);
  }
}

async function resolveOnce(hostname: string, resolver: Resolver, deadline: number) {
  const version = isIP(hostname);
  if (version !== 0) return [{ address: hostname, family: version }];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OutboundError("timeout", `DNS lookup of ${hostname} timed out`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    const found = await Promise.race([resolver(hostname), timeout]);
    if (found.length === 0) throw new OutboundError("dns", `${hostname} has no addresses`);
    return found;
  } catch (err) {
    if (err instanceof OutboundError) throw err;
    throw new OutboundError("dns", `Could not resolve ${hostname}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves and judges `host`; throws OutboundBlockedError if ANY address is refused. */
export async function vetHost(host: string, port: number, opts: VetOptions): Promise<VettedHost> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new OutboundError("invalid", `Port ${port} is not a valid port`);
  }
  const hostname = canonicalHost(host);
  const resolved = await resolveOnce(hostname, opts.resolver, opts.deadline);
  const addresses: VettedAddress[] = [];
  for (const { address } of resolved) {
    const entry = findAllowEntry(opts.allow, hostname, address, port);
    const verdict = checkAddress(address);
    if (entry) {
      const family = isIP(address);
      if (family !== 4 && family !== 6)
        throw new OutboundBlockedError(hostname, port, address, "not an IP address");
      addresses.push({ address, family, allowedBy: entry.source });
    } else if (verdict.allowed) {
      addresses.push({ address, family: verdict.family });
    } else {
      // One bad address refuses the host: we must not gamble on which one gets used.
      throw new OutboundBlockedError(hostname, port, address, verdict.rule);
    }
  }
  const [first] = addresses as [VettedAddress];
  return { hostname, port, address: first.address, family: first.family, addresses };
}

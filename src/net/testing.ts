/**
 * Test doubles for the outbound guard (used by *.test.ts only).
 *
 * `loopbackOnlyConnect` is the safety net: it refuses, before any socket exists, every
 * address that is not 127.x.x.x or ::1, so even a broken guard cannot send a packet
 * anywhere else. It deliberately does not reuse the policy code it is guarding against.
 */
import { type Connect, type ConnectTarget, defaultConnect } from "./connect.ts";
import type { ResolvedAddress, Resolver } from "./vet.ts";

export class NonLoopbackConnectError extends Error {}

export function isLoopbackLiteral(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === "::1";
}

export function loopbackOnlyConnect(): Connect & { targets: ConnectTarget[] } {
  const targets: ConnectTarget[] = [];
  const connect = (target: ConnectTarget) => {
    targets.push(target);
    if (!isLoopbackLiteral(target.address)) {
      throw new NonLoopbackConnectError(`test guard: refused to connect to ${target.address}`);
    }
    return defaultConnect(target);
  };
  return Object.assign(connect, { targets });
}

const family = (address: string) => (address.includes(":") ? 6 : 4);

/** A resolver that answers from a table and records every question; unknown names fail. */
export function stubResolver(
  table: Record<string, string[] | (() => string[])>,
): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (!entry)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    const addresses = typeof entry === "function" ? entry() : entry;
    return addresses.map((address) => ({ address, family: family(address) }));
  };
  return Object.assign(resolver, { calls });
}
